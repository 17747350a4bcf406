import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { EnvelopeInterceptor } from './envelope.interceptor';
import { RequestTimeoutInterceptor } from './request-timeout.interceptor';
import { ApiValidationPipe } from './validation/api-validation.pipe';

/** Installs the envelope, the shared error filter, the validation pipe and the timeout for every route. */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
    { provide: APP_INTERCEPTOR, useClass: RequestTimeoutInterceptor },
    { provide: APP_PIPE, useClass: ApiValidationPipe },
  ],
})
export class HttpConventionsModule {}
