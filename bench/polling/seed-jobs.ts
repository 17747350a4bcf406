import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';

/** The jobs the polling benchmarks read: one pending, one processed (303), one id that is none. */
export const PENDING = 'BenchPendingJob000001';
export const PROCESSED = 'BenchProcessedJob0001';
export const UNKNOWN = 'BenchUnknownJob000001';

/**
 * Writes the pending and the processed job of `bench-client` straight into the database the
 * service migrated (`DATA_DIR`'s SQLite file, or `DATABASE_URL`), replacing earlier ones.
 */
export async function seedPollJobs(database: string, env: NodeJS.ProcessEnv): Promise<void> {
  const eta = new Date(Date.now() + 3_600_000);
  const result = JSON.stringify({
    kind: 'links',
    links: [{ entity: 'encounter', href: '/api/patients/p/encounters/e' }],
  });
  const rows: [string, string, number | null, string | null][] = [
    [PENDING, 'waiting', null, null],
    [PROCESSED, 'processed', 200, result],
  ];
  if (database === 'sqlite') {
    const db = new Database(join(env.DATA_DIR!, 'mis-jobs.sqlite'));
    const insert = db.prepare(
      `INSERT OR REPLACE INTO jobs (id, type, client_id, state, status_code, payload, result, eta, attempts, run_at, created_at, updated_at)
       VALUES (?, 'bench', 'bench-client', ?, ?, '{}', ?, ?, 0, ?, ?, ?)`,
    );
    const at = eta.toISOString().replace('T', ' ').replace('Z', '');
    for (const [id, state, code, res] of rows) insert.run(id, state, code, res, at, at, at, at);
    db.close();
    return;
  }
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query('DELETE FROM jobs WHERE id = ANY($1)', [rows.map((row) => row[0])]);
  for (const [id, state, code, res] of rows) {
    await client.query(
      `INSERT INTO jobs (id, type, client_id, state, status_code, payload, result, eta, attempts, run_at)
       VALUES ($1, 'bench', 'bench-client', $2, $3, '{}', $4, $5, 0, $5)`,
      [id, state, code, res, eta],
    );
  }
  await client.end();
}
