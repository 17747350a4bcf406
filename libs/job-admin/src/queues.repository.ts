import { DatabaseSession } from '@app/database';
import { PAUSED_ETA } from '@app/jobs';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Jobs finished since `:since`. A finished job is not updated again, so its `updated_at` is its
 * `finished_at`: the condition walks `jobs_finished_updated_at` rather than the whole table. A job
 * written finished without a run (an import, a test) has no `finished_at` and is left out.
 */
const FINISHED_SINCE = `state IN ('processed', 'failed', 'failed_with_error') AND updated_at > :since
  AND finished_at IS NOT NULL`;

/** How many recent runs the duration percentiles are taken from, at most. */
export const DURATION_SAMPLE = 5_000;

export interface PendingCounts {
  waiting: number;
  running: number;
  retryScheduled: number;
  oldestWaitingAt: Date | null;
}

export interface Pause {
  type: string;
  pausedAt: Date;
  pausedBy: string;
}

export interface LiveWorkerRow {
  id: string;
  concurrency: number;
  startedAt: Date;
  heartbeatAt: Date;
}

/** The queue figures of every job type, read for the operators' overview. */
@Injectable()
export class QueuesRepository {
  constructor(private readonly db: DatabaseSession) {}

  /**
   * Waiting jobs due now, running ones, and waiting ones backing off until later, by type. One
   * read per state, so each walks that state's own partial index (`jobs_waiting_run_at`,
   * `jobs_running_locked_until`) rather than the table.
   */
  async pendingByType(now: Date): Promise<Map<string, PendingCounts>> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT type, 'waiting' AS state, COUNT(*) AS total,
              SUM(CASE WHEN run_at <= :now THEN 1 ELSE 0 END) AS due, MIN(created_at) AS oldest
         FROM jobs WHERE state = 'waiting' GROUP BY type
       UNION ALL
       SELECT type, 'running', COUNT(*), 0, NULL FROM jobs WHERE state = 'running' GROUP BY type`,
      { now },
    );
    const pending = new Map<string, PendingCounts>();
    for (const row of rows) {
      const type = row.type as string;
      const counts = pending.get(type) ?? {
        waiting: 0,
        running: 0,
        retryScheduled: 0,
        oldestWaitingAt: null,
      };
      if (row.state === 'running') {
        counts.running = Number(row.total);
      } else {
        counts.waiting = Number(row.due);
        counts.retryScheduled = Number(row.total) - Number(row.due);
        counts.oldestWaitingAt = this.db.fromDatabase(row.oldest);
      }
      pending.set(type, counts);
    }
    return pending;
  }

  async failedWithErrorSince(since: Date): Promise<Map<string, number>> {
    const rows = await this.db.query<{ type: string; count: string | number }>(
      `SELECT type, COUNT(*) AS count FROM jobs
        WHERE state = 'failed_with_error' AND updated_at > :since GROUP BY type`,
      { since },
    );
    return new Map(rows.map((row) => [row.type, Number(row.count)]));
  }

  /** Jobs finished since `since`, by type and by the minute they finished in. */
  async finishedPerMinute(since: Date): Promise<{ type: string; minute: Date; count: number }[]> {
    const minute = this.db.isPostgres
      ? `date_trunc('minute', finished_at)`
      : `substr(finished_at, 1, 16) || ':00.000'`;
    const rows = await this.db.query<{ type: string; minute: unknown; count: string | number }>(
      `SELECT type, ${minute} AS minute, COUNT(*) AS count FROM jobs
        WHERE ${FINISHED_SINCE} GROUP BY type, ${minute}`,
      { since },
    );
    return rows.map((row) => ({
      type: row.type,
      minute: this.db.fromDatabase(row.minute)!,
      count: Number(row.count),
    }));
  }

  /** How long the latest runs finished since `since` took (at most `DURATION_SAMPLE` of them). */
  async durationsSince(since: Date): Promise<{ type: string; ms: number }[]> {
    const rows = await this.db.query<{ type: string; started_at: unknown; finished_at: unknown }>(
      `SELECT type, started_at, finished_at FROM jobs
        WHERE ${FINISHED_SINCE} AND started_at IS NOT NULL
        ORDER BY updated_at DESC LIMIT :limit`,
      { since, limit: DURATION_SAMPLE },
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

  async pauses(): Promise<Map<string, Pause>> {
    const rows = await this.db.query<Record<string, unknown>>(
      'SELECT type, paused_at, paused_by FROM job_type_pauses',
      {},
    );
    return new Map(
      rows.map((row) => [
        row.type as string,
        {
          type: row.type as string,
          pausedAt: this.db.fromDatabase(row.paused_at)!,
          pausedBy: row.paused_by as string,
        },
      ]),
    );
  }

  async liveWorkers(since: Date): Promise<LiveWorkerRow[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, concurrency, started_at, heartbeat_at FROM job_workers
        WHERE heartbeat_at > :since ORDER BY started_at, id`,
      { since },
    );
    return rows.map((row) => ({
      id: row.id as string,
      concurrency: Number(row.concurrency),
      startedAt: this.db.fromDatabase(row.started_at)!,
      heartbeatAt: this.db.fromDatabase(row.heartbeat_at)!,
    }));
  }

  /**
   * Pauses a type, and says so in the eta of its waiting jobs; false when it was paused already.
   * Workers stop claiming it with their next statement.
   */
  async pause(manager: EntityManager, pause: Pause): Promise<boolean> {
    const rows = await this.db.query<{ type: string }>(
      `INSERT INTO job_type_pauses (type, paused_at, paused_by) VALUES (:type, :pausedAt, :pausedBy)
       ON CONFLICT DO NOTHING RETURNING type`,
      { ...pause },
      manager,
    );
    if (rows.length === 0) return false;
    await this.db.query(
      `UPDATE jobs SET eta = :eta WHERE state = 'waiting' AND type = :type`,
      { eta: PAUSED_ETA, type: pause.type },
      manager,
    );
    return true;
  }

  /** Resumes a type; false when it was not paused. */
  async resume(manager: EntityManager, type: string): Promise<boolean> {
    const rows = await this.db.query<{ type: string }>(
      'DELETE FROM job_type_pauses WHERE type = :type RETURNING type',
      { type },
      manager,
    );
    return rows.length === 1;
  }

  /** Gives the waiting jobs of a resumed type the eta of a job submitted now. */
  async replacePausedEta(type: string, eta: Date): Promise<void> {
    await this.db.serialized(() =>
      this.db.query(
        `UPDATE jobs SET eta = :eta WHERE state = 'waiting' AND type = :type AND eta = :paused`,
        { eta, type, paused: PAUSED_ETA },
      ),
    );
  }
}
