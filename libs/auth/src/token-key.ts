import { AuthKeyConfig } from '@app/config';
import { JWTVerifyGetKey } from 'jose';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { resilientRemoteKeySet } from './remote-key-set';

/** The key and the algorithms tokens may be signed with: the algorithm is pinned to the key. */
export interface TokenKey {
  readonly key: Uint8Array | JWTVerifyGetKey;
  readonly algorithms: readonly string[];
}

const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'] as const;
export const SYMMETRIC_ALGORITHM = 'HS256';

export function resolveTokenKey(config: AuthKeyConfig): TokenKey {
  switch (config.kind) {
    case 'jwks':
      return {
        key: resilientRemoteKeySet(new URL(config.url)),
        algorithms: ASYMMETRIC_ALGORITHMS,
      };
    case 'secret':
      return { key: new TextEncoder().encode(config.secret), algorithms: [SYMMETRIC_ALGORITHM] };
    case 'generated-secret':
      return {
        key: new TextEncoder().encode(loadOrCreateSecret(config.file)),
        algorithms: [SYMMETRIC_ALGORITHM],
      };
  }
}

/**
 * The embedded default's HS256 secret: read from the data folder, or made there on first start
 * (readable by the owner only). `wx` makes a concurrent first start read the winner's secret.
 */
export function loadOrCreateSecret(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
