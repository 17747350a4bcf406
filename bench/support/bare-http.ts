/**
 * What the bare baselines of the HTTP benchmarks do on every request, as the service does it: the
 * request id, the bearer token against the same memory of tokens verified and refused (jose on a
 * miss), the
 * client's rate-limit counter, a request timeout armed and cleared, the envelope with `meta`, the
 * request-duration histogram and one JSON log line through pino to standard output.
 */
import { jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import pino from 'pino';
import { Histogram, Registry } from 'prom-client';
import { SlidingWindowCounters } from '../../libs/auth/src/sliding-window-counters';
import { SECURITY_HEADERS } from '../../libs/http/src/security-headers';
import { REFUSED, VerifiedTokens } from '../../libs/auth/src/verified-tokens';

export interface BareClient {
  clientId: string;
  scopes: ReadonlySet<string>;
}

/** An answer: status, body (without `meta`), extra headers. */
export type Answer = [number, Record<string, unknown>, Record<string, string>];

export interface BareRequest {
  req: IncomingMessage;
  /** The path without its query string. */
  path: string;
  /** Set once the token is verified, for the log line. */
  clientId?: string;
}

const secret = new TextEncoder().encode(process.env.AUTH_JWT_SECRET);
const REQUEST_ID = /^[\x21-\x7e]{20,200}$/;
const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;
const TIMEOUT_MS = Number(process.env.REQUEST_TIMEOUT_SECONDS ?? 30) * 1000;

const log = pino({ level: 'info' });
const duration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route, method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [new Registry()],
});
const verified = new VerifiedTokens();
const budgets = new SlidingWindowCounters();

export const refusal = (code: number, type: string, message: string): Answer => [
  code,
  { error: { type, message } },
  {},
];

/** The client of the request's bearer token, or the refusal to answer (401, 403, 429). */
export async function authorize(
  request: BareRequest,
  scope: string,
  budget: { name: 'poll' | 'submit'; perMinute: number },
): Promise<BareClient | Answer> {
  const header = request.req.headers.authorization;
  const match = header ? BEARER.exec(header) : null;
  if (!match) return refusal(401, 'access_denied', 'No bearer token');
  const token = match[1];
  const known = verified.get(token);
  if (known === REFUSED) return refusal(401, 'access_denied', 'Invalid access token');
  let client = known;
  if (!client) {
    try {
      const { payload } = await jwtVerify(token, secret, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      });
      const scopes = typeof payload.scope === 'string' ? payload.scope : '';
      client = {
        clientId: String(payload.client_id),
        scopes: new Set(scopes.split(' ').filter(Boolean)),
      };
    } catch {
      verified.refuse(token);
      return refusal(401, 'access_denied', 'Invalid access token');
    }
    verified.remember(token, client);
  }
  request.clientId = client.clientId;
  if (!client.scopes.has(scope)) return refusal(403, 'forbidden', `Missing allowances: ${scope}`);
  const spent = budgets.spend(`${budget.name}:client:${client.clientId}`, 60_000, budget.perMinute);
  if (!spent.admitted) {
    const [code, body] = refusal(429, 'too_many_requests', 'Too many requests.');
    return [code, body, { 'retry-after': String(spent.retryAfterSeconds) }];
  }
  return client;
}

/**
 * Serves `handle` on 127.0.0.1:`port` (and `GET /health/live` for the runner), with the work
 * every request of the service gets around its handler.
 */
export function serveBare(
  port: number,
  route: string,
  handle: (request: BareRequest) => Promise<Answer>,
): void {
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
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
    const request: BareRequest = { req, path };
    const send = ([code, body, headers]: Answer) => {
      if (res.headersSent) return;
      res.writeHead(code, {
        'content-type': 'application/json; charset=utf-8',
        'x-request-id': requestId,
        ...SECURITY_HEADERS,
        ...headers,
      });
      res.end(
        JSON.stringify({
          ...body,
          meta: { code, url: `${publicUrl}${path}`, type: 'object', request_id: requestId },
        }),
      );
    };
    const unavailable = refusal(503, 'service_unavailable', 'Unavailable.');
    const timeout = setTimeout(() => send(unavailable), TIMEOUT_MS);
    res.once('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const status = res.statusCode;
      duration.observe({ route, method: req.method, status: String(status) }, ms / 1000);
      log[status >= 500 ? 'error' : 'info'](
        {
          request_id: requestId,
          req: { method: req.method, url },
          res: { status },
          duration_ms: ms,
          route,
          client_id: request.clientId,
        },
        'request completed',
      );
    });
    handle(request).then(
      (answer) => {
        clearTimeout(timeout);
        send(answer);
      },
      () => {
        clearTimeout(timeout);
        send(unavailable);
      },
    );
  }).listen(port, '127.0.0.1');
  // Stopped as the service is, with a normal exit (a CPU profile is written only then).
  process.once('SIGTERM', () => process.exit(0));
}
