import type { FastifyInstance } from 'fastify';

/** A request body that cannot be parsed as JSON (or is empty): the contract's "corrupted JSON". */
export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
}

/**
 * JSON bodies through Fastify's own parser (which refuses `__proto__` and `constructor` keys), its
 * failures marked so the shared filter can tell a body that fails to parse from any other 400.
 */
export function parseJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parse(request, body as string, (error, value) =>
      error ? done(new MalformedJsonError(error.message), undefined) : done(null, value),
    ),
  );
}
