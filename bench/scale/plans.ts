/**
 * `EXPLAIN (ANALYZE, BUFFERS)` of the statements that must not grow with the table, as
 * the repositories and stores send them: the poll read by id and client, a page of a client's job
 * list and its count, the claim of the next due job, and one retention batch. Writes run in a
 * transaction that is rolled back.
 */
import { Client } from 'pg';
import { BENCH_CLIENT, BENCH_LISTER } from './service';
import { PROCESSED_JOB } from './fill';

const STATEMENTS: [string, string][] = [
  [
    'poll read (GET /api/jobs/{id})',
    `SELECT * FROM jobs WHERE id = '${PROCESSED_JOB}' AND client_id = '${BENCH_CLIENT}' LIMIT 1`,
  ],
  [
    'list page (GET /api/jobs?status=failed, JobsRepository.listForClient)',
    `SELECT id, type, state, status_code, created_at, updated_at FROM jobs
      WHERE client_id = '${BENCH_LISTER}' AND state IN ('failed')
      ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 0`,
  ],
  [
    'list count (GET /api/jobs?status=failed, JobsRepository.listForClient)',
    `SELECT COUNT(*) AS total FROM jobs WHERE client_id = '${BENCH_LISTER}' AND state IN ('failed')`,
  ],
  [
    'claim (the claim part of PostgresJobStore.completeAndClaim)',
    `WITH expired AS (
            SELECT id, state FROM jobs WHERE state = 'running' AND locked_until < now()
               AND type NOT IN (SELECT type FROM job_type_pauses)
             ORDER BY locked_until LIMIT 4 FOR UPDATE SKIP LOCKED),
          waiting AS (
            SELECT id, state FROM jobs WHERE state = 'waiting' AND run_at <= now()
               AND type NOT IN (SELECT type FROM job_type_pauses)
             ORDER BY run_at LIMIT 4 FOR UPDATE SKIP LOCKED),
          due AS (SELECT * FROM expired UNION ALL SELECT * FROM waiting LIMIT 4)
     UPDATE jobs SET state = 'running', attempts = attempts + 1,
            locked_until = now() + interval '30 seconds', locked_by = 'bench', started_at = now(),
            updated_at = now()
       FROM due
      WHERE jobs.id = due.id
      RETURNING jobs.*, due.state AS previous_state`,
  ],
  [
    'retention batch (PostgresJobStore.deleteFinishedBefore)',
    `DELETE FROM jobs WHERE id = ANY(ARRAY(
       SELECT id FROM jobs
        WHERE state IN ('processed', 'failed', 'failed_with_error')
          AND updated_at < now() - interval '7 days'
        LIMIT 1000))
     RETURNING id`,
  ],
];

export async function explainPlans(client: Client): Promise<string> {
  const out: string[] = [];
  for (const [name, sql] of STATEMENTS) {
    await client.query('BEGIN');
    try {
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
      );
      out.push(`-- ${name}`, ...plan.rows.map((row) => row['QUERY PLAN']), '');
    } finally {
      await client.query('ROLLBACK');
    }
  }
  return out.join('\n');
}
