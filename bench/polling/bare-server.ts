/**
 * The baseline of the polling benchmark: `GET /api/jobs/{id}` written by hand on `node:http`,
 * doing the same work as the service, step for step (bench/README.md lists the steps): the request
 * id, the bearer token checked against the same verified-token memory (on a miss, jose verifies
 * it), the scope, the client's rate-limit counter, the row read by id and client from the same
 * database, the status-table answer in the envelope, a request timeout armed and cleared, the
 * request-duration histogram, and one JSON log line per request through pino to standard output.
 *
 * Usage: bare-server.ts <port>; env DATABASE_URL or DATA_DIR, AUTH_JWT_SECRET, PUBLIC_URL,
 * RATE_LIMIT_POLL_PER_MINUTE, REQUEST_TIMEOUT_SECONDS. Answers `GET /health/live` for the runner.
 */
import Database from 'better-sqlite3';
import { jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';
import pino from 'pino';
import { Histogram, Registry } from 'prom-client';
import { SlidingWindowStorage } from '../../libs/auth/src/sliding-window.storage';
import { VerifiedTokens } from '../../libs/auth/src/verified-tokens';

interface Row {
  id: string;
  client_id: string;
  state: string;
  status_code: number | null;
  result: string | null;
  eta: string | Date;
}

interface Client {
  clientId: string;
  scopes: ReadonlySet<string>;
}

const secret = new TextEncoder().encode(process.env.AUTH_JWT_SECRET);
const PORT = Number(process.argv[2]);
const PUBLIC_URL = process.env.PUBLIC_URL ?? `http://localhost:${PORT}`;
const POLL_LIMIT = Number(process.env.RATE_LIMIT_POLL_PER_MINUTE ?? 1200);
const TIMEOUT_MS = Number(process.env.REQUEST_TIMEOUT_SECONDS ?? 30) * 1000;
const JOB_ID = /^[A-Za-z0-9_-]{21}$/;
const REQUEST_ID = /^[\x21-\x7e]{20,200}$/;
const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;
const ROUTE = '/api/jobs/:id';
const SELECT =
  'SELECT id, client_id, state, status_code, result, eta FROM jobs WHERE id = $1 AND client_id = $2';

const log = pino({ level: 'info' });
const registry = new Registry();
const duration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route, method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});
const verified = new VerifiedTokens();
const budgets = new SlidingWindowStorage();

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

async function authenticate(header: string | undefined): Promise<Client | undefined> {
  const match = header ? BEARER.exec(header) : null;
  if (!match) return undefined;
  const token = match[1];
  let client = verified.get(token);
  if (!client) {
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      });
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      client = {
        clientId: String(payload.client_id),
        scopes: new Set(scope.split(' ').filter(Boolean)),
      };
    } catch {
      return undefined;
    }
    verified.remember(token, client);
  }
  return client;
}

const find = reader();

async function answer(
  req: IncomingMessage,
  path: string,
  requestId: string,
  fields: { clientId?: string },
): Promise<[number, Record<string, unknown>, Record<string, string>]> {
  const match = /^\/api\/jobs\/([^/]+)$/.exec(path);
  if (!match) return [404, { error: { type: 'not_found', message: 'Not found.' } }, {}];
  const client = await authenticate(req.headers.authorization);
  if (!client) {
    return [401, { error: { type: 'access_denied', message: 'Invalid access token' } }, {}];
  }
  fields.clientId = client.clientId;
  if (!client.scopes.has('job:read')) {
    return [403, { error: { type: 'forbidden', message: 'Missing allowances: job:read' } }, {}];
  }
  const budget = await budgets.increment(
    `poll:client:${client.clientId}`,
    60_000,
    POLL_LIMIT,
    0,
    'poll',
  );
  if (budget.isBlocked) {
    return [
      429,
      { error: { type: 'too_many_requests', message: 'Too many requests.' } },
      { 'retry-after': String(budget.timeToBlockExpire) },
    ];
  }
  const id = match[1];
  const row = JOB_ID.test(id) ? await find(id, client.clientId) : undefined;
  if (!row) return [404, { error: { type: 'not_found', message: 'Job not found.' } }, {}];
  const etaDate = row.eta instanceof Date ? row.eta : new Date(`${row.eta.replace(' ', 'T')}Z`);
  const eta = etaDate.toISOString();
  if (row.state === 'waiting' || row.state === 'running') {
    const retryAfter = Math.min(
      60,
      Math.max(1, Math.ceil((etaDate.getTime() - Date.now()) / 1000)),
    );
    return [
      200,
      { data: { status: 'pending', eta, links: [{ entity: 'job', href: `/api/jobs/${id}` }] } },
      { 'retry-after': String(retryAfter), 'cache-control': 'no-store' },
    ];
  }
  const result = JSON.parse(row.result ?? '{}') as {
    kind: string;
    links?: { href: string }[];
    response_data?: unknown;
  };
  if (result.kind === 'links') {
    return [
      303,
      { data: { status: row.state, status_code: row.status_code, eta, links: result.links } },
      { location: result.links![0].href },
    ];
  }
  return [
    200,
    {
      data: {
        status: row.state,
        status_code: row.status_code,
        eta,
        response_data: result.response_data,
      },
    },
    {},
  ];
}

function send(
  res: ServerResponse,
  path: string,
  requestId: string,
  [code, body, headers]: [number, Record<string, unknown>, Record<string, string>],
) {
  res.writeHead(code, {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
    ...headers,
  });
  res.end(
    JSON.stringify({
      ...body,
      meta: { code, url: `${PUBLIC_URL}${path}`, type: 'object', request_id: requestId },
    }),
  );
}

createServer((req, res) => {
  const started = process.hrtime.bigint();
  const url = req.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === '/health/live') {
    res.writeHead(200).end();
    return;
  }
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  const fields: { clientId?: string } = {};
  const timeout = setTimeout(() => {
    if (!res.headersSent) {
      send(res, path, requestId, [503, { error: { type: 'service_unavailable' } }, {}]);
    }
  }, TIMEOUT_MS);
  res.once('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    duration.observe(
      { route: ROUTE, method: req.method, status: String(res.statusCode) },
      ms / 1000,
    );
    log[res.statusCode >= 500 ? 'error' : 'info'](
      {
        request_id: requestId,
        req: { method: req.method, url },
        res: { status: res.statusCode },
        duration_ms: ms,
        route: ROUTE,
        client_id: fields.clientId,
      },
      'request completed',
    );
  });
  answer(req, path, requestId, fields).then(
    (answered) => {
      clearTimeout(timeout);
      send(res, path, requestId, answered);
    },
    () => {
      clearTimeout(timeout);
      send(res, path, requestId, [503, { error: { type: 'service_unavailable' } }, {}]);
    },
  );
}).listen(PORT, '127.0.0.1', () => console.error('READY'));
