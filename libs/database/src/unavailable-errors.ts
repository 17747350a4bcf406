import { QueryFailedError } from 'typeorm';

/**
 * PostgreSQL error codes of conditions that pass: serialization, deadlock, a statement cancelled by
 * `statement_timeout`, shutdown, connection.
 */
const TRANSIENT_SQLSTATES = new Set([
  '57014',
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
  /connection terminated|connection timeout|timeout exceeded|query read timeout|server closed the connection|not connected|connection is not open|is not established/i;
/**
 * A timeout; and TypeORM's refusal of a statement on a query runner it released because the
 * connection dropped between two statements of a transaction.
 */
const TRANSIENT_NAMES = new Set(['TimeoutError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * Whether an error means the database cannot answer for now (connection lost or refused, a
 * timeout, a lock), as opposed to a bug or bad data: worth a retry, and a 503 to a caller.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  // Duck-typed: errors raised by native drivers need not be instances of this realm's Error.
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message, driverError } = error as Record<string, unknown>;
  if (typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_CODES.has(code))) {
    return true;
  }
  if (typeof name === 'string' && TRANSIENT_NAMES.has(name)) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGES.test(message)) return true;
  return driverError !== undefined && isDatabaseUnavailable(driverError);
}

/** The codes of a unique (or primary key) violation: another writer took the key first. */
const UNIQUE_VIOLATIONS = new Set([
  '23505',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_CONSTRAINT_UNIQUE',
]);

/** Whether a write failed because a row with the same key exists, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && UNIQUE_VIOLATIONS.has(code);
}
