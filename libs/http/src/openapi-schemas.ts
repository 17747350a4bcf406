import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import type { HeaderObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/** A named example of an answer (`summary` is required by `@ApiResponse`). */
export interface NamedExample {
  summary: string;
  value: unknown;
}
import {
  ERROR_MESSAGES,
  ERROR_STATUS,
  ErrorType,
  internalErrorMessage,
  missingScopesMessage,
} from './error-type';
import { EntryType } from './invalid-entry';

/**
 * The error side of the OpenAPI document (SPEC sections 2 and 3): the envelope's `meta`, the error
 * envelope and its `invalid` entries as schemas, and decorators that document a route's access and
 * error answers with them. `setupOpenApi` registers the schemas; routes refer to them.
 */

/** The name of the bearer security scheme in the document. */
export const BEARER_AUTH = 'bearer';

/** The extension that lists a route's required scopes, for tools that read the document. */
export const REQUIRED_SCOPES_EXTENSION = 'x-required-scopes';

const ENTRY_TYPES: EntryType[] = ['json_data_property', 'query_parameter', 'header', 'request'];
const ERROR_TYPES = Object.keys(ERROR_STATUS) as ErrorType[];
const EXAMPLE_REQUEST_ID = '1b9e0c52-2f5b-4a86-9d4e-0f8a3e5f4c21';
const EXAMPLE_ERROR_ID = '0c6f1b1e-8d0a-4f4e-9a57-2b1c3d4e5f60';

@ApiSchema({
  name: 'Meta',
  description: 'Sent with every JSON answer, success or error (SPEC section 2).',
})
export class MetaSchema {
  @ApiProperty({
    type: 'integer',
    minimum: 100,
    maximum: 599,
    description: 'The HTTP status of this response.',
    example: 200,
  })
  code: number;

  @ApiProperty({
    format: 'uri',
    description: '`scheme://host[:port]/path` of the request, without the query string.',
    example: 'http://localhost:3000/api/jobs/NBXk9EyErUZv1RhXgyvgg',
  })
  url: string;

  @ApiProperty({
    enum: ['object', 'list'],
    description: '`list` when `data` is an array, else `object`.',
  })
  type: 'object' | 'list';

  @ApiProperty({
    minLength: 20,
    maxLength: 200,
    pattern: '^[\\x21-\\x7e]+$',
    description:
      "The caller's `x-request-id` when it is 20 to 200 visible ASCII characters, otherwise a new " +
      'one; also sent back in the `x-request-id` response header.',
    example: EXAMPLE_REQUEST_ID,
  })
  request_id: string;
}

@ApiSchema({ name: 'InvalidRule', description: 'One rule a failing input broke.' })
export class InvalidRuleSchema {
  @ApiProperty({
    description:
      '`required`, `cast`, `inclusion`, `format`, `length`, `number`, `date`, `datetime`, ' +
      '`email`, `unique`, `schema` (unknown property), `invalid` (a business rule), or `json` ' +
      '(request_malformed).',
    example: 'required',
  })
  rule: string;

  @ApiPropertyOptional({
    description:
      'The rule\'s parameters: a list (`["string"]`, the allowed values) or an object (`{"min": 1}`).',
    oneOf: [
      { type: 'array', items: {} },
      { type: 'object', additionalProperties: true },
    ],
    example: [],
  })
  params?: unknown[] | Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'A readable sentence.',
    example: 'required property start was not present',
  })
  description?: string;
}

@ApiSchema({
  name: 'InvalidEntry',
  description: 'One failing input of a `validation_failed` error.',
})
export class InvalidEntrySchema {
  @ApiProperty({
    enum: ENTRY_TYPES,
    description:
      '`json_data_property` for the body, `query_parameter` for the query string, `header` for a ' +
      'header, `request` for the request as a whole (corrupted JSON).',
  })
  entry_type: EntryType;

  @ApiPropertyOptional({
    description:
      "A JSONPath from the body's root (`$.a.b`, array items as `$.items.[0].code`), or the bare " +
      'name of a query parameter or header.',
    example: '$.encounter.period.start',
  })
  entry?: string;

  @ApiProperty({ type: () => [InvalidRuleSchema], minItems: 1 })
  rules: InvalidRuleSchema[];
}

@ApiSchema({
  name: 'Error',
  description: 'The `error` of an error answer, and the stored error of a failed job.',
})
export class ErrorBodySchema {
  @ApiProperty({ enum: ERROR_TYPES, description: 'One of the types of SPEC section 3.' })
  type: ErrorType;

  @ApiProperty({
    description: 'A sentence safe to show; never a stack trace or SQL.',
    example: ERROR_MESSAGES.notFound,
  })
  message: string;

  @ApiPropertyOptional({
    type: () => [InvalidEntrySchema],
    description:
      'Every failing input (`validation_failed`), or the corrupted body (`request_malformed`).',
  })
  invalid?: InvalidEntrySchema[];
}

@ApiSchema({
  name: 'ErrorEnvelope',
  description: 'Every answer with status 400 to 599 (SPEC sections 2 and 3).',
})
export class ErrorEnvelopeSchema {
  @ApiProperty({ type: () => ErrorBodySchema })
  error: ErrorBodySchema;

  @ApiProperty({ type: () => MetaSchema })
  meta: MetaSchema;
}

/** The schemas of this file, for `SwaggerModule.createDocument({ extraModels })`. */
export const HTTP_OPENAPI_MODELS = [
  MetaSchema,
  InvalidRuleSchema,
  InvalidEntrySchema,
  ErrorBodySchema,
  ErrorEnvelopeSchema,
];

/** `{data, meta}` with this `data`. */
export function successEnvelopeSchema(data: SchemaObject | ReferenceObject): SchemaObject {
  return {
    type: 'object',
    required: ['data', 'meta'],
    properties: { data, meta: { $ref: getSchemaPath(MetaSchema) } },
  };
}

/** The `x-request-id` response header every answer carries. */
export const REQUEST_ID_RESPONSE_HEADER: Record<string, HeaderObject> = {
  'x-request-id': {
    description: 'The request id, as in `meta.request_id`.',
    required: true,
    schema: { type: 'string' },
  },
};

/** A success or error envelope as an example value. */
export function exampleEnvelope(
  code: number,
  path: string,
  body: { data: unknown } | { error: unknown },
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

function errorExample(
  summary: string,
  status: number,
  type: ErrorType,
  message: string,
  extra: Record<string, unknown> = {},
): NamedExample {
  return {
    summary,
    value: exampleEnvelope(status, '/api/...', { error: { type, message, ...extra } }),
  };
}

const DEFAULT_ERROR_DOCS: Record<
  number,
  { description: string; examples: Record<string, NamedExample>; headers?: string[] }
> = {
  400: {
    description: 'request_malformed: the body is not valid JSON.',
    examples: {
      corrupted_json: errorExample(
        'Corrupted JSON',
        400,
        'request_malformed',
        ERROR_MESSAGES.malformedJson,
        { invalid: [{ entry_type: 'request', rules: [{ rule: 'json' }] }] },
      ),
    },
  },
  401: {
    description: 'access_denied: no bearer token, or a bad, expired or wrongly signed one.',
    examples: {
      no_token: errorExample('No bearer token', 401, 'access_denied', ERROR_MESSAGES.missingBearer),
      invalid_token: errorExample(
        'Invalid token',
        401,
        'access_denied',
        ERROR_MESSAGES.invalidToken,
      ),
    },
  },
  404: {
    description: 'not_found.',
    examples: {
      not_found: errorExample('Not found', 404, 'not_found', ERROR_MESSAGES.notFound),
    },
  },
  409: {
    description: 'request_conflict.',
    examples: {
      conflict: errorExample('Conflict', 409, 'request_conflict', ERROR_MESSAGES.conflict),
    },
  },
  413: {
    description: 'request_too_large: the body is over the size limit.',
    examples: {
      too_large: errorExample('Body too large', 413, 'request_too_large', ERROR_MESSAGES.tooLarge),
    },
  },
  415: {
    description: 'content_type_invalid: the body is not `application/json`.',
    examples: {
      content_type: errorExample(
        'Not JSON',
        415,
        'content_type_invalid',
        ERROR_MESSAGES.contentType,
      ),
    },
  },
  422: {
    description: 'validation_failed: every failing input is listed in `invalid`.',
    examples: {
      validation_failed: errorExample(
        'A required property is missing',
        422,
        'validation_failed',
        ERROR_MESSAGES.validationFailed,
        {
          invalid: [
            {
              entry_type: 'json_data_property',
              entry: '$.encounter.period.start',
              rules: [
                {
                  rule: 'required',
                  params: [],
                  description: 'required property start was not present',
                },
              ],
            },
          ],
        },
      ),
    },
  },
  429: {
    description: 'too_many_requests: retry after the time given in `Retry-After`.',
    examples: {
      too_many_requests: errorExample(
        'Rate limited',
        429,
        'too_many_requests',
        ERROR_MESSAGES.tooManyRequests,
      ),
    },
    headers: ['retry-after'],
  },
  500: {
    description:
      'internal_error: a generic sentence with an error id that is also logged; never the ' +
      'exception text.',
    examples: {
      internal_error: errorExample(
        'Unexpected error',
        500,
        'internal_error',
        internalErrorMessage(EXAMPLE_ERROR_ID),
      ),
    },
  },
  503: {
    description: 'service_unavailable: the database is unreachable; retry after `Retry-After`.',
    examples: {
      service_unavailable: errorExample(
        'Database unreachable',
        503,
        'service_unavailable',
        ERROR_MESSAGES.unavailable,
      ),
    },
    headers: ['retry-after'],
  },
};

export interface ErrorResponseDoc {
  description?: string;
  examples?: Record<string, NamedExample>;
}

/** Documents an error answer of a route with the `ErrorEnvelope` schema. */
export function ApiErrorResponse(status: number, doc: ErrorResponseDoc = {}): MethodDecorator {
  const defaults = DEFAULT_ERROR_DOCS[status];
  const headers: Record<string, HeaderObject> = { ...REQUEST_ID_RESPONSE_HEADER };
  for (const name of defaults?.headers ?? []) {
    headers[name] = {
      description: 'Whole seconds to wait before retrying.',
      required: true,
      schema: { type: 'integer', minimum: 1 },
    };
  }
  return ApiResponse({
    status,
    description: doc.description ?? defaults?.description ?? 'An error.',
    schema: { $ref: getSchemaPath(ErrorEnvelopeSchema) },
    examples: doc.examples ?? defaults?.examples,
    headers,
  });
}

/** Documents these error answers with their default descriptions and examples. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator {
  return applyDecorators(...statuses.map((status) => ApiErrorResponse(status)));
}

export interface ApiRouteOptions {
  summary: string;
  description?: string;
  /** The scopes the route requires: exactly those of its `@Scopes(...)`. */
  scopes: readonly string[];
}

/**
 * Documents a route protected by `@Scopes(...)`: its summary, the scopes it requires (in the
 * description and as `x-required-scopes`), the bearer scheme, the optional `x-request-id` request
 * header, and the answers every such route can give: 401, 403, 429, 500, 503.
 */
export function ApiRoute(options: ApiRouteOptions): MethodDecorator {
  const scopes = options.scopes.map((scope) => `\`${scope}\``).join(', ');
  const description = [
    options.description,
    `**Required scopes:** ${scopes}. Header \`Authorization: Bearer <token>\`.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  return applyDecorators(
    ApiOperation({ summary: options.summary, description }),
    ApiBearerAuth(BEARER_AUTH),
    ApiExtension(REQUIRED_SCOPES_EXTENSION, [...options.scopes]),
    ApiHeader({
      name: 'x-request-id',
      required: false,
      description:
        'Optional: your own request id, echoed in the `x-request-id` response header and ' +
        '`meta.request_id` when it is 20 to 200 visible ASCII characters (`!` to `~`). Any other ' +
        'value is not refused: it is replaced by an id the service generates.',
      schema: { type: 'string', example: 'mis-1-4f8e1c2a-poll-000042' },
    }),
    ApiErrorResponse(401),
    ApiErrorResponse(403, {
      description: 'forbidden: the token lacks a required scope.',
      examples: {
        missing_scopes: errorExample(
          'Missing scope',
          403,
          'forbidden',
          missingScopesMessage(options.scopes),
        ),
      },
    }),
    ApiErrorResponses(429, 500, 503),
  );
}
