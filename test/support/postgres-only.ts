import { TEST_DATABASE_URL } from './test-database';

/**
 * `describe` or `it` on PostgreSQL; on SQLite its `.skip`, with the reason printed. The reason goes
 * straight to stderr: jest shows no console output of a file whose tests are all skipped.
 */
export function onPostgres<T extends jest.Describe | jest.It>(
  run: T,
  what: string,
  why: string,
): T {
  if (TEST_DATABASE_URL) return run;
  process.stderr.write(`Skipping ${what}: it needs PostgreSQL, ${why} (set TEST_DATABASE_URL).\n`);
  return run.skip as T;
}
