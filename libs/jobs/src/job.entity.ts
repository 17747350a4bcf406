import { CreatedAtColumn, InstantColumn, UpdatedAtColumn } from '@app/database';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JobResult } from './job-result';
import { JobState } from './job-state';

/**
 * One asynchronous job. The indexes and the check mirror the migrations (which also hold their
 * `WHERE` clauses), so `migration:generate` sees no difference.
 */
@Entity({ name: 'jobs' })
@Check(
  'jobs_state_known',
  `"state" IN ('waiting', 'running', 'processed', 'failed', 'failed_with_error')`,
)
@Index('jobs_pending_dedupe_key', ['dedupeKey'], {
  unique: true,
  where: `"state" IN ('waiting', 'running') AND "dedupe_key" IS NOT NULL`,
})
@Index('jobs_waiting_run_at', ['runAt'], { where: `"state" = 'waiting'` })
@Index('jobs_running_locked_until', ['lockedUntil'], { where: `"state" = 'running'` })
@Index('jobs_finished_updated_at', ['updatedAt'], {
  where: `"state" IN ('processed', 'failed', 'failed_with_error')`,
})
@Index('jobs_type_finished_at', ['type', 'finishedAt'], { where: `"finished_at" IS NOT NULL` })
@Index('jobs_client_created_at', ['clientId', 'createdAt', 'id'])
@Index('jobs_failed_with_error_created_at', ['createdAt', 'id'], {
  where: `"state" = 'failed_with_error'`,
})
export class Job {
  @PrimaryColumn({ type: 'varchar', length: 21 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId: string;

  @Column({ type: 'varchar', length: 20 })
  state: JobState;

  @Column({ name: 'status_code', type: 'integer', nullable: true })
  statusCode: number | null;

  /**
   * What the job was given (clinical data): erased (NULL) when the job ends `processed` or
   * `failed`, kept by a `failed_with_error` job until it is retried or deleted.
   */
  @Column({ type: 'simple-json', nullable: true })
  payload: Record<string, unknown> | null;

  @Column({ type: 'simple-json', nullable: true })
  result: JobResult | null;

  @InstantColumn()
  eta: Date;

  /** The hash identical pending requests share (`dedupeKeyOf`); erased with the payload. */
  @Column({ name: 'dedupe_key', type: 'varchar', length: 64, nullable: true })
  dedupeKey: string | null;

  /** Claims so far; the claim's number is the fencing token its completion must present. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /**
   * Claims made before an operator's last retry of this job (`failed_with_error` run again): its
   * attempt budget (`JOB_MAX_ATTEMPTS`) counts the claims after it; `attempts` never goes back.
   */
  @Column({ name: 'attempt_base', type: 'integer', default: 0 })
  attemptBase: number;

  /** When a waiting job may be claimed (later than now while it backs off after a transient error). */
  @InstantColumn({ name: 'run_at', default: () => 'CURRENT_TIMESTAMP' })
  runAt: Date;

  /** The lease of a running job: another worker may claim it once this has passed. */
  @InstantColumn({ name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'locked_by', type: 'varchar', length: 64, nullable: true })
  lockedBy: string | null;

  @InstantColumn({ name: 'started_at', nullable: true })
  startedAt: Date | null;

  @InstantColumn({ name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  /** The last failure, for operators only; never shown to callers. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreatedAtColumn({ name: 'created_at' })
  createdAt: Date;

  @UpdatedAtColumn({ name: 'updated_at' })
  updatedAt: Date;
}
