import { FastifyAdapter } from '@nestjs/platform-fastify';
import { answerClientError, trackReceiving } from './client-errors';
import { setPublicAddress } from './envelope';
import { parseJsonBodies } from './json-body';
import { REQUEST_ID_HEADER, requestIdOf, requestLogFields } from './request-id';
import { refuseUnservedMethods } from './served-methods';
import { answerUnroutableUrl } from './unroutable-url';

export interface HttpAdapterOptions {
  /** Where callers reach the service (`meta.url` is built from it). */
  publicUrl: string;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** The whole request (headers and body) must arrive within this; else 408, socket closed. */
  receiveTimeoutMs: number;
}

/** How often Node checks receive deadlines (its default, 30 s, lets a slow client stay longer). */
const DEADLINE_CHECK_MS = 1_000;

/**
 * The Fastify adapter with the contract's transport rules: the request id, JSON bodies only
 * (anything else is 415), the body size limit (413), the receive timeout (408, in the envelope
 * like every refusal of the connection itself), `meta.url` from the public URL, and forwarded
 * headers only from a trusted proxy.
 */
export function createHttpAdapter(options: HttpAdapterOptions): FastifyAdapter {
  const adapter = new FastifyAdapter({
    trustProxy: options.trustProxy,
    bodyLimit: options.bodyLimitBytes,
    // A client dripping its headers or body (or sending nothing) holds a socket only this long.
    requestTimeout: options.receiveTimeoutMs,
    http: {
      headersTimeout: options.receiveTimeoutMs,
      requestTimeout: options.receiveTimeoutMs,
      connectionsCheckingInterval: Math.min(DEADLINE_CHECK_MS, options.receiveTimeoutMs),
    },
    clientErrorHandler: (error, socket) => answerClientError(error, socket, options.publicUrl),
    genReqId: requestIdOf,
    requestIdHeader: false,
    logger: false,
    frameworkErrors: answerUnroutableUrl,
  });
  const fastify = adapter.getInstance();
  setPublicAddress(fastify, { url: options.publicUrl, trustProxy: options.trustProxy });
  fastify.removeContentTypeParser(['text/plain']);
  parseJsonBodies(fastify);
  refuseUnservedMethods(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    trackReceiving(request, reply);
    requestLogFields(request.raw).route = request.routeOptions.url;
    done();
  });
  return adapter;
}
