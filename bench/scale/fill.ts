/**
 * Fills a migrated jobs table with `size` jobs in two statements (`generate_series`): `waiting`
 * jobs due now for claims, two recent jobs to read (one pending, one processed), and the rest
 * processed a month ago (past the 7-day retention).
 */
import { Client } from 'pg';
import { BENCH_CLIENT } from './service';

export const PENDING_JOB = 'RecentPendingJob00001';
export const PROCESSED_JOB = 'RecentProcessedJob001';

export async function fillJobs(client: Client, size: number, waiting: number): Promise<void> {
  const columns = `id, type, client_id, state, status_code, payload, result, eta, attempts,
    run_at, started_at, finished_at, created_at, updated_at`;
  const result = `'{"kind":"data","response_data":{"ok":true}}'`;
  await client.query(
    `INSERT INTO jobs (${columns})
     SELECT 'Old' || lpad(g::text, 18, '0'), 'bench.scale', $1, 'processed', 200, '{}', ${result},
            t, 1, t, t, t, t, t
       FROM generate_series(1, $2::int) AS g, (SELECT now() - interval '30 days' AS t) AS old`,
    [BENCH_CLIENT, size - waiting - 2],
  );
  await client.query(
    `INSERT INTO jobs (${columns})
     SELECT 'Due' || lpad(g::text, 18, '0'), 'bench.scale', $1, 'waiting', NULL, '{}', NULL,
            now() + interval '1 hour', 0, now() - g * interval '1 ms', NULL, NULL, now(), now()
       FROM generate_series(1, $2::int) AS g`,
    [BENCH_CLIENT, waiting],
  );
  await client.query(
    `INSERT INTO jobs (${columns}) VALUES
       ($2, 'bench.scale', $1, 'waiting', NULL, '{}', NULL, now() + interval '1 hour', 0,
        now() + interval '1 day', NULL, NULL, now(), now()),
       ($3, 'bench.scale', $1, 'processed', 200, '{}', ${result}, now(), 1, now(), now(), now(),
        now(), now())`,
    [BENCH_CLIENT, PENDING_JOB, PROCESSED_JOB],
  );
  await client.query('VACUUM ANALYZE jobs');
}
