import { AuthConfig } from '@app/config';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { resolveTokenKey, SYMMETRIC_ALGORITHM } from './token-key';

export interface TokenRequest {
  clientId: string;
  scopes: readonly string[];
  ttlSeconds: number;
}

/**
 * Signs a token the running configuration accepts, for development and first calls. With a JWKS
 * the private key lives with the identity provider, so tokens must come from there.
 */
export async function mintToken(config: AuthConfig, request: TokenRequest): Promise<string> {
  if (config.key.kind === 'jwks') {
    throw new Error(
      'AUTH_JWKS_URL is set: tokens are issued by your identity provider, not by this service.',
    );
  }
  const { key } = resolveTokenKey(config.key);
  const jwt = new SignJWT({ scope: request.scopes.join(' '), client_id: request.clientId })
    .setProtectedHeader({ alg: SYMMETRIC_ALGORITHM, typ: 'at+jwt' })
    .setSubject(request.clientId)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${request.ttlSeconds}s`);
  if (config.issuer) jwt.setIssuer(config.issuer);
  if (config.audience) jwt.setAudience(config.audience);
  return jwt.sign(key as Uint8Array);
}
