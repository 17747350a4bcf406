/**
 * The baseline for the polling benchmark: `GET /api/jobs/{id}` by hand on `node:http`, doing the
 * same work as the service: verify the JWT with jose, read the row by primary key from the same
 * database, write the same envelope. Usage: bare-server.ts <port>; env DATABASE_URL or DATA_DIR,
 * AUTH_JWT_SECRET. Prints READY.
 */
import Database from 'better-sqlite3';
import { jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';

interface Row {
  id: string;
  client_id: string;
  state: string;
  status_code: number | null;
  result: string | null;
  eta: string | Date;
}

const secret = new TextEncoder().encode(process.env.AUTH_JWT_SECRET);
const JOB_ID = /^[A-Za-z0-9_-]{21}$/;
const SELECT = 'SELECT id, client_id, state, status_code, result, eta FROM jobs WHERE id = ';

function reader(): (id: string) => Promise<Row | undefined> {
  if (process.env.DATABASE_URL) {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return async (id) =>
      (await pool.query<Row>({ name: 'job', text: `${SELECT}$1`, values: [id] })).rows[0];
  }
  const db = new Database(join(process.env.DATA_DIR ?? './data', 'mis-jobs.sqlite'), {
    readonly: true,
  });
  const statement = db.prepare(`${SELECT}?`);
  return async (id) => statement.get(id) as Row | undefined;
}

function send(
  res: ServerResponse,
  url: string,
  code: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const requestId = randomUUID();
  res.writeHead(code, {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
    ...headers,
  });
  res.end(
    JSON.stringify({
      ...body,
      meta: { code, url: `http://127.0.0.1${url}`, type: 'object', request_id: requestId },
    }),
  );
}

const find = reader();
createServer((req, res) => {
  void (async () => {
    const url = req.url ?? '/';
    const match = /^\/api\/jobs\/([^/?]+)/.exec(url);
    if (!match) return send(res, url, 404, { error: { type: 'not_found', message: 'Not found.' } });
    const header = req.headers.authorization ?? '';
    let clientId: string;
    try {
      const { payload } = await jwtVerify(header.slice(7), secret, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      });
      clientId = String(payload.client_id);
    } catch {
      return send(res, url, 401, {
        error: { type: 'access_denied', message: 'Invalid access token' },
      });
    }
    const id = match[1];
    const row = JOB_ID.test(id) ? await find(id) : undefined;
    if (!row || row.client_id !== clientId)
      return send(res, url, 404, { error: { type: 'not_found', message: 'Job not found.' } });
    const eta = new Date(
      row.eta instanceof Date ? row.eta : `${row.eta.replace(' ', 'T')}Z`,
    ).toISOString();
    if (row.state === 'waiting' || row.state === 'running') {
      return send(
        res,
        url,
        200,
        { data: { status: 'pending', eta, links: [{ entity: 'job', href: `/api/jobs/${id}` }] } },
        {
          'retry-after': '1',
          'cache-control': 'no-store',
        },
      );
    }
    const result = JSON.parse(row.result ?? '{}') as {
      kind: string;
      links?: { href: string }[];
      response_data?: unknown;
    };
    if (result.kind === 'links') {
      return send(
        res,
        url,
        303,
        { data: { status: row.state, status_code: row.status_code, eta, links: result.links } },
        {
          location: result.links![0].href,
        },
      );
    }
    return send(res, url, 200, {
      data: {
        status: row.state,
        status_code: row.status_code,
        eta,
        response_data: result.response_data,
      },
    });
  })();
}).listen(Number(process.argv[2]), '127.0.0.1', () => console.log('READY'));
