import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { jwtVerify } from 'jose';
import { AuthenticatedClient } from './authenticated-client';
import { KeyServerUnavailableError } from './remote-key-set';
import { clientFromClaims, hasDuplicateMembers } from './token-claims';
import { resolveTokenKey, TokenKey } from './token-key';

export class InvalidTokenError extends Error {
  /**
   * Whether the same token will be refused again, whenever it is sent: true unless it is not valid
   * yet (`nbf`) or its key was not found (the key set may publish it a moment later).
   */
  readonly lasting: boolean;

  constructor(message: string, cause?: unknown) {
    super(message);
    const { code, claim } = (cause ?? {}) as { code?: unknown; claim?: unknown };
    this.lasting = !(
      (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf') ||
      code === 'ERR_JWKS_NO_MATCHING_KEY'
    );
  }
}

/** Verifies bearer tokens (JWT) against the configured key, issuer and audience. */
@Injectable()
export class TokenVerifier {
  private readonly tokenKey: TokenKey;

  constructor(private readonly config: AppConfig) {
    this.tokenKey = resolveTokenKey(config.auth.key);
  }

  /**
   * The client a valid token names; `InvalidTokenError` for any token that is not valid, and
   * `KeyServerUnavailableError` when its key cannot be fetched for now.
   */
  async verify(token: string): Promise<AuthenticatedClient> {
    try {
      const { payload } = await jwtVerify(token, this.tokenKey.key as Uint8Array, {
        algorithms: [...this.tokenKey.algorithms],
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
        requiredClaims: ['exp'],
      });
      const [header, claims] = token.split('.', 2).map((part) => Buffer.from(part, 'base64url'));
      if (hasDuplicateMembers(header.toString()) || hasDuplicateMembers(claims.toString())) {
        throw new InvalidTokenError('a member is named twice in the header or the claims');
      }
      return clientFromClaims(payload);
    } catch (error) {
      if (error instanceof KeyServerUnavailableError) throw error;
      throw new InvalidTokenError(error instanceof Error ? error.message : String(error), error);
    }
  }
}
