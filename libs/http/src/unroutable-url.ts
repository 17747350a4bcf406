import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './envelope';
import { ERROR_MESSAGES } from './error-type';
import { REQUEST_ID_HEADER } from './request-id';
import { setSecurityHeaders } from './security-headers';

/**
 * Fastify's router refuses a path it cannot decode (`%ff`, a lone `%`) or a path parameter longer
 * than it matches, before any hook or handler, in a format of its own (and outside the shared
 * error handling). Nothing lives at such an address: this answers the contract's 404 in the
 * envelope, with the request id. (The router's only other report, a failed asynchronous
 * constraint, cannot happen: no route has one.)
 */
export function answerUnroutableUrl(
  _error: Error,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  setSecurityHeaders(request, reply);
  void reply
    .code(404)
    .header(REQUEST_ID_HEADER, request.id)
    .type('application/json; charset=utf-8')
    .send(errorEnvelope(request, 404, { type: 'not_found', message: ERROR_MESSAGES.notFound }));
}
