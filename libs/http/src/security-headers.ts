import type { FastifyReply, FastifyRequest } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every answer of the API is JSON: it loads nothing, and no page may frame it. */
const API_CSP = { defaultSrc: ["'none'"], frameAncestors: ["'none'"] };

/** The OpenAPI UI's page loads its own scripts and styles, and nothing from elsewhere. */
const DOCS_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
};

/** The headers helmet sets with `options`, worked out once (none of them varies by request). */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/** The headers every answer carries (HSTS aside). */
export const SECURITY_HEADERS = helmetHeaders({
  contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
  frameguard: { action: 'deny' },
  strictTransportSecurity: false,
});
const DOCS_CSP_HEADER = helmetHeaders({
  contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP },
})['content-security-policy'];
const HSTS_HEADER = helmetHeaders({
  contentSecurityPolicy: false,
  strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
})['strict-transport-security'];

/**
 * The security headers of every answer, from helmet: `X-Content-Type-Options: nosniff`,
 * `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY` and `frame-ancestors 'none'`, a
 * Content-Security-Policy that lets a JSON answer load nothing, and HSTS when the request reached
 * a trusted proxy over TLS (`X-Forwarded-Proto: https` with `TRUST_PROXY`). helmet works them out
 * once, at start-up; each answer copies them.
 */
export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.headers(SECURITY_HEADERS);
  if (request.protocol === 'https') void reply.header('strict-transport-security', HSTS_HEADER);
}

/** The same headers as a block of an answer written on the socket itself. */
export function securityHeaderLines(): string {
  return Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}

/** The OpenAPI UI's page runs its own scripts: it gets a policy of its own. */
export function allowDocsPage(reply: FastifyReply): FastifyReply {
  return reply.header('content-security-policy', DOCS_CSP_HEADER);
}

/** A Content-Security-Policy value for a page of its own (helmet's spelling of `directives`). */
export function contentSecurityPolicy(directives: Record<string, string[]>): string {
  return helmetHeaders({ contentSecurityPolicy: { useDefaults: false, directives } })[
    'content-security-policy'
  ];
}
