/**
 * Where a job is in its life. `waiting` and `running` are both `pending` to callers; the other
 * three are final and name the public status.
 */
export const JOB_STATES = [
  'waiting',
  'running',
  'processed',
  'failed',
  'failed_with_error',
] as const;

export type JobState = (typeof JOB_STATES)[number];

export const PENDING_STATES: readonly JobState[] = ['waiting', 'running'];

export const FINISHED_STATES: readonly JobState[] = ['processed', 'failed', 'failed_with_error'];

export function isPending(state: JobState): boolean {
  return state === 'waiting' || state === 'running';
}

export const PUBLIC_JOB_STATUSES = ['pending', 'processed', 'failed', 'failed_with_error'] as const;

export type PublicJobStatus = (typeof PUBLIC_JOB_STATUSES)[number];

/** The states a public status stands for. */
export function statesOf(status: PublicJobStatus): readonly JobState[] {
  return status === 'pending' ? PENDING_STATES : [status];
}

export function publicStatusOf(state: JobState): PublicJobStatus {
  return state === 'waiting' || state === 'running' ? 'pending' : state;
}
