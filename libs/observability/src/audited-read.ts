import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Observable, tap } from 'rxjs';
import { SERVICE_LOGGER } from './logging.module';

const RECORD_TYPE = Symbol('auditedRecordType');

/** How a read of a clinical record ended. */
export type ReadOutcome = 'found' | 'not_found' | 'failed';

/**
 * One line of the audit trail of clinical reads: who read which record of which patient, when, and
 * how it ended; never the record's content. Written with `audit: true`, so a log pipeline can route
 * it apart, whatever `LOG_LEVEL` keeps of the rest (only `silent` silences it).
 */
export interface ReadAuditEvent {
  audit: true;
  event: 'clinical_record_read';
  client_id: string | undefined;
  patient_id: string | undefined;
  record_type: string;
  record_id: string | undefined;
  outcome: ReadOutcome;
  request_id: string;
}

@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  private readonly trail: Logger;

  constructor(
    private readonly reflector: Reflector,
    @Inject(SERVICE_LOGGER) logger: Logger,
  ) {
    this.trail = logger.child({}, { level: logger.level === 'silent' ? 'silent' : 'info' });
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<
      FastifyRequest<{ Params: { patient_id?: string; id?: string } }> & {
        user?: { clientId: string };
      }
    >();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('cache-control', 'no-store');
    const recordType = this.reflector.get<string>(RECORD_TYPE, context.getHandler());
    const record = (outcome: ReadOutcome) => {
      const event: ReadAuditEvent = {
        audit: true,
        event: 'clinical_record_read',
        client_id: request.user?.clientId,
        patient_id: request.params.patient_id,
        record_type: recordType,
        record_id: request.params.id,
        outcome,
        request_id: request.id,
      };
      this.trail.info(event, 'clinical record read');
    };
    return next.handle().pipe(
      tap({
        next: () => record('found'),
        error: (error: unknown) =>
          record(
            (error as { getStatus?: () => number }).getStatus?.() === 404 ? 'not_found' : 'failed',
          ),
      }),
    );
  }
}

/**
 * Marks a route that reads one clinical record of a patient (`:patient_id`, `:id`): its answers
 * say `Cache-Control: no-store`, and every read, found or not, writes one audit event.
 */
export function AuditedRead(recordType: string): MethodDecorator {
  return applyDecorators(
    SetMetadata(RECORD_TYPE, recordType),
    UseInterceptors(ReadAuditInterceptor),
  );
}
