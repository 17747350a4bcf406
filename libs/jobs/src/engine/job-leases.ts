import { DatabaseSession } from '@app/database';
import { Logger } from '@nestjs/common';
import { RunningJob } from './handler-runs';
import { Claim, ClaimedJob, JobStore } from './job-store';
import { describe } from './job-settlement';

/**
 * A worker's hold on its jobs: the leases of its runs and of the jobs it claimed ahead, renewed
 * together in one statement; and, when it stops, the jobs it gives back (claimed ahead, never
 * started) and the runs it releases to other workers.
 */
export class JobLeases {
  private readonly logger = new Logger('JobWorker');

  constructor(
    private readonly store: JobStore,
    private readonly db: DatabaseSession,
    private readonly leaseMs: number,
  ) {}

  /**
   * Renews the leases of `runs` and of the jobs claimed ahead (`queued`), at once. A run whose
   * lease is lost (another worker took the job over) is aborted, unless it was settled meanwhile.
   */
  async renew(
    runs: RunningJob[],
    queued: readonly ClaimedJob[],
    isUnsettled: (run: RunningJob) => boolean,
  ): Promise<void> {
    const ahead: Claim[] = queued.map((job) => ({ id: job.id, attempt: job.attempts }));
    if (runs.length === 0 && ahead.length === 0) return;
    const until = new Date(Date.now() + this.leaseMs);
    try {
      const held = await this.db.serialized(() =>
        this.store.renewLeases([...runs.map((run) => run.claim), ...ahead], until),
      );
      for (const run of runs) {
        // Settled meanwhile (its completion committed): nothing to abort.
        if (!held.has(run.claim.id) && isUnsettled(run)) run.abort.abort(new Error('lease lost'));
      }
    } catch (error) {
      this.logger.warn(
        `Could not renew the leases of ${runs.length + ahead.length} jobs: ${describe(error)}`,
      );
    }
  }

  /** Gives back jobs claimed ahead and never started, their attempt numbers restored. */
  async giveBack(unstarted: ClaimedJob[]): Promise<void> {
    if (unstarted.length === 0) return;
    await this.db
      .serialized(() =>
        this.store.giveBack(
          unstarted.map((job) => ({ id: job.id, attempt: job.attempts })),
          new Date(),
        ),
      )
      .catch((error: Error) =>
        this.logger.warn(`Could not give back ${unstarted.length} jobs: ${error.message}`),
      );
  }

  /** Aborts a run still going at shutdown and puts its job back to wait for another worker. */
  async release(run: RunningJob, now: Date): Promise<void> {
    run.abort.abort(new Error('worker shutting down'));
    await this.db
      .serialized(() => this.store.reschedule(run.claim, now, now, 'released at shutdown', now))
      .catch((error: Error) =>
        this.logger.warn(`Could not release ${run.claim.id}: ${error.message}`),
      );
  }
}
