import type { FastifyInstance } from 'fastify';
import { httpRequestDuration } from './metrics';

/** Times every request, matched or not, by its route pattern (never the raw URL: ids stay out). */
export function recordHttpMetrics(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    httpRequestDuration.observe(
      {
        route: request.routeOptions.url ?? 'unmatched',
        method: request.method,
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
