export { ApiException } from './api.exception';
export { errorEnvelope } from './envelope';
export { ApiExceptionFilter } from './api-exception.filter';
export { UnavailableErrors } from './unavailable-errors';
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
export { toInvalidEntries } from './validation/invalid-entries';
export { OPENAPI_JSON_PATH, setupOpenApi } from './openapi';
export {
  ApiErrorResponse,
  ApiErrorResponses,
  ApiPagedResponse,
  BEARER_AUTH,
  header,
  REQUEST_ID_RESPONSE_HEADER,
  REQUIRED_SCOPES_EXTENSION,
  pagedEnvelopeSchema,
  successEnvelopeSchema,
} from './api-docs';
export { Paging } from './paging.schema';
export { PageQuery, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './page-query.dto';
export { PagedList } from './paged-list';
export { errorExample, exampleEnvelope } from './error.examples';
export { EXAMPLE_CLIENT_ID } from './example-client';
export type { NamedExample } from './error.examples';
export { preferredWaitSeconds, MAX_WAIT_SECONDS } from './prefer-wait';
export { contentSecurityPolicy } from './security-headers';
