import { AppConfig } from '@app/config';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, Observable, throwError, timeout, TimeoutError } from 'rxjs';
import { ApiException } from './api.exception';
import { ERROR_MESSAGES } from './error-type';
import { preferredWaitSeconds } from './prefer-wait';

/**
 * Answers 503 `service_unavailable` when a handler takes longer than `REQUEST_TIMEOUT_SECONDS`
 * (plus the wait a caller asked for with `Prefer: wait`), so a stuck dependency never hangs a caller.
 */
@Injectable()
export class RequestTimeoutInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const ms =
      this.config.operations.requestTimeoutMs + preferredWaitSeconds(request.headers.prefer) * 1000;
    return next.handle().pipe(
      timeout(ms),
      catchError((error: unknown) =>
        throwError(() =>
          error instanceof TimeoutError
            ? new ApiException('service_unavailable', ERROR_MESSAGES.unavailable, undefined, {
                'retry-after': '5',
              })
            : error,
        ),
      ),
    );
  }
}
