import type { FastifyInstance, FastifyReply } from 'fastify';
import { ApiException } from './api.exception';
import { ERROR_MESSAGES } from './error-type';
import { preferredWaitSeconds } from './prefer-wait';

/** How often the requests in flight are checked against their deadlines. */
const CHECK_EVERY_MS = 250;

/**
 * A request still unanswered `timeoutMs` after it arrived (plus the wait a caller asked for with
 * `Prefer: wait`) is answered 503 `service_unavailable` with `Retry-After` by the shared filter, so
 * a stuck dependency never hangs a caller; the handler's late result is then dropped (the adapter
 * never sends twice). One timer checks the requests in flight a few times a second: nothing is
 * armed per request. Written here rather than with Fastify's `handlerTimeout`, which arms a timer
 * and an AbortController for every request and cannot extend a deadline by `Prefer: wait`.
 */
export function answerLateRequests(fastify: FastifyInstance, timeoutMs: number): void {
  const deadlines = new Map<FastifyReply, number>();
  fastify.addHook('onRequest', (request, reply, done) => {
    deadlines.set(
      reply,
      Date.now() + timeoutMs + preferredWaitSeconds(request.headers.prefer) * 1000,
    );
    done();
  });
  // A request whose client went away may never respond: its entry goes at its deadline.
  fastify.addHook('onResponse', (_, reply, done) => {
    deadlines.delete(reply);
    done();
  });
  const timer = setInterval(() => {
    const now = Date.now();
    for (const [reply, deadline] of deadlines) {
      if (deadline > now) continue;
      deadlines.delete(reply);
      if (!reply.sent && !reply.raw.destroyed) {
        void reply.send(
          new ApiException('service_unavailable', ERROR_MESSAGES.unavailable, undefined, {
            'retry-after': '5',
          }),
        );
      }
    }
  }, CHECK_EVERY_MS).unref();
  fastify.addHook('onClose', (_, done) => {
    clearInterval(timer);
    done();
  });
}
