import type { JWTPayload } from 'jose';
import { AuthenticatedClient } from './authenticated-client';

export class InvalidClaimsError extends Error {}

/**
 * Reads the client and its scopes from verified claims. Scopes come from `scope` (a
 * space-separated string, RFC 9068) or `scp` (an array of strings); a claim of the wrong shape makes
 * the token invalid rather than being guessed at. The client is `client_id`, else `azp`, else `sub`.
 */
export function clientFromClaims(payload: JWTPayload): AuthenticatedClient {
  return { clientId: clientIdOf(payload), scopes: new Set(scopesOf(payload)) };
}

function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload;
  const scopes: string[] = [];
  if (scope !== undefined) {
    if (typeof scope !== 'string') throw new InvalidClaimsError('scope must be a string');
    scopes.push(...scope.split(' ').filter(Boolean));
  }
  if (scp !== undefined) {
    if (!Array.isArray(scp) || !scp.every((item) => typeof item === 'string')) {
      throw new InvalidClaimsError('scp must be an array of strings');
    }
    scopes.push(...scp);
  }
  return scopes;
}

function clientIdOf(payload: JWTPayload): string {
  for (const claim of ['client_id', 'azp', 'sub'] as const) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
      throw new InvalidClaimsError(`${claim} must be a non-empty string`);
    }
    return value;
  }
  throw new InvalidClaimsError('the token names no client');
}
