import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { ApiValidationPipe } from './validation/api-validation.pipe';

/**
 * Installs the shared error filter and the validation pipe for every route. The envelope and the
 * request timeout come with the adapter (`createHttpAdapter`), without a per-request interceptor.
 */
@Module({
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: APP_PIPE, useClass: ApiValidationPipe },
  ],
})
export class HttpConventionsModule {}
