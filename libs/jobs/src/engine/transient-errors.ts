import { isDatabaseUnavailable } from '@app/database';
import { TransientJobError } from './job-outcome';

/** Whether a failure is worth retrying: the handler says so, or the database is unavailable. */
export function isTransient(error: unknown): boolean {
  return error instanceof TransientJobError || isDatabaseUnavailable(error);
}
