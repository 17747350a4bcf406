import { ERROR_MESSAGES, ErrorType, internalErrorMessage } from './error-type';
import { ErrorBody, InvalidEntry } from './envelope.schema';

/** The example values of the OpenAPI document, built from what the service really answers. */

const EXAMPLE_REQUEST_ID = '1b9e0c52-2f5b-4a86-9d4e-0f8a3e5f4c21';

/** A named example of an answer (`summary` is required by `@ApiResponse`). */
export interface NamedExample {
  summary: string;
  value: unknown;
}

/** A success or error envelope of an answer to `path`. */
export function exampleEnvelope(
  code: number,
  path: string,
  body: { data: unknown } | { error: ErrorBody },
): Record<string, unknown> {
  return {
    ...body,
    meta: {
      code,
      url: `http://localhost:3000${path}`,
      type: 'data' in body && Array.isArray(body.data) ? 'list' : 'object',
      request_id: EXAMPLE_REQUEST_ID,
    },
  };
}

/** A named example of an error answer. */
export function errorExample(
  summary: string,
  status: number,
  type: ErrorType,
  message: string,
  path = '/api/...',
): NamedExample {
  return { summary, value: exampleEnvelope(status, path, { error: { type, message } }) };
}

/** An error envelope as an example, with `invalid` when there is one. */
function answer(
  summary: string,
  status: number,
  type: ErrorType,
  message: string,
  invalid?: InvalidEntry[],
) {
  const error = invalid ? { type, message, invalid } : { type, message };
  return { summary, value: exampleEnvelope(status, '/api/...', { error }) };
}

const missingStart: InvalidEntry = {
  entry_type: 'json_data_property',
  entry: '$.encounter.period.start',
  rules: [{ rule: 'required', params: [], description: 'required property start was not present' }],
};

/** The answers every route may give, by status: what each means, and its examples. */
export const ERROR_ANSWERS: Record<
  number,
  { description: string; examples: Record<string, NamedExample> }
> = {
  400: {
    description: 'request_malformed: the body is not valid JSON.',
    examples: {
      corrupted_json: answer(
        'Corrupted JSON',
        400,
        'request_malformed',
        ERROR_MESSAGES.malformedJson,
        [{ entry_type: 'request', rules: [{ rule: 'json' }] }],
      ),
    },
  },
  401: {
    description: 'access_denied: no bearer token, or a bad, expired or wrongly signed one.',
    examples: {
      no_token: answer('No bearer token', 401, 'access_denied', ERROR_MESSAGES.missingBearer),
      invalid_token: answer('Invalid token', 401, 'access_denied', ERROR_MESSAGES.invalidToken),
    },
  },
  404: {
    description: 'not_found.',
    examples: { not_found: answer('Not found', 404, 'not_found', ERROR_MESSAGES.notFound) },
  },
  413: {
    description: 'request_too_large: the body is over the size limit.',
    examples: {
      too_large: answer('Body too large', 413, 'request_too_large', ERROR_MESSAGES.tooLarge),
    },
  },
  415: {
    description: 'content_type_invalid: the body is not `application/json`.',
    examples: {
      content_type: answer('Not JSON', 415, 'content_type_invalid', ERROR_MESSAGES.contentType),
    },
  },
  422: {
    description: 'validation_failed: every failing input is listed in `invalid`.',
    examples: {
      validation_failed: answer(
        'A required property is missing',
        422,
        'validation_failed',
        ERROR_MESSAGES.validationFailed,
        [missingStart],
      ),
    },
  },
  429: {
    description: 'too_many_requests: retry after the time given in `Retry-After`.',
    examples: {
      too_many_requests: answer(
        'Rate limited',
        429,
        'too_many_requests',
        ERROR_MESSAGES.tooManyRequests,
      ),
    },
  },
  500: {
    description:
      'internal_error: a generic sentence with an error id that is also logged; never the exception text.',
    examples: {
      internal_error: answer(
        'Unexpected error',
        500,
        'internal_error',
        internalErrorMessage('0c6f1b1e-8d0a-4f4e-9a57-2b1c3d4e5f60'),
      ),
    },
  },
  503: {
    description:
      'service_unavailable: a dependency (the database) is unreachable; retry after `Retry-After`.',
    examples: {
      service_unavailable: answer(
        'Database unreachable',
        503,
        'service_unavailable',
        ERROR_MESSAGES.unavailable,
      ),
    },
  },
};
