import type { FastifyInstance } from 'fastify';
import { errorEnvelope } from './envelope';
import { REQUEST_ID_HEADER } from './request-id';

/**
 * A method no route of the service serves (QUERY, PUT, OPTIONS, ...) is answered 405
 * `method_not_allowed` with `Allow`, before its body is looked at. A served method on a path
 * that lacks it stays 404 `not_found`, as for any unknown address.
 */
export function refuseUnservedMethods(fastify: FastifyInstance): void {
  const served = new Set<string>();
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) served.add(method);
  });
  fastify.addHook('preParsing', async (request, reply, payload) => {
    if (served.has(request.method)) return payload;
    return reply
      .code(405)
      .header(REQUEST_ID_HEADER, request.id)
      .header('allow', [...served].sort().join(', '))
      .type('application/json; charset=utf-8')
      .send(
        errorEnvelope(request, 405, {
          type: 'method_not_allowed',
          message: `The method ${request.method} is not allowed here.`,
        }),
      );
  });
}
