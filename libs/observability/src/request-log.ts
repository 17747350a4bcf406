import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { httpRequestDuration } from './metrics';

/**
 * Observes every request once it is answered, matched or not, from one Fastify hook: the
 * request-duration histogram (by route pattern, never the raw URL: ids stay out) and one JSON log
 * line with `request_id`, `client_id`, `route`, the method and URL, the status and `duration_ms`
 * (a 5xx at level error). No child logger or context is made per request; the lines the service
 * writes while serving a request name its `request_id` themselves.
 */
export function observeRequests(fastify: FastifyInstance, logger: Logger): void {
  // The line names its fields one by one, none of them a header or a body: nothing to redact.
  const lines = logger.child({}, { redact: [] });
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const route = request.routeOptions.url;
    httpRequestDuration.observe(
      { route: route ?? 'unmatched', method: request.method, status: String(status) },
      reply.elapsedTime / 1000,
    );
    const level = status >= 500 ? 'error' : 'info';
    if (lines.isLevelEnabled(level)) {
      lines[level](
        {
          request_id: request.id,
          req: { method: request.method, url: request.url },
          res: { status },
          duration_ms: reply.elapsedTime,
          route,
          client_id: (request as { user?: { clientId?: string } }).user?.clientId,
        },
        'request completed',
      );
    }
    done();
  });
}
