export { ApiException } from './api.exception';
export { ApiExceptionFilter } from './api-exception.filter';
export { UnavailableErrors } from './unavailable-errors';
export { successEnvelope, errorEnvelope, requestUrl } from './envelope';
export {
  ERROR_STATUS,
  ERROR_MESSAGES,
  missingScopesMessage,
  internalErrorMessage,
} from './error-type';
export type { ErrorType } from './error-type';
export { ErrorBody, ErrorEnvelope, InvalidEntry, InvalidRule, Meta } from './envelope.schema';
export type { EntryType, RuleParams, SuccessEnvelope } from './envelope.schema';
export { createHttpAdapter } from './fastify-adapter';
export type { HttpAdapterOptions } from './fastify-adapter';
export { HttpConventionsModule } from './http-conventions.module';
export { REQUEST_ID_HEADER } from './request-id';
export { ApiValidationPipe } from './validation/api-validation.pipe';
export { toInvalidEntries } from './validation/invalid-entries';
export { buildOpenApiDocument, OPENAPI_JSON_PATH, OPENAPI_UI_PATH, setupOpenApi } from './openapi';
export {
  ApiErrorResponse,
  ApiErrorResponses,
  BEARER_AUTH,
  header,
  REQUEST_ID_RESPONSE_HEADER,
  REQUIRED_SCOPES_EXTENSION,
  successEnvelopeSchema,
  pagedEnvelopeSchema,
} from './api-docs';
export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  PageQuery,
  PagedList,
  Paging,
  pageWindow,
} from './paging';
export { errorExample, exampleEnvelope } from './error.examples';
export { EXAMPLE_CLIENT_ID } from './example-client';
export type { NamedExample } from './error.examples';
export { preferredWaitSeconds, MAX_WAIT_SECONDS } from './prefer-wait';
export { contentSecurityPolicy } from './security-headers';
