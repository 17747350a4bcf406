import { PUBLIC_JOB_STATUSES, PublicJobStatus, JOB_STATES, JobState } from '@app/jobs';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** What `/api/admin` answers: figures, states and digests, never a payload or a result. */

const INSTANT = { format: 'date-time', example: '2026-11-20T09:30:00.000Z' } as const;
const NULLABLE_INSTANT = { ...INSTANT, nullable: true } as const;

@ApiSchema({
  name: 'RunDurations',
  description: 'Run durations in milliseconds; null when no run finished in the last hour.',
})
export class RunDurations {
  @ApiProperty({ type: 'number', nullable: true, example: 120 })
  p50: number | null;

  @ApiProperty({ type: 'number', nullable: true, example: 480 })
  p95: number | null;
}

@ApiSchema({ name: 'JobTypeQueue', description: 'One job type: its queue, failures and pace.' })
export class JobTypeQueue {
  /** @example "encounter_package.create" */
  type: string;

  /** Whether an operator paused it: workers claim none of its jobs. */
  paused: boolean;

  @ApiProperty(NULLABLE_INSTANT)
  paused_at: string | null;

  /** The operator who paused it. */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  paused_by: string | null;

  /** Waiting jobs due now. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 12 })
  waiting: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 4 })
  running: number;

  /** Waiting jobs backing off after a transient failure, due later. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  retry_scheduled: number;

  /** Jobs that ended `failed_with_error` in the last 24 hours. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 2 })
  failed_with_error_24h: number;

  /** How long the oldest waiting job has waited, in seconds; null when none waits. */
  @ApiProperty({ type: 'number', nullable: true, minimum: 0, example: 3.2 })
  oldest_waiting_age_seconds: number | null;

  /** Jobs finished in each minute of the last hour, aligned with `minutes`. */
  @ApiProperty({ type: 'integer', isArray: true, example: [0, 3, 5] })
  finished_per_minute: number[];

  /** Of the latest runs finished in the last hour (up to 5,000 of every type together). */
  duration_ms: RunDurations;
}

@ApiSchema({ name: 'LiveWorker', description: 'A worker loop with a recent heartbeat.' })
export class LiveWorker {
  /** @example "mis-worker-1-4242-a1b2c3" */
  id: string;

  /** Jobs it runs at once (`WORKER_CONCURRENCY`). */
  @ApiProperty({ type: 'integer', minimum: 1, example: 4 })
  capacity: number;

  @ApiProperty(INSTANT)
  started_at: string;

  @ApiProperty(INSTANT)
  last_heartbeat_at: string;
}

@ApiSchema({ name: 'QueuesOverview' })
export class QueuesOverview {
  @ApiProperty(INSTANT)
  generated_at: string;

  /** The start of each of the last 60 minutes, oldest first. */
  @ApiProperty({ type: 'string', format: 'date-time', isArray: true, example: [] })
  minutes: string[];

  /** Every job type with a handler, or with jobs, or paused. */
  types: JobTypeQueue[];

  workers: LiveWorker[];

  /** Jobs the live workers run at once, in all. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 8 })
  capacity: number;
}

@ApiSchema({ name: 'OperatorJob', description: 'A job of any client, as operators list it.' })
export class OperatorJob {
  /** @example "NBXk9EyErUZv1RhXgyvgg" */
  id: string;

  /** @example "encounter_package.create" */
  type: string;

  /** @example "mis-1" */
  client_id: string;

  /** What its client sees. */
  @ApiProperty({ enum: PUBLIC_JOB_STATUSES, example: 'failed_with_error' })
  status: PublicJobStatus;

  /** Where it is in the engine (`waiting` and `running` are both `pending` to its client). */
  @ApiProperty({ enum: JOB_STATES, example: 'failed_with_error' })
  state: JobState;

  @ApiProperty({ type: 'integer', nullable: true, example: 500 })
  status_code: number | null;

  /** Claims so far. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 1 })
  attempts: number;

  @ApiProperty(INSTANT)
  inserted_at: string;

  @ApiProperty(INSTANT)
  updated_at: string;

  @ApiProperty(NULLABLE_INSTANT)
  finished_at: string | null;

  /** A crash's error id, as logged with its stack; never the error's text. */
  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '5f0c2d1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f',
  })
  error_id: string | null;
}

@ApiSchema({
  name: 'StoredData',
  description: 'Clinical data stored with a job, described by its size and digest only.',
})
export class StoredData {
  /** Bytes of the stored JSON text; null when nothing is stored. */
  @ApiProperty({ type: 'integer', nullable: true, minimum: 0, example: 1843 })
  bytes: number | null;

  /** Hex SHA-256 of the stored JSON text; null when nothing is stored. */
  @ApiProperty({
    type: 'string',
    nullable: true,
    pattern: '^[0-9a-f]{64}$',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  sha256: string | null;
}

@ApiSchema({ name: 'JobAttempt', description: 'One claim of a job and how it ended.' })
export class JobAttemptView {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  attempt: number;

  @ApiProperty({ type: 'string', nullable: true, example: 'mis-worker-1-4242-a1b2c3' })
  worker: string | null;

  @ApiProperty(NULLABLE_INSTANT)
  started_at: string | null;

  @ApiProperty(NULLABLE_INSTANT)
  ended_at: string | null;

  /**
   * `processed`, `failed`, `failed_with_error`, `rescheduled` (a transient failure or a release
   * at shutdown), `lease_expired` (its worker was lost), or null while it runs.
   */
  @ApiProperty({
    type: 'string',
    nullable: true,
    enum: ['processed', 'failed', 'failed_with_error', 'rescheduled', 'lease_expired', null],
    example: 'failed_with_error',
  })
  outcome: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: '5f0c2d1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f',
  })
  error_id: string | null;
}

@ApiSchema({ name: 'OperatorJobDetail', description: 'One job of any client, in detail.' })
export class OperatorJobDetail extends OperatorJob {
  @ApiProperty(INSTANT)
  eta: string;

  /** When a waiting job may be claimed. */
  @ApiProperty(INSTANT)
  run_at: string;

  @ApiProperty(NULLABLE_INSTANT)
  started_at: string | null;

  /** The worker holding a running job. */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  locked_by: string | null;

  @ApiProperty(NULLABLE_INSTANT)
  locked_until: string | null;

  /** Claims made before an operator's last retry. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 0 })
  attempts_before_retry: number;

  /** The submitted payload: its size and SHA-256, never its content. */
  payload: StoredData;

  /** The stored result: its size and SHA-256, never its content (nulls while none is stored). */
  result: StoredData;

  attempt_history: JobAttemptView[];
}

@ApiSchema({ name: 'JobTypePauseState', description: 'Whether a job type is paused.' })
export class JobTypePauseState {
  /** @example "encounter_package.create" */
  type: string;

  paused: boolean;

  @ApiProperty(NULLABLE_INSTANT)
  paused_at: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'ops-1' })
  paused_by: string | null;
}

@ApiSchema({ name: 'OperatorActionEntry', description: 'One operator action.' })
export class OperatorActionEntry {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  id: number;

  @ApiProperty(INSTANT)
  at: string;

  /** The operator's client id. */
  @ApiProperty({ example: 'ops-1' })
  operator: string;

  @ApiProperty({ enum: ['job.retry', 'queue.pause', 'queue.resume'], example: 'job.retry' })
  action: string;

  /** The job id or the job type. */
  @ApiProperty({ example: 'NBXk9EyErUZv1RhXgyvgg' })
  target: string;

  @ApiProperty({ example: '1b9e0c52-2f5b-4a86-9d4e-0f8a3e5f4c21' })
  request_id: string;
}
