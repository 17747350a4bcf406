import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { JobResult } from './job-result';
import { JobState } from './job-state';

/**
 * One asynchronous job. Timestamps are declared as `Date` so the driver picks its own type; the
 * migrations create `timestamptz` on PostgreSQL and `datetime` on SQLite.
 */
@Entity({ name: 'jobs' })
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

  @Column({ type: 'simple-json' })
  payload: Record<string, unknown>;

  @Column({ type: 'simple-json', nullable: true })
  result: JobResult | null;

  @Column({ type: Date })
  eta: Date;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 64, nullable: true })
  dedupeKey: string | null;

  /** Claims so far; the claim's number is the fencing token its completion must present. */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When a waiting job may be claimed (later than now while it backs off after a transient error). */
  @Column({ name: 'run_at', type: Date })
  runAt: Date;

  /** The lease of a running job: another worker may claim it once this has passed. */
  @Column({ name: 'locked_until', type: Date, nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'locked_by', type: 'varchar', length: 64, nullable: true })
  lockedBy: string | null;

  @Column({ name: 'started_at', type: Date, nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: Date, nullable: true })
  finishedAt: Date | null;

  /** The last failure, for operators only; never shown to callers. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: Date })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: Date })
  updatedAt: Date;
}
