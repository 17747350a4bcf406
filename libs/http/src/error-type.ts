/** The closed list of error types of the contract, each with its HTTP status. */
export const ERROR_STATUS = {
  request_malformed: 400,
  access_denied: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  request_conflict: 409,
  request_too_large: 413,
  content_type_invalid: 415,
  validation_failed: 422,
  too_many_requests: 429,
  request_headers_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorType = keyof typeof ERROR_STATUS;

export const ERROR_MESSAGES = {
  malformedJson: 'Malformed request. Probably, you have sent corrupted JSON.',
  malformedRequest: 'Malformed request.',
  missingBearer: "Authorization header is not set or doesn't contain Bearer token",
  invalidToken: 'Invalid access token',
  conflict:
    'The request could not be completed due to a conflict with the current state of the resource.',
  tooLarge: 'Request body is too large.',
  contentType: "Invalid Content-Type header. Try to set 'Content-Type: application/json' header.",
  validationFailed:
    'Validation failed. You can find validators description at our API Manifest: http://docs.apimanifest.apiary.io/#introduction/interacting-with-api/errors.',
  notFound: 'The requested resource was not found.',
  tooManyRequests: 'Too many requests. Retry after the time given in the Retry-After header.',
  unavailable:
    'The service is temporarily unavailable. Retry after the time given in the Retry-After header.',
} as const;

export function missingScopesMessage(missing: readonly string[]): string {
  return `Your scope does not allow to access this resource. Missing allowances: ${missing.join(', ')}`;
}

export function internalErrorMessage(errorId: string): string {
  return `Something went wrong on our side. Tell the service operator this error id: ${errorId}.`;
}

/** The error type the contract gives an HTTP status that carries no type of its own. */
export function errorTypeForStatus(status: number): ErrorType {
  const match = (Object.keys(ERROR_STATUS) as ErrorType[]).find(
    (type) => ERROR_STATUS[type] === status,
  );
  if (match) return match;
  return status >= 500 ? 'internal_error' : 'request_malformed';
}
