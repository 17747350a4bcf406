/**
 * Fills a migrated jobs table with `size` jobs in two statements (`generate_series`): `waiting`
 * jobs due now for claims, two recent jobs to read (one pending, one processed), and the rest
 * finished a month ago (past the 7-day retention; one in a thousand `failed_with_error`). Beside them, `LISTED_JOBS` jobs of another
 * client submitted over the last day (one in ten failed), which `GET /api/jobs` lists.
 */
import { Client } from 'pg';
import { BENCH_CLIENT, BENCH_LISTER } from './service';

export const LISTED_JOBS = 1_000;

export const PENDING_JOB = 'RecentPendingJob00001';
export const PROCESSED_JOB = 'RecentProcessedJob001';

export async function fillJobs(client: Client, size: number, waiting: number): Promise<void> {
  const columns = `id, type, client_id, state, status_code, payload, result, eta, attempts,
    run_at, started_at, finished_at, created_at, updated_at`;
  const result = `'{"kind":"data","response_data":{"ok":true}}'`;
  await client.query(
    `INSERT INTO jobs (${columns})
     SELECT 'Old' || lpad(g::text, 18, '0'), 'bench.scale', $1,
            CASE WHEN g % 1000 = 0 THEN 'failed_with_error' ELSE 'processed' END,
            CASE WHEN g % 1000 = 0 THEN 500 ELSE 200 END, '{}', ${result}, t, 1, t, t, t, t, t
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
  await client.query(
    `INSERT INTO jobs (${columns})
     SELECT 'Listed' || lpad(g::text, 15, '0'), 'bench.scale', $1,
            CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'processed' END,
            CASE WHEN g % 10 = 0 THEN 409 ELSE 200 END, '{}', ${result}, t, 1, t, t, t, t, t
       FROM generate_series(1, $2::int) AS g,
            LATERAL (SELECT now() - g * interval '80 seconds' AS t) AS submitted`,
    [BENCH_LISTER, LISTED_JOBS],
  );
  await client.query('VACUUM ANALYZE jobs');
}
