import { InstantColumn } from '@app/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One claim of a job: which worker ran it, when, and how it ended. Written by triggers on `jobs`
 * (see the migration), so the engine's statements stay as they are; deleted with the job.
 */
@Entity({ name: 'job_attempts' })
export class JobAttempt {
  @PrimaryColumn({ name: 'job_id', type: 'varchar', length: 21 })
  jobId: string;

  /** The claim's number (the job's `attempts` after it). */
  @PrimaryColumn({ type: 'integer' })
  attempt: number;

  @Column({ type: 'varchar', length: 64, nullable: true })
  worker: string | null;

  @InstantColumn({ name: 'started_at', nullable: true })
  startedAt: Date | null;

  @InstantColumn({ name: 'ended_at', nullable: true })
  endedAt: Date | null;

  /** `processed`, `failed`, `failed_with_error`, `rescheduled` or `lease_expired`; null while it runs. */
  @Column({ type: 'varchar', length: 20, nullable: true })
  outcome: string | null;

  /** The error id of a crash, as logged with its stack; never the error's text. */
  @Column({ name: 'error_id', type: 'varchar', length: 64, nullable: true })
  errorId: string | null;
}
