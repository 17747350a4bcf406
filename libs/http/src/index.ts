export { ApiException } from './api.exception';
export { ApiExceptionFilter } from './api-exception.filter';
export { UnavailableErrors } from './unavailable-errors';
export { successEnvelope, errorEnvelope, requestUrl } from './envelope';
export type { Meta, SuccessEnvelope, ErrorEnvelope } from './envelope';
export {
  ERROR_STATUS,
  ERROR_MESSAGES,
  missingScopesMessage,
  internalErrorMessage,
} from './error-type';
export type { ErrorType } from './error-type';
export type { EntryType, ErrorBody, InvalidEntry, InvalidRule, RuleParams } from './invalid-entry';
export { createHttpAdapter } from './fastify-adapter';
export type { HttpAdapterOptions } from './fastify-adapter';
export { HttpConventionsModule } from './http-conventions.module';
export { REQUEST_ID_HEADER } from './request-id';
export { ApiValidationPipe } from './validation/api-validation.pipe';
export { toInvalidEntries } from './validation/invalid-entries';
export * from './openapi';
export { preferredWaitSeconds, MAX_WAIT_SECONDS } from './prefer-wait';
