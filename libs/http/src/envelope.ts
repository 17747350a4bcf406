import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody, ErrorEnvelope, Meta, SuccessEnvelope } from './envelope.schema';

/** Where callers reach the service: its public base URL, and whether a proxy in front is trusted. */
export interface PublicAddress {
  /** `scheme://host[:port][/prefix]`, without a trailing slash. */
  url: string;
  trustProxy: boolean;
}

export const PUBLIC_ADDRESS = Symbol('publicAddress');

/** Records the public address on the Fastify instance, for `requestUrl`. */
export function setPublicAddress(fastify: FastifyInstance, address: PublicAddress): void {
  fastify.decorate(PUBLIC_ADDRESS, address);
}

function publicAddressOf(request: FastifyRequest): PublicAddress {
  const address = (request.server as unknown as Record<symbol, PublicAddress | undefined>)[
    PUBLIC_ADDRESS
  ];
  if (!address) throw new Error('The HTTP adapter was not created by createHttpAdapter');
  return address;
}

/**
 * `scheme://host[:port]/path` of the request, without its query string: the configured public
 * URL, or what a trusted proxy forwarded (`X-Forwarded-Proto`, `X-Forwarded-Host`); never the
 * `Host` header a client chose.
 */
export function requestUrl(request: FastifyRequest): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  const address = publicAddressOf(request);
  if (address.trustProxy && request.headers['x-forwarded-host']) {
    const protocol = request.headers['x-forwarded-proto']
      ? request.protocol
      : new URL(address.url).protocol.slice(0, -1);
    return `${protocol}://${request.host}${path}`;
  }
  return `${address.url}${path}`;
}

function metaOf(request: FastifyRequest, code: number, data?: unknown): Meta {
  return {
    code,
    url: requestUrl(request),
    type: Array.isArray(data) ? 'list' : 'object',
    request_id: request.id,
  };
}

export function successEnvelope<T>(
  request: FastifyRequest,
  code: number,
  data: T,
): SuccessEnvelope<T> {
  return { data, meta: metaOf(request, code, data) };
}

export function errorEnvelope(
  request: FastifyRequest,
  code: number,
  error: ErrorBody,
): ErrorEnvelope {
  return { error, meta: metaOf(request, code) };
}
