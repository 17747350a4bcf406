import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { successEnvelope } from './envelope';

/** Wraps what a handler returns as `{data, meta}`; errors are wrapped by the shared filter. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next
      .handle()
      .pipe(
        map((data: unknown) =>
          data === undefined ? data : successEnvelope(request, reply.statusCode, data),
        ),
      );
  }
}
