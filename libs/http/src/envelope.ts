import type { FastifyRequest } from 'fastify';
import { ErrorBody } from './invalid-entry';

export interface Meta {
  code: number;
  url: string;
  type: 'object' | 'list';
  request_id: string;
}

export type SuccessEnvelope<T = unknown> = { data: T; meta: Meta };
export type ErrorEnvelope = { error: ErrorBody; meta: Meta };

/** `scheme://host[:port]/path` of the request; forwarded headers count only when the proxy is trusted. */
export function requestUrl(request: FastifyRequest): string {
  const queryAt = request.url.indexOf('?');
  const path = queryAt === -1 ? request.url : request.url.slice(0, queryAt);
  return `${request.protocol}://${request.host}${path}`;
}

export function metaOf(request: FastifyRequest, code: number, data?: unknown): Meta {
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
