import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import { ErrorEnvelope, Meta } from './envelope.schema';
import { Paging } from './paging';
import { ERROR_ANSWERS, NamedExample } from './error.examples';
import { EXAMPLE_CLIENT_ID } from './example-client';

/** The name of the bearer security scheme in the document. */
export const BEARER_AUTH = 'bearer';

/** The extension that lists a route's required scopes, for tools that read the document. */
export const REQUIRED_SCOPES_EXTENSION = 'x-required-scopes';

/** A response header of the document. */
export const header = (
  description: string,
  schema: SchemaObject,
  required = true,
): HeaderObject => ({
  description,
  required,
  schema,
});

/** The `x-request-id` response header every answer carries. */
export const REQUEST_ID_RESPONSE_HEADER = {
  'x-request-id': header('The request id, as in `meta.request_id`.', { type: 'string' }),
};

const headersOf = (status: number): Record<string, HeaderObject> => ({
  ...REQUEST_ID_RESPONSE_HEADER,
  ...([429, 503].includes(status)
    ? {
        'retry-after': header('Whole seconds to wait before retrying.', {
          type: 'integer',
          minimum: 1,
        }),
      }
    : {}),
});

/** `{data, meta}` with this `data` (a model or a schema). */
export function successEnvelopeSchema(
  data: Type<unknown> | SchemaObject | ReferenceObject,
): SchemaObject {
  const schema = typeof data === 'function' ? { $ref: getSchemaPath(data) } : data;
  return {
    type: 'object',
    required: ['data', 'meta'],
    properties: { data: schema, meta: { $ref: getSchemaPath(Meta) } },
  };
}

/** `{data: [items], meta, paging}`: one page of a list of this model. */
export function pagedEnvelopeSchema(item: Type<unknown>): SchemaObject {
  return {
    type: 'object',
    required: ['data', 'meta', 'paging'],
    properties: {
      data: { type: 'array', items: { $ref: getSchemaPath(item) } },
      meta: { $ref: getSchemaPath(Meta) },
      paging: { $ref: getSchemaPath(Paging) },
    },
  };
}

export interface ErrorResponseDoc {
  description?: string;
  examples?: Record<string, NamedExample>;
}

/** An error answer in the `ErrorEnvelope` schema, with its examples and headers. */
function errorResponse(status: number, doc: ErrorResponseDoc = {}): ResponseObject {
  return {
    description: doc.description ?? ERROR_ANSWERS[status]?.description ?? 'An error.',
    headers: headersOf(status),
    content: {
      'application/json': {
        schema: { $ref: getSchemaPath(ErrorEnvelope) },
        examples: doc.examples ?? ERROR_ANSWERS[status]?.examples,
      },
    },
  };
}

/** Documents an error answer of a route (defaults from `ERROR_ANSWERS`). */
export function ApiErrorResponse(
  status: number,
  doc?: ErrorResponseDoc,
): MethodDecorator & ClassDecorator {
  const { description, headers } = errorResponse(status, doc);
  const examples = doc?.examples ?? ERROR_ANSWERS[status]?.examples;
  const schema = { $ref: getSchemaPath(ErrorEnvelope) };
  return applyDecorators(
    ApiExtraModels(ErrorEnvelope, Meta),
    ApiResponse({ status, description, headers, schema, examples }),
  );
}

/** Documents these error answers with their default descriptions and examples. */
export function ApiErrorResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiErrorResponse(status)));
}

const X_REQUEST_ID = {
  name: 'x-request-id',
  in: 'header' as const,
  required: false,
  description:
    'Optional: your own request id, echoed in the `x-request-id` response header and ' +
    '`meta.request_id` when it is 20 to 200 visible ASCII characters (`!` to `~`). Any other ' +
    'value is not refused: it is replaced by an id the service generates.',
  schema: { type: 'string' as const, example: `${EXAMPLE_CLIENT_ID}-4f8e1c2a-poll-000042` },
};

/**
 * What every operation has, added to the document once rather than declared on each route: the
 * optional `x-request-id` header, the 500 and 503 answers any route can give, and for a route
 * under `@Scopes` a line naming the scopes it requires.
 */
export function documentEveryOperation(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, OperationObject>)) {
      if (!operation?.responses) continue;
      operation.parameters = [...(operation.parameters ?? []), X_REQUEST_ID];
      operation.responses = {
        ...operation.responses,
        500: errorResponse(500),
        503: errorResponse(503),
      };
      const scopes = (operation as unknown as Record<string, string[] | undefined>)[
        REQUIRED_SCOPES_EXTENSION
      ];
      if (!scopes) continue;
      const required = `**Required scopes:** ${scopes.map((scope) => `\`${scope}\``).join(', ')}.`;
      operation.description = [
        operation.description,
        `${required} Header \`Authorization: Bearer <token>\`.`,
      ]
        .filter(Boolean)
        .join('\n\n');
    }
  }
  return document;
}
