import { DatabaseSession } from '@app/database';
import { Injectable } from '@nestjs/common';

/**
 * A worker is live while its heartbeat (every 10 s) is younger than this: the capacity the eta
 * counts, and the workers readiness and `/metrics` report.
 */
export const WORKER_LIVE_MS = 30_000;

/** The live workers and their concurrency: the capacity the eta divides queued work by. */
@Injectable()
export class WorkersRepository {
  constructor(private readonly db: DatabaseSession) {}

  async register(id: string, concurrency: number, now: Date): Promise<void> {
    await this.db.serialized(() =>
      this.db.query(
        `INSERT INTO job_workers (id, concurrency, started_at, heartbeat_at)
         VALUES (:id, :concurrency, :now, :now)`,
        { id, concurrency, now },
      ),
    );
  }

  async heartbeat(id: string, now: Date): Promise<void> {
    await this.db.serialized(() =>
      this.db.query(`UPDATE job_workers SET heartbeat_at = :now WHERE id = :id`, { id, now }),
    );
  }

  async unregister(id: string): Promise<void> {
    await this.db.serialized(() => this.db.query(`DELETE FROM job_workers WHERE id = :id`, { id }));
  }

  /** Forgets workers that stopped without saying so (killed), once their heartbeat is long gone. */
  async forgetSilentSince(cutoff: Date): Promise<void> {
    await this.db.serialized(() =>
      this.db.query(`DELETE FROM job_workers WHERE heartbeat_at < :cutoff`, { cutoff }),
    );
  }

  /** How many workers, in any process of the deployment, have beaten their heart lately. */
  async countLive(now: Date): Promise<number> {
    const [row] = await this.db.query<{ live: string | number }>(
      `SELECT COUNT(*) AS live FROM job_workers WHERE heartbeat_at > :since`,
      { since: new Date(now.getTime() - WORKER_LIVE_MS) },
    );
    return Number(row?.live ?? 0);
  }

  /** Jobs that can run at once across the workers heard from since `since`. */
  async capacitySince(since: Date): Promise<number> {
    const [row] = await this.db.query<{ capacity: string | number | null }>(
      `SELECT SUM(concurrency) AS capacity FROM job_workers WHERE heartbeat_at > :since`,
      { since },
    );
    return Number(row?.capacity ?? 0);
  }
}
