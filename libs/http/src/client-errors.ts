import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { requestUrl } from './envelope';
import { ErrorEnvelope } from './envelope.schema';
import { errorTypeForStatus } from './error-type';
import { REQUEST_ID_HEADER } from './request-id';
import { securityHeaderLines } from './security-headers';

/** What Node reports on a connection before (or while) a request is received, and its answer. */
const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request headers are too large.' },
};
const MALFORMED_HTTP = { status: 400, message: 'The request line or headers are malformed.' };

/** The request last started on each connection, to name it when its receiving is cut off. */
const started = new WeakMap<Socket, { request: FastifyRequest; reply: FastifyReply }>();

/** Remembers the request a connection is receiving (called from the first request hook). */
export function trackReceiving(request: FastifyRequest, reply: FastifyReply): void {
  started.set(request.raw.socket, { request, reply });
}

/**
 * Answers what Node refuses on the connection itself (a request not received within the receive
 * timeout, oversized or malformed headers) in the contract's envelope, then closes the connection.
 * When the request line is not known yet, `meta.url` is the service's public URL.
 */
export function answerClientError(
  error: NodeJS.ErrnoException,
  socket: Socket,
  publicUrl: string,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const current = started.get(socket);
  const receiving = current && !current.request.raw.complete ? current : undefined;
  if (socket.writable && !receiving?.reply.sent) {
    const { status, message } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED_HTTP;
    const requestId = receiving?.request.id ?? randomUUID();
    const envelope: ErrorEnvelope = {
      error: { type: errorTypeForStatus(status), message },
      meta: {
        code: status,
        url: receiving ? requestUrl(receiving.request) : `${publicUrl}/`,
        type: 'object',
        request_id: requestId,
      },
    };
    const body = JSON.stringify(envelope);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        securityHeaderLines() +
        `${REQUEST_ID_HEADER}: ${requestId}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
