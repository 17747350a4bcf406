import stableStringify from 'fast-json-stable-stringify';
import { createHash } from 'node:crypto';

/**
 * Identical requests share a key: the same client, job type and payload, whatever the order of the
 * payload's keys. The jobs table allows one pending job per key.
 */
export function dedupeKeyOf(clientId: string, type: string, payload: unknown): string {
  return createHash('sha256')
    .update(stableStringify([clientId, type, payload]))
    .digest('hex');
}
