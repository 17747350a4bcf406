import { TransientJobError } from './job-outcome';

/** PostgreSQL error codes of conditions that pass: serialization, deadlock, shutdown, connection. */
const TRANSIENT_SQLSTATES = new Set([
  '40001',
  '40P01',
  '55P03',
  '53300',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);
const TRANSIENT_MESSAGES =
  /connection terminated|connection timeout|timeout exceeded|server closed the connection/i;

/** Whether a failure is worth retrying: the database connection lost, a timeout, a lock. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientJobError) return true;
  if (!(error instanceof Error)) return false;
  const withCode = error as Error & { code?: unknown; driverError?: unknown };
  const code = typeof withCode.code === 'string' ? withCode.code : undefined;
  if (code && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_CODES.has(code))) return true;
  if (error.name === 'TimeoutError' || TRANSIENT_MESSAGES.test(error.message)) return true;
  return withCode.driverError instanceof Error && isTransient(withCode.driverError);
}
