import { DatabaseSession } from '@app/database';
import { Injectable } from '@nestjs/common';

/** Pending jobs of one type, and the age of the oldest. */
export interface QueueDepth {
  type: string;
  depth: number;
  oldestAgeSeconds: number;
}

/**
 * Counts over the jobs table, for the eta and the queue gauges. The same SQL on every database.
 */
@Injectable()
export class JobStatistics {
  constructor(private readonly db: DatabaseSession) {}

  /** The job types an operator paused (their jobs wait; the eta says so). */
  async pausedTypes(): Promise<Set<string>> {
    const rows = await this.db.query<{ type: string }>('SELECT type FROM job_type_pauses', {});
    return new Set(rows.map((row) => row.type));
  }

  /** Pending jobs by type: the work queued ahead of a new job. */
  async countPendingByType(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ type: string; count: string | number }>(
      `SELECT type, COUNT(*) AS count FROM jobs WHERE state IN ('waiting', 'running') GROUP BY type`,
      {},
    );
    return new Map(rows.map((row) => [row.type, Number(row.count)]));
  }

  /** Pending jobs and the age of the oldest, by type (the queue gauges). */
  async queueSnapshot(now: Date): Promise<QueueDepth[]> {
    const rows = await this.db.query<{ type: string; depth: string | number; oldest: unknown }>(
      `SELECT type, COUNT(*) AS depth, MIN(created_at) AS oldest FROM jobs
        WHERE state IN ('waiting', 'running') GROUP BY type`,
      {},
    );
    return rows.map((row) => ({
      type: row.type,
      depth: Number(row.depth),
      oldestAgeSeconds: Math.max(
        0,
        (now.getTime() - this.db.fromDatabase(row.oldest)!.getTime()) / 1000,
      ),
    }));
  }

  /** How long recent jobs took to run, newest first, by type. */
  async recentDurations(since: Date, limit: number): Promise<{ type: string; ms: number }[]> {
    const rows = await this.db.query<{ type: string; started_at: unknown; finished_at: unknown }>(
      `SELECT type, started_at, finished_at FROM jobs
        WHERE finished_at IS NOT NULL AND finished_at > :since AND started_at IS NOT NULL
        ORDER BY finished_at DESC
        LIMIT :limit`,
      { since, limit },
    );
    return rows.map((row) => ({
      type: row.type,
      ms: Math.max(
        0,
        this.db.fromDatabase(row.finished_at)!.getTime() -
          this.db.fromDatabase(row.started_at)!.getTime(),
      ),
    }));
  }
}
