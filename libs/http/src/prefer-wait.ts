export const MAX_WAIT_SECONDS = 60;

const WAIT = /(?:^|[,;])\s*wait\s*=\s*"?(\d{1,9})"?\s*(?=$|[,;])/i;

/**
 * The seconds a caller asks to wait with `Prefer: wait=N` (RFC 7240), capped at 60; 0 when the
 * header is absent or asks for nothing we can honour.
 */
export function preferredWaitSeconds(prefer: string | string[] | undefined): number {
  const header = Array.isArray(prefer) ? prefer.join(',') : prefer;
  const match = header ? WAIT.exec(header) : null;
  return match ? Math.min(MAX_WAIT_SECONDS, Number(match[1])) : 0;
}
