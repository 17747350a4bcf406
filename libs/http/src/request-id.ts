import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const ACCEPTED_REQUEST_ID = /^[\x21-\x7e]{20,200}$/;

const assigned = new WeakMap<object, string>();

/**
 * The caller's `x-request-id` when it is 20 to 200 visible ASCII characters, else a new one; the
 * same value every time it is asked for one request (the router and the request log both ask).
 */
export function requestIdOf(request: Pick<IncomingMessage, 'headers'>): string {
  let id = assigned.get(request);
  if (id === undefined) {
    const given = request.headers[REQUEST_ID_HEADER];
    id = typeof given === 'string' && ACCEPTED_REQUEST_ID.test(given) ? given : randomUUID();
    assigned.set(request, id);
  }
  return id;
}

/** What the request log reports beyond the request line, set on the raw request as it is known. */
export interface RequestLogFields {
  route?: string;
  clientId?: string;
}

const logFields = new WeakMap<object, RequestLogFields>();

export function requestLogFields(request: object): RequestLogFields {
  let fields = logFields.get(request);
  if (!fields) {
    fields = {};
    logFields.set(request, fields);
  }
  return fields;
}
