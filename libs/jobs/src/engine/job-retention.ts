import { AppConfig } from '@app/config';
import { DatabaseSession } from '@app/database';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { JobStore } from './job-store';
import { WorkersRepository } from './workers.repository';

const CLEANUP_INTERVAL_MS = 10 * 60 * 1000;
const FIRST_CLEANUP_DELAY_MS = 30 * 1000;
const BATCH = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const FORGET_WORKERS_AFTER_MS = 60 * 60 * 1000;

/**
 * Deletes finished jobs `JOB_TTL_DAYS` after their last update, in batches so no statement holds
 * the table for long. Pending jobs are never deleted. Runs where a worker runs.
 */
@Injectable()
export class JobRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobRetention');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly workers: WorkersRepository,
    private readonly db: DatabaseSession,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.workerEnabled) return;
    const run = () =>
      void this.purge().catch((error: Error) =>
        this.logger.warn(`Cleanup failed: ${error.message}`),
      );
    this.timers = [setTimeout(run, FIRST_CLEANUP_DELAY_MS), setInterval(run, CLEANUP_INTERVAL_MS)];
    for (const timer of this.timers) timer.unref();
  }

  beforeApplicationShutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** Deletes every finished job older than the TTL; returns how many. */
  async purge(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.jobs.ttlDays * DAY_MS);
    let deleted = 0;
    for (;;) {
      const batch = await this.db.serialized(() => this.store.deleteFinishedBefore(cutoff, BATCH));
      deleted += batch;
      if (batch < BATCH) break;
    }
    await this.workers.forgetSilentSince(new Date(now.getTime() - FORGET_WORKERS_AFTER_MS));
    if (deleted > 0)
      this.logger.log(`Deleted ${deleted} finished jobs older than ${cutoff.toISOString()}`);
    return deleted;
  }
}
