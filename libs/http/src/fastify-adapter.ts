import { FastifyAdapter } from '@nestjs/platform-fastify';
import { REQUEST_ID_HEADER, requestIdOf, requestLogFields } from './request-id';

export interface HttpAdapterOptions {
  trustProxy: boolean;
  bodyLimitBytes: number;
}

/**
 * The Fastify adapter with the contract's transport rules: the request id, JSON bodies only
 * (anything else is 415), the body size limit (413) and forwarded headers only from a trusted proxy.
 */
export function createHttpAdapter(options: HttpAdapterOptions): FastifyAdapter {
  const adapter = new FastifyAdapter({
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimitBytes,
    genReqId: requestIdOf,
    requestIdHeader: false,
    logger: false,
  });
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    requestLogFields(request.raw).route = request.routeOptions.url;
    done();
  });
  return adapter;
}
