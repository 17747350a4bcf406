import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { sized } from '../size';
import { AppRoute, fillRoute } from './route-catalog';

/** One request of the fuzz, the same whether it goes through `inject` or a socket. */
export interface FuzzRequest {
  route: AppRoute;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What the fuzz knows about the running application, so some inputs hit real records. */
export interface FuzzTargets {
  routes: AppRoute[];
  /** Valid tokens (most with every scope), sent as they are or mangled. */
  tokens: string[];
  /** Path segments that name real things: job ids, a patient id, a Swagger UI asset. */
  knownSegments: string[];
  /** A body limit the service enforces: a few bodies go over it. */
  bodyLimitBytes: number;
  /** Each route's documented request body example, by `METHOD /fastify/:pattern`. */
  examples: Map<string, unknown>;
}

const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));

const anyCodePoint = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  loneSurrogate,
);

const NASTY_STRINGS = [
  '',
  ' ',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  "' OR '1'='1' --",
  '"; DROP TABLE jobs; --',
  '../../../etc/passwd',
  '..%2f..%2f',
  '\u0000',
  '\ufeff',
  '\u202e',
  '\ud800',
  '\udfff\ud800',
  'NaN',
  '-0',
  '1e400',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'NBXk9EyErUZv1RhXgyvgg',
];

/** Text from anywhere in Unicode, lone surrogates and well-known troublemakers included. */
export function hostileText(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: anyCodePoint, maxLength }),
    fc.constantFrom(...NASTY_STRINGS),
  );
}

/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD, as on the wire). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/**
 * A header value as a server can receive it: the UTF-8 bytes of `text` read as Latin-1, without
 * the control characters HTTP forbids, trimmed as an HTTP parser trims it.
 */
export function headerValue(text: string): string {
  const allowed = (char: string) => char === '\t' || (char >= ' ' && char !== '\u007f');
  return [...Buffer.from(text, 'utf8').toString('latin1')]
    .filter(allowed)
    .join('')
    .replace(/^[ \t]+|[ \t]+$/g, '');
}

const hostileHeader = (maxLength: number) => hostileText(maxLength).map(headerValue);

function pathSegment(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.uuid().map(String) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{21}$/) },
    { weight: 3, arbitrary: hostileText(300).map(percentEncode) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%',
        '%ff',
        '%E0%A4%A',
        '%00',
        '%2e%2e',
        '..',
        '%2F',
        'a%20b',
        '%u0041',
      ),
    },
  );
}

function queryString(): fc.Arbitrary<string> {
  const pair = fc
    .tuple(hostileText(20), hostileText(80))
    .map(([key, value]) => `${percentEncode(key)}=${percentEncode(value)}`);
  return fc.oneof(
    fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&')),
    fc.constantFrom(
      'limit=5',
      'a[b]=1',
      '__proto__[polluted]=1',
      'constructor[prototype][polluted]=1',
      'a=%ff',
      '&&&==',
      'a=1&a=2&a=3',
      `x=${'y'.repeat(8000)}`,
    ),
  );
}

function authorization(tokens: string[]): fc.Arbitrary<string | undefined> {
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...tokens) },
    { weight: 1, arbitrary: hostileText(200) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...tokens), fc.nat(), hostileText(4))
        .map(([valid, at, inserted]) => valid.slice(0, at % valid.length) + inserted),
    },
  );
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...tokens).map((valid) => `Bearer ${valid}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom('Bearer', 'bearer', 'BEARER', 'Basic', 'Token', '', 'Bearer:'),
          fc.constantFrom(' ', '  ', '\t', '', ' , '),
          token,
        )
        .map(([scheme, gap, value]) => headerValue(`${scheme}${gap}${value}`)),
    },
  );
}

const prefer = fc.oneof(
  fc.constantFrom(
    'wait=0',
    'wait=1',
    'wait=60',
    'wait=61',
    'wait=-1',
    'wait=99999999999',
    'wait="5"',
    'respond-async, wait=10',
    'return=minimal',
    'wait',
    'wait=',
    'WAIT=3;foo=bar',
    'wait=1e3',
  ),
  fc.integer().map((n) => `wait=${n}`),
  hostileHeader(100),
);

const visibleAscii = fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code));

const requestId = fc.oneof(
  fc.string({ unit: visibleAscii, minLength: 15, maxLength: 210 }),
  hostileHeader(250),
);

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/json-patch+json',
  'text/json',
  'text/plain',
  'text/html',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  '*/*',
  'application/json, text/plain',
  ';',
];

const numberText = fc.oneof(
  fc.constantFrom(
    '9007199254740993',
    '-9007199254740993',
    '123456789012345678901234567890',
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '0.1e1',
    '1E+2',
  ),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
);

const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'polluted',
  'hasOwnProperty',
  'toString',
  'visit',
  'encounter',
  'conditions',
  'id',
  'period',
  'start',
  'status',
];

/** JSON text, written by hand so it can hold duplicate and `__proto__` keys, any number literal. */
const { value: hostileJson } = fc.letrec<{ value: string; array: string; object: string }>(
  (tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      numberText,
      hostileText(40).map((text) => JSON.stringify(text)),
      loneSurrogate.map((text) => `"\\u${text.charCodeAt(0).toString(16)}"`),
      fc.constantFrom('true', 'false', 'null', '{}', '[]'),
      tie('array'),
      tie('object'),
    ),
    array: fc.array(tie('value'), { maxLength: 6 }).map((items) => `[${items.join(',')}]`),
    object: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...KEYS), hostileText(20)).map((key) => JSON.stringify(key)),
          tie('value'),
        ),
        { maxLength: 6 },
      )
      .map((entries) => `{${entries.map(([key, value]) => `${key}:${value}`).join(',')}}`),
  }),
);

type JsonPath = (string | number)[];

function pathsOf(value: unknown, at: JsonPath = []): JsonPath[] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Object.entries(value).flatMap(([key, child]) =>
    pathsOf(child, [...at, Array.isArray(value) ? Number(key) : key]),
  );
  return [at, ...children];
}

const HOLE = '\u0000hole\u0000';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Where `path` leads in `root`: the object holding the last key, and that key. */
function slotOf(root: Record<string | number, unknown>, path: JsonPath) {
  const parent = path
    .slice(0, -1)
    .reduce((node, key) => node[key] as Record<string | number, unknown>, root);
  return { parent, key: path[path.length - 1] };
}

/**
 * The example with fresh UUIDs (the same fresh one wherever it named the same id), so that bodies
 * built from it do not collide with one another.
 */
function freshIds(example: unknown): Record<string | number, unknown> {
  const fresh = new Map<string, string>();
  const text = JSON.stringify(example).replace(UUID, (id) => {
    if (!fresh.has(id)) fresh.set(id, randomUUID());
    return fresh.get(id)!;
  });
  return JSON.parse(text) as Record<string | number, unknown>;
}

/**
 * Bodies made from a route's documented example: one property replaced by hostile JSON or removed;
 * one string replaced by hostile text (often still a valid body, so the text reaches the job, its
 * rules and the database); the example cut short.
 */
function bodiesFrom(example: unknown): fc.Arbitrary<string> {
  const paths = pathsOf(example).filter((path) => path.length > 0);
  const stringPaths = paths.filter(
    (path) =>
      typeof slotOf(example as Record<string | number, unknown>, path).parent[
        path[path.length - 1]
      ] === 'string',
  );
  const text = JSON.stringify(example);
  const mutated = fc
    .tuple(fc.constantFrom(...paths), fc.option(hostileJson, { freq: 5 }))
    .map(([path, replacement]) => {
      const body = freshIds(example);
      const { parent, key } = slotOf(body, path);
      if (replacement === null) {
        delete parent[key];
        return JSON.stringify(body);
      }
      parent[key] = HOLE;
      return JSON.stringify(body).replace(JSON.stringify(HOLE), replacement);
    });
  const withHostileText = fc
    .tuple(fc.constantFrom(...stringPaths), hostileText(60))
    .map(([path, replacement]) => {
      const body = freshIds(example);
      const { parent, key } = slotOf(body, path);
      parent[key] = replacement;
      return JSON.stringify(body);
    });
  const cutShort = fc.nat({ max: text.length - 1 }).map((at) => text.slice(0, at));
  return fc.oneof(
    { weight: 5, arbitrary: mutated },
    { weight: 3, arbitrary: stringPaths.length > 0 ? withHostileText : mutated },
    { weight: 1, arbitrary: cutShort },
  );
}

/** Keys the nested and huge bodies use: the example's own top-level keys, and a few others. */
function keysOf(example: unknown): string[] {
  const own = example && typeof example === 'object' ? Object.keys(example) : [];
  return [...new Set([...own, 'items', 'name'])];
}

const deeplyNested = (keys: string[]) =>
  fc
    .tuple(
      fc.constantFrom('[', '{"a":'),
      fc.integer({ min: 100, max: sized(50_000, 200_000) }),
      fc.constantFrom(...keys),
    )
    .map(([open, depth, key]) => {
      const close = open === '[' ? ']' : '}';
      return `{"${key}":${open.repeat(depth)}${open === '[' ? '' : 'null'}${close.repeat(depth)}}`;
    });

const hugeArray = (keys: string[]) =>
  fc
    .tuple(
      fc.constantFrom('1', '{}', '"x"', 'null', '[]', '{"code":{"coding":[]}}'),
      fc.integer({ min: 1_000, max: sized(20_000, 100_000) }),
      fc.constantFrom(...keys),
    )
    .map(([item, length, key]) => `{"${key}":[${Array(length).fill(item).join(',')}]}`);

const malformedText = fc.constantFrom(
  '',
  'null',
  'undefined',
  'NaN',
  "{'visit':1}",
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  '\ufeff{}',
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  '{"a":1,"a":2}',
);

/**
 * Hostile bodies for a route: most made from its documented example when it has one, the rest
 * hostile whatever the route (any JSON, malformed text, deep nesting, huge arrays, raw bytes, other
 * encodings, one byte over the body limit).
 */
function jsonBody(bodyLimitBytes: number, example: unknown): fc.Arbitrary<Buffer> {
  const keys = keysOf(example);
  const fromExample = example === undefined ? [] : [{ weight: 8, arbitrary: bodiesFrom(example) }];
  const exampleText = JSON.stringify(example ?? { name: 'x', items: [] });
  return fc.oneof(
    ...fromExample.map(({ weight, arbitrary }) => ({
      weight,
      arbitrary: arbitrary.map((text) => Buffer.from(text)),
    })),
    { weight: 4, arbitrary: hostileJson.map((text) => Buffer.from(text)) },
    { weight: 2, arbitrary: malformedText.map((text) => Buffer.from(text)) },
    { weight: 1, arbitrary: deeplyNested(keys).map((text) => Buffer.from(text)) },
    { weight: 1, arbitrary: hugeArray(keys).map((text) => Buffer.from(text)) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Buffer.from(exampleText, 'utf16le'),
        Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
        Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
        Buffer.alloc(bodyLimitBytes + 1, 0x20),
      ),
    },
  );
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Requests against every route of the application: its own method mostly, now and then another;
 * hostile path segments, query strings, headers and bodies, mostly with a valid token so that the
 * input reaches validation and the handlers.
 */
export function fuzzRequests(targets: FuzzTargets): fc.Arbitrary<FuzzRequest> {
  const bodies = new Map(
    targets.routes.map((route) => {
      const key = `${route.method} ${route.url}`;
      return [route, jsonBody(targets.bodyLimitBytes, targets.examples.get(key))] as const;
    }),
  );
  return fc
    .constantFrom(...targets.routes)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        otherMethod: oneIn(8, fc.constantFrom(...METHODS)),
        segments: fc.array(pathSegment(targets.knownSegments), { minLength: 2, maxLength: 2 }),
        query: oneIn(2, queryString()),
        authorization: authorization(targets.tokens),
        prefer: oneIn(3, prefer),
        requestId: oneIn(2, requestId),
        host: oneIn(10, hostileHeader(60)),
        contentType: oneIn(4, fc.constantFrom(...CONTENT_TYPES)),
        body: fc.option(bodies.get(route)!, { freq: 5 }),
        bodyOnRead: fc.boolean(),
      }),
    )
    .map((input) => {
      const headers: Record<string, string> = {};
      if (input.authorization !== undefined) headers.authorization = input.authorization;
      if (input.prefer !== null) headers.prefer = input.prefer;
      if (input.requestId !== null) headers['x-request-id'] = input.requestId;
      if (input.host !== null) headers.host = input.host;
      const method = input.otherMethod ?? input.route.method;
      const writes = ['POST', 'PUT', 'PATCH'].includes(method);
      const body = writes || input.bodyOnRead ? (input.body ?? undefined) : undefined;
      if (body) headers['content-type'] = input.contentType ?? 'application/json';
      const path = fillRoute(input.route, input.segments);
      return {
        route: input.route,
        method,
        url: input.query === null ? path : `${path}?${input.query}`,
        headers,
        body,
      };
    });
}

/** `arbitrary` one time in `n`, else null (what it shrinks to). */
function oneIn<T>(n: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });
}
