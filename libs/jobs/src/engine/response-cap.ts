import { ErrorBody } from '@app/http';

export const MAX_STORED_RESPONSE_BYTES = 10_000;
const MAX_MESSAGE_CHARACTERS = 9_997;

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * Fits a failed job's error into 10,000 bytes of JSON with the production rule: first every
 * `invalid[].rules[].params` becomes `[]`, then `invalid` entries are dropped from the end until it
 * fits; a message still too long is cut to 9,997 characters plus `...` (SPEC section 4 counts
 * the message in characters, as production does, so such an error can end a few bytes over).
 */
export function capStoredError(error: ErrorBody): ErrorBody {
  if (byteLength(error) <= MAX_STORED_RESPONSE_BYTES) return error;
  const capped: ErrorBody = { ...error };
  if (capped.invalid) {
    capped.invalid = capped.invalid.map((entry) => ({
      ...entry,
      rules: entry.rules.map((rule) => ({ ...rule, params: [] })),
    }));
    while (capped.invalid.length > 0 && byteLength(capped) > MAX_STORED_RESPONSE_BYTES) {
      capped.invalid = capped.invalid.slice(0, -1);
    }
  }
  if (
    byteLength(capped) > MAX_STORED_RESPONSE_BYTES &&
    capped.message.length > MAX_MESSAGE_CHARACTERS
  ) {
    capped.message = `${capped.message.slice(0, MAX_MESSAGE_CHARACTERS)}...`;
  }
  return capped;
}
