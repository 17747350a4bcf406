import { DatabaseSession } from '@app/database';
import { JobRows } from '../../support/job-rows';

/** How one client's `test.effect` jobs ended, and the side effects their runs committed. */
export interface EffectTally {
  pending: number;
  processed: number;
  /** Side-effect rows: one per committed run. */
  effects: number;
  /** Jobs with at least one side-effect row. */
  jobsWithEffects: number;
}

export async function tallyEffects(db: DatabaseSession, clientId: string): Promise<EffectTally> {
  const [row] = await db.query<Record<keyof EffectTally, string | number>>(
    `SELECT
       (SELECT COUNT(*) FROM jobs
         WHERE client_id = :clientId AND state IN ('waiting', 'running')) AS pending,
       (SELECT COUNT(*) FROM jobs WHERE client_id = :clientId AND state = 'processed') AS processed,
       (SELECT COUNT(*) FROM test_effects e JOIN jobs j ON j.id = e.job_id
         WHERE j.client_id = :clientId) AS effects,
       (SELECT COUNT(DISTINCT e.job_id) FROM test_effects e JOIN jobs j ON j.id = e.job_id
         WHERE j.client_id = :clientId) AS "jobsWithEffects"`,
    { clientId },
  );
  return {
    pending: Number(row.pending),
    processed: Number(row.processed),
    effects: Number(row.effects),
    jobsWithEffects: Number(row.jobsWithEffects),
  };
}

/**
 * Inserts `count` `test.effect` jobs as a worker that died mid-run leaves them: running, on their
 * first attempt, under a lease that has expired.
 */
export async function insertOrphanedEffectJobs(
  jobs: JobRows,
  count: number,
  clientId: string,
): Promise<string[]> {
  const ids: string[] = [];
  const past = (ms: number) => new Date(Date.now() - ms);
  for (let start = 0; start < count; start += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - start) }, (_, i) =>
        jobs.insert({
          type: 'test.effect',
          clientId,
          payload: { orphan: start + i },
          eta: past(0),
          state: 'running',
          attempts: 1,
          lockedBy: 'a-worker-that-died',
          lockedUntil: past(1_000),
          runAt: past(60_000),
        }),
      ),
    );
    ids.push(...batch.map((job) => job.id));
  }
  return ids;
}
