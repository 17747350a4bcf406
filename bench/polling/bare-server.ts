/**
 * The baseline of the polling benchmark: `GET /api/jobs/{id}` written by hand on `node:http`,
 * doing the same work as the service (bench/README.md lists it): what every request gets
 * (`../support/bare-http.ts`), the `job:read` scope and the poll budget, the row read by id and
 * client from the same database, and the status table's answer.
 *
 * Usage: bare-server.ts <port>; env DATABASE_URL or DATA_DIR, AUTH_JWT_SECRET, PUBLIC_URL,
 * RATE_LIMIT_POLL_PER_MINUTE, REQUEST_TIMEOUT_SECONDS.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Answer, authorize, refusal, serveBare } from '../support/bare-http';

interface Row {
  id: string;
  client_id: string;
  state: string;
  status_code: number | null;
  result: string | null;
  eta: string | Date;
}

const JOB_ID = /^[A-Za-z0-9_-]{21}$/;
const PATH = /^\/api\/jobs\/([^/]+)$/;
const SELECT =
  'SELECT id, client_id, state, status_code, result, eta FROM jobs WHERE id = $1 AND client_id = $2';
const POLL_BUDGET = {
  name: 'poll' as const,
  perMinute: Number(process.env.RATE_LIMIT_POLL_PER_MINUTE ?? 1200),
};

function reader(): (id: string, clientId: string) => Promise<Row | undefined> {
  if (process.env.DATABASE_URL) {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return async (id, clientId) =>
      (await pool.query<Row>({ name: 'job', text: SELECT, values: [id, clientId] })).rows[0];
  }
  const db = new Database(join(process.env.DATA_DIR ?? './data', 'mis-jobs.sqlite'), {
    readonly: true,
  });
  const statement = db.prepare(SELECT.replace('$1', '?').replace('$2', '?'));
  return async (id, clientId) => statement.get(id, clientId) as Row | undefined;
}

const find = reader();

serveBare(Number(process.argv[2]), '/api/jobs/:id', async (request): Promise<Answer> => {
  const match = PATH.exec(request.path);
  if (!match) return refusal(404, 'not_found', 'Not found.');
  const client = await authorize(request, 'job:read', POLL_BUDGET);
  if (Array.isArray(client)) return client;
  const id = match[1];
  const row = JOB_ID.test(id) ? await find(id, client.clientId) : undefined;
  if (!row) return refusal(404, 'not_found', 'Job not found.');
  const etaDate = row.eta instanceof Date ? row.eta : new Date(`${row.eta.replace(' ', 'T')}Z`);
  const eta = etaDate.toISOString();
  if (row.state === 'waiting' || row.state === 'running') {
    const wait = Math.ceil((etaDate.getTime() - Date.now()) / 1000);
    return [
      200,
      { data: { status: 'pending', eta, links: [{ entity: 'job', href: `/api/jobs/${id}` }] } },
      { 'retry-after': String(Math.min(60, Math.max(1, wait))), 'cache-control': 'no-store' },
    ];
  }
  const result = JSON.parse(row.result ?? '{}') as {
    kind: string;
    links?: { href: string }[];
    response_data?: unknown;
  };
  const done = { status: row.state, status_code: row.status_code, eta };
  if (result.kind === 'links') {
    return [303, { data: { ...done, links: result.links } }, { location: result.links![0].href }];
  }
  return [200, { data: { ...done, response_data: result.response_data } }, {}];
});
