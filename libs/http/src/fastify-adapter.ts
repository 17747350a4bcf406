import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { ServerResponse } from 'node:http';
import { answerClientError, trackReceiving } from './client-errors';
import { setPublicAddress, successEnvelope } from './envelope';
import { parseJsonBodies } from './json-body';
import { PagedList } from './paging';
import { answerLateRequests } from './request-deadlines';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';
import { setSecurityHeaders } from './security-headers';
import { refuseUnservedMethods } from './served-methods';
import { answerUnroutableUrl } from './unroutable-url';

export interface HttpAdapterOptions {
  /** Where callers reach the service (`meta.url` is built from it). */
  publicUrl: string;
  trustProxy: boolean;
  bodyLimitBytes: number;
  /** The whole request (headers and body) must arrive within this; else 408, socket closed. */
  receiveTimeoutMs: number;
  /** A request unanswered after this (plus any `Prefer: wait`) is answered 503. */
  requestTimeoutMs: number;
}

/** How often Node checks receive deadlines (its default, 30 s, lets a slow client stay longer). */
const DEADLINE_CHECK_MS = 1_000;

/**
 * Nest on Fastify, where what a handler returns is sent in the contract's envelope, `{data, meta}`
 * with the status the reply carries: no interceptor runs per request for it. Errors are enveloped
 * by the shared filter; a route that writes the reply itself (`@Res()`) is left alone; an answer
 * already sent (the request timed out) is not sent again.
 */
class EnvelopingFastifyAdapter extends FastifyAdapter {
  override reply(
    response: ServerResponse | FastifyReply,
    body: unknown,
    statusCode?: number,
  ): FastifyReply {
    if (response instanceof ServerResponse || body === undefined) {
      return super.reply(response, body, statusCode);
    }
    if (response.sent) return response;
    if (statusCode) void response.status(statusCode);
    if (body instanceof PagedList) {
      // A list: `paging` beside `data` and `meta` (SPEC section 8).
      const envelope = successEnvelope(response.request, response.statusCode, body.data);
      return super.reply(response, { ...envelope, paging: body.paging });
    }
    return super.reply(response, successEnvelope(response.request, response.statusCode, body));
  }
}

/**
 * The Fastify adapter with the contract's transport rules: the request id, JSON bodies only
 * (anything else is 415), the body size limit (413), the receive timeout (408, in the envelope
 * like every refusal of the connection itself), the request timeout (503), the envelope,
 * the security headers, `meta.url` from the public URL, and forwarded headers only from a
 * trusted proxy.
 */
export function createHttpAdapter(options: HttpAdapterOptions): FastifyAdapter {
  const adapter = new EnvelopingFastifyAdapter({
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
    // No route runs Nest middleware (requests are logged from a Fastify hook): no middie either.
    skipMiddie: true,
  });
  const fastify = adapter.getInstance();
  setPublicAddress(fastify, { url: options.publicUrl, trustProxy: options.trustProxy });
  fastify.removeContentTypeParser(['text/plain']);
  parseJsonBodies(fastify);
  refuseUnservedMethods(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    setSecurityHeaders(request, reply);
    // Only a request still receiving its body can be cut off by the receive timeout.
    if (!request.raw.complete) trackReceiving(request, reply);
    done();
  });
  answerLateRequests(fastify, options.requestTimeoutMs);
  return adapter;
}
