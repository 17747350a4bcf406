import { Injectable } from '@nestjs/common';
import { JobStatistics } from '../job-statistics';
import { estimateEta, meanDurations, QueueSnapshot } from './eta';
import { WORKER_LIVE_MS, WorkersRepository } from './workers.repository';

const SNAPSHOT_TTL_MS = 1_000;
const DURATION_WINDOW_MS = 60 * 60 * 1000;
const DURATION_SAMPLES = 500;

/**
 * Estimates the eta of new jobs from a snapshot of the queue, refreshed at most once a second per
 * process, so enqueueing costs no extra queries under load.
 */
@Injectable()
export class EtaEstimator {
  private snapshot: { at: number; value: Promise<QueueSnapshot> } | undefined;

  constructor(
    private readonly statistics: JobStatistics,
    private readonly workers: WorkersRepository,
  ) {}

  async estimate(type: string, now: Date = new Date()): Promise<Date> {
    return estimateEta(await this.currentSnapshot(now), type, now);
  }

  /** Forgets the cached snapshot (after a change the next estimate must see). */
  invalidate(): void {
    this.snapshot = undefined;
  }

  private currentSnapshot(now: Date): Promise<QueueSnapshot> {
    if (!this.snapshot || now.getTime() - this.snapshot.at > SNAPSHOT_TTL_MS) {
      const value = this.measure(now);
      this.snapshot = { at: now.getTime(), value };
      value.catch(() => (this.snapshot = undefined));
    }
    return this.snapshot.value;
  }

  private async measure(now: Date): Promise<QueueSnapshot> {
    const [samples, pendingByType, capacity, paused] = await Promise.all([
      this.statistics.recentDurations(
        new Date(now.getTime() - DURATION_WINDOW_MS),
        DURATION_SAMPLES,
      ),
      this.statistics.countPendingByType(),
      this.workers.capacitySince(new Date(now.getTime() - WORKER_LIVE_MS)),
      this.statistics.pausedTypes(),
    ]);
    const { byType, overall } = meanDurations(samples);
    return { meanDurationMs: byType, overallMeanMs: overall, pendingByType, capacity, paused };
  }
}
