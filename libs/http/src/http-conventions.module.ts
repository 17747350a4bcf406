import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { EnvelopeInterceptor } from './envelope.interceptor';
import { ApiValidationPipe } from './validation/api-validation.pipe';

/** Installs the envelope, the shared error filter and the validation pipe for every route. */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
    { provide: APP_PIPE, useClass: ApiValidationPipe },
  ],
})
export class HttpConventionsModule {}
