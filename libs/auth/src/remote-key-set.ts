import { createLocalJWKSet, createRemoteJWKSet, JWTVerifyGetKey } from 'jose';

/** The key server could not be asked for a token's key: the token cannot be judged for now. */
export class KeyServerUnavailableError extends Error {
  override readonly name = 'KeyServerUnavailableError';
}

type RemoteKeySetOptions = Parameters<typeof createRemoteJWKSet>[1];

/** jose's errors that come from fetching the key set rather than from the token. */
const FETCH_ERROR_CODES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC']);

function isFetchFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // A network error (ECONNREFUSED, a failed fetch) carries no code of jose's.
  return typeof code !== 'string' || !code.startsWith('ERR_J') || FETCH_ERROR_CODES.has(code);
}

/**
 * The identity provider's key set, fetched and cached by jose, that outlives the key server's
 * outages: when it cannot be fetched (refused, timed out, an answer that is not a key set), the
 * keys fetched before keep verifying tokens, and a token whose key is not among them fails with
 * `KeyServerUnavailableError` (the caller did nothing wrong: 503, not 401). Errors about the
 * token itself (no such key in a fresh set, an unsupported algorithm) are jose's, unchanged.
 */
export function resilientRemoteKeySet(url: URL, options?: RemoteKeySetOptions): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(url, options);
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (!isFetchFailure(error)) throw error;
      const known = remote.jwks();
      if (known) {
        try {
          return await createLocalJWKSet(known)(header, token);
        } catch {
          // Not among the keys fetched before: only the key server could say.
        }
      }
      throw new KeyServerUnavailableError(
        `The key set at ${url.origin}${url.pathname} cannot be fetched: ${(error as Error).message}`,
      );
    }
  };
}
