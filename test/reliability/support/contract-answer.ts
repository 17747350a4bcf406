import { ERROR_MESSAGES, ERROR_STATUS } from '@app/http';
import { ROOT } from '../../support/run-entry';

/** An HTTP answer, however it was obtained (light-my-request or a real socket). */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** What was asked: enough to know what the answer must echo. */
export interface Asked {
  /** Fastify's route pattern the request was aimed at. */
  route: string;
  /** The path asked for, without the query string: when given, `meta.url` must end with it. */
  path?: string;
  /** The `x-request-id` sent, as the server receives it. */
  requestId?: string;
}

/**
 * Routes whose successful answer is a document rather than an envelope: the OpenAPI JSON, the
 * Swagger UI and its assets, the operators' console (its page and bundle), and the Prometheus
 * text. Their errors are still enveloped.
 */
const DOCUMENT_ROUTES = /^\/(api\/docs(-json)?(\/.*)?|admin(\/.*)?|metrics)$/;

/** The SPEC's request id rule: 20 to 200 visible ASCII characters are echoed, others replaced. */
const ACCEPTED_REQUEST_ID = /^[\x21-\x7e]{20,200}$/;

/** What a body must never show: a stack frame, SQL or a driver's error, a path of the server. */
const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\bat \S+ \([^)]*:\d+:\d+\)|\\n\s+at \S/],
  [
    'SQL or a driver error',
    /QueryFailedError|SQLITE_[A-Z]|syntax error at or near|\bSELECT\b.{0,200}\bFROM\b|\bINSERT INTO\b/s,
  ],
  ['a server path', new RegExp(`${escapeRegExp(ROOT)}|node_modules|\\.[jt]s:\\d+`)],
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return value === undefined ? undefined : String(value);
}

/**
 * Throws unless `answer` keeps the contract (SPEC sections 2 and 3): no 5xx; JSON in the envelope
 * (`error` for 400 to 599 with a known type of that status, `data` otherwise); `meta` with the
 * status, the url and the request id of the header; no stack, SQL or path in the body.
 */
export function expectContractAnswer(answer: Answer, asked: Asked): void {
  const fail = (why: string): never => {
    throw new Error(
      `${why}\n  route: ${asked.route}\n  status: ${answer.status}\n  body: ${answer.body.slice(0, 500)}`,
    );
  };
  if (answer.status >= 500) fail('a 5xx answer');
  const requestId = header(answer, 'x-request-id');
  if (!requestId) fail('no x-request-id header');
  if (asked.requestId !== undefined) {
    const echoed = requestId === asked.requestId;
    if (echoed !== ACCEPTED_REQUEST_ID.test(asked.requestId)) {
      fail(`x-request-id ${echoed ? 'echoed' : 'replaced'} against the SPEC's rule`);
    }
  }
  if (answer.status < 400 && DOCUMENT_ROUTES.test(asked.route)) return;

  if (!/^application\/json(;|$)/.test(header(answer, 'content-type') ?? '')) {
    fail(`content-type ${header(answer, 'content-type')} instead of JSON`);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    return fail('a body that is not JSON');
  }
  const isError = answer.status >= 400;
  // A list may carry its page's place in the whole list beside `data` (eHealth's paging convention).
  const keys = Object.keys(body)
    .filter((key) => !(key === 'paging' && Array.isArray(body.data)))
    .sort();
  if (keys.join() !== (isError ? 'error,meta' : 'data,meta')) fail(`envelope keys ${keys.join()}`);
  const meta = body.meta as Record<string, unknown>;
  if (meta.code !== answer.status) fail(`meta.code ${String(meta.code)}`);
  if (meta.request_id !== requestId) fail('meta.request_id differs from the header');
  // `inject` resolves `..` and the like as a URL parser does; a socket sends the path as it is.
  const url = String(meta.url);
  const paths = asked.path ? [asked.path, new URL(asked.path, 'http://host').pathname] : [''];
  if (!/^https?:\/\//.test(url) || !paths.some((path) => url.endsWith(path))) {
    fail(`meta.url ${url}`);
  }
  if (meta.type !== (Array.isArray(body.data) ? 'list' : 'object'))
    fail(`meta.type ${String(meta.type)}`);
  if (isError) expectErrorBody(body.error as Record<string, unknown>, answer, fail);
  for (const [what, pattern] of LEAKS) {
    if (pattern.test(answer.body)) fail(`${what} in the body`);
  }
}

function expectErrorBody(
  error: Record<string, unknown>,
  answer: Answer,
  fail: (why: string) => never,
): void {
  const type = error.type as keyof typeof ERROR_STATUS;
  if (ERROR_STATUS[type] !== answer.status) fail(`error.type ${String(type)} for this status`);
  if (typeof error.message !== 'string' || error.message === '') fail('no error.message');
  if (type === 'access_denied') {
    const known: string[] = [ERROR_MESSAGES.missingBearer, ERROR_MESSAGES.invalidToken];
    if (!known.includes(error.message)) fail('a 401 message outside the SPEC');
  }
  if (type === 'too_many_requests' && !header(answer, 'retry-after'))
    fail('429 without Retry-After');
}
