import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Logger,
  Optional,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ApiException } from './api.exception';
import { errorEnvelope } from './envelope';
import { ERROR_MESSAGES, errorTypeForStatus, internalErrorMessage } from './error-type';
import { ErrorBody } from './envelope.schema';
import { MalformedJsonError } from './json-body';
import { REQUEST_ID_HEADER } from './request-id';
import { UnavailableErrors } from './unavailable-errors';

interface Rendered {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

const MALFORMED_JSON: ErrorBody = {
  type: 'request_malformed',
  message: ERROR_MESSAGES.malformedJson,
  invalid: [{ entry_type: 'request', rules: [{ rule: 'json' }] }],
};

/**
 * Any other 400: the framework's own sentence saying what was wrong (Fastify's are written for
 * clients, such as a body that does not match its Content-Length), else a generic one.
 */
function malformedRequest(exception: unknown): ErrorBody {
  const message = exception instanceof HttpException ? exception.message : '';
  return {
    type: 'request_malformed',
    message: message && message !== 'Bad Request' ? message : ERROR_MESSAGES.malformedRequest,
  };
}

/** Messages for HTTP errors raised by the framework itself (routing, body parsing, guards). */
const FRAMEWORK_MESSAGES: Partial<Record<number, string>> = {
  401: ERROR_MESSAGES.missingBearer,
  403: 'Access to this resource is forbidden.',
  404: ERROR_MESSAGES.notFound,
  409: ERROR_MESSAGES.conflict,
  413: ERROR_MESSAGES.tooLarge,
  415: ERROR_MESSAGES.contentType,
  429: ERROR_MESSAGES.tooManyRequests,
  503: ERROR_MESSAGES.unavailable,
};

/**
 * The one exception filter of the service. It renders the contract's error envelope for every
 * error: the service's own `ApiException` as it is, the framework's HTTP errors by their status,
 * and anything else as a generic 500 whose error id is logged with the stack, never shown.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  constructor(@Optional() private readonly unavailable?: UnavailableErrors) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;

    const { status, body, headers } = this.render(exception, request);
    // Also for answers that came before the request hooks ran (the router's own refusals).
    void reply
      .code(status)
      .headers({ [REQUEST_ID_HEADER]: request.id, ...headers })
      .type('application/json; charset=utf-8')
      .send(errorEnvelope(request, status, body));
  }

  render(exception: unknown, request?: FastifyRequest): Rendered {
    if (exception instanceof ApiException) {
      return {
        status: exception.getStatus(),
        body: exception.toErrorBody(),
        headers: exception.headers,
      };
    }
    if (this.unavailable?.isUnavailable(exception)) {
      this.logger.warn(
        { request_id: request?.id },
        `Dependency unavailable: ${(exception as Error).message}`,
      );
      return {
        status: 503,
        body: { type: 'service_unavailable', message: ERROR_MESSAGES.unavailable },
        headers: { 'retry-after': '5' },
      };
    }
    if (exception instanceof MalformedJsonError) {
      return { status: 400, body: MALFORMED_JSON, headers: {} };
    }
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status === 400) return { status, body: malformedRequest(exception), headers: {} };
    if (status < 500 || status === 503) {
      const type = errorTypeForStatus(status);
      const message = FRAMEWORK_MESSAGES[status] ?? 'The request could not be processed.';
      const headers: Record<string, string> = status === 503 ? { 'retry-after': '5' } : {};
      return { status, body: { type, message }, headers };
    }
    return this.internalError(exception, request);
  }

  private internalError(exception: unknown, request?: FastifyRequest): Rendered {
    const errorId = randomUUID();
    const detail = exception instanceof Error ? (exception.stack ?? exception.message) : exception;
    this.logger.error(
      { request_id: request?.id, error_id: errorId },
      `${request?.method ?? ''} ${request?.url ?? ''} failed: ${String(detail)}`,
    );
    return {
      status: 500,
      body: { type: 'internal_error', message: internalErrorMessage(errorId) },
      headers: {},
    };
  }
}
