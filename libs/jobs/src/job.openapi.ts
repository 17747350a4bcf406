import {
  ApiErrorResponse,
  ErrorBodySchema,
  ERROR_MESSAGES,
  exampleEnvelope,
  internalErrorMessage,
  NamedExample,
  REQUEST_ID_RESPONSE_HEADER,
  successEnvelopeSchema,
} from '@app/http';
import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiParam,
  ApiProperty,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
} from '@nestjs/swagger';
import type { HeaderObject, SchemaObject } from '@nestjs/swagger';
import { MAX_WAIT_SECONDS } from '@app/http';

/**
 * The job side of the OpenAPI document: `data` of `GET /api/jobs/{id}` in each row of the status
 * table (SPEC section 4), and decorators for the status route and for every module route that
 * enqueues a job (SPEC section 5).
 */

const JOB_ID_PATTERN = '^[A-Za-z0-9_-]{21}$';
const EXAMPLE_JOB_ID = 'NBXk9EyErUZv1RhXgyvgg';
const EXAMPLE_ETA = '2018-08-02T10:45:16.000Z';
const EXAMPLE_PATIENT = '2f9c3a4e-6d1b-4e8f-a0c7-5b3d9e1f7a24';
const ETA_DESCRIPTION = 'When the job is expected to finish: ISO 8601 UTC with milliseconds.';

@ApiSchema({ name: 'JobLink', description: 'A link to a job, or to what a processed job created.' })
export class JobLinkSchema {
  @ApiProperty({ example: 'encounter' })
  entity: string;

  @ApiProperty({ example: `/api/patients/${EXAMPLE_PATIENT}/encounters/0f0d7c4e-...` })
  href: string;
}

@ApiSchema({
  name: 'PendingJob',
  description: 'A waiting or running job. It carries no `status_code`.',
})
export class PendingJobSchema {
  @ApiProperty({ enum: ['pending'] })
  status: 'pending';

  @ApiProperty({ format: 'date-time', description: ETA_DESCRIPTION, example: EXAMPLE_ETA })
  eta: string;

  @ApiProperty({
    type: () => [JobLinkSchema],
    minItems: 1,
    maxItems: 1,
    description: 'The job itself: `{"entity": "job", "href": "/api/jobs/{id}"}`.',
  })
  links: JobLinkSchema[];
}

@ApiSchema({
  name: 'ProcessedJobWithLinks',
  description: 'A job done, whose result is links to what it created (answered with 303).',
})
export class ProcessedJobWithLinksSchema {
  @ApiProperty({ enum: ['processed'] })
  status: 'processed';

  @ApiProperty({ type: 'integer', minimum: 200, maximum: 299, example: 200 })
  status_code: number;

  @ApiProperty({ format: 'date-time', description: ETA_DESCRIPTION, example: EXAMPLE_ETA })
  eta: string;

  @ApiProperty({
    type: () => [JobLinkSchema],
    minItems: 1,
    description: 'What the job created; `Location` is the first one.',
  })
  links: JobLinkSchema[];
}

@ApiSchema({
  name: 'ProcessedJobWithData',
  description: 'A job done, whose result is data (answered with 200).',
})
export class ProcessedJobWithDataSchema {
  @ApiProperty({ enum: ['processed'] })
  status: 'processed';

  @ApiProperty({ type: 'integer', minimum: 200, maximum: 299, example: 200 })
  status_code: number;

  @ApiProperty({ format: 'date-time', description: ETA_DESCRIPTION, example: EXAMPLE_ETA })
  eta: string;

  @ApiProperty({
    description: 'What the job answered: an object or a string.',
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
  })
  response_data: Record<string, unknown> | string;
}

@ApiSchema({
  name: 'FailedJob',
  description:
    'A job refused with a 4xx: `validation_failed` (422, with `invalid`), `request_conflict` ' +
    '(409), `forbidden` (403), `not_found` (404), ... The answer itself is 200.',
})
export class FailedJobSchema {
  @ApiProperty({ enum: ['failed'] })
  status: 'failed';

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 499, example: 422 })
  status_code: number;

  @ApiProperty({ format: 'date-time', description: ETA_DESCRIPTION, example: EXAMPLE_ETA })
  eta: string;

  @ApiProperty({ type: () => ErrorBodySchema })
  error: ErrorBodySchema;
}

@ApiSchema({
  name: 'FailedWithErrorJob',
  description:
    'A job that crashed: `internal_error` with a generic sentence and an error id, never the ' +
    'exception text. The answer itself is 200.',
})
export class FailedWithErrorJobSchema {
  @ApiProperty({ enum: ['failed_with_error'] })
  status: 'failed_with_error';

  @ApiProperty({ type: 'integer', enum: [500] })
  status_code: number;

  @ApiProperty({ format: 'date-time', description: ETA_DESCRIPTION, example: EXAMPLE_ETA })
  eta: string;

  @ApiProperty({ type: () => ErrorBodySchema })
  error: ErrorBodySchema;
}

/** The schemas of this file; `ApiJobStatusResponses`/`ApiEnqueuedResponses` register them. */
export const JOB_OPENAPI_MODELS = [
  JobLinkSchema,
  PendingJobSchema,
  ProcessedJobWithLinksSchema,
  ProcessedJobWithDataSchema,
  FailedJobSchema,
  FailedWithErrorJobSchema,
];

/** `data` of a 200 answer of `GET /api/jobs/{id}`. */
const JOB_DATA_200: SchemaObject = {
  oneOf: [
    { $ref: getSchemaPath(PendingJobSchema) },
    { $ref: getSchemaPath(ProcessedJobWithDataSchema) },
    { $ref: getSchemaPath(FailedJobSchema) },
    { $ref: getSchemaPath(FailedWithErrorJobSchema) },
  ],
};

const RETRY_AFTER: HeaderObject = {
  description: 'Pending jobs only: whole seconds (1 to 60) to wait before polling again.',
  schema: { type: 'integer', minimum: 1, maximum: 60 },
};
const CACHE_CONTROL: HeaderObject = {
  description: 'Pending jobs only: `no-store`.',
  schema: { type: 'string', enum: ['no-store'] },
};
const PREFERENCE_APPLIED: HeaderObject = {
  description: 'Sent when `Prefer: wait=N` was honoured: `wait=N`.',
  schema: { type: 'string', pattern: '^wait=\\d+$' },
};

const jobPath = `/api/jobs/${EXAMPLE_JOB_ID}`;
const pendingData = {
  status: 'pending',
  eta: EXAMPLE_ETA,
  links: [{ entity: 'job', href: jobPath }],
};

function jobExample(summary: string, data: unknown, code = 200): NamedExample {
  return { summary, value: exampleEnvelope(code, jobPath, { data }) };
}

const JOB_200_EXAMPLES: Record<string, NamedExample> = {
  pending: jobExample('Waiting or running (with Retry-After and Cache-Control)', pendingData),
  processed_with_data: jobExample('Done, the result is data', {
    status: 'processed',
    status_code: 200,
    eta: EXAMPLE_ETA,
    response_data: { declaration_request_id: '6d7a8d8e-3c9b-4f7c-9a33-0b6c1a0e5d21' },
  }),
  processed_with_string: jobExample('Done, the result is a string', {
    status: 'processed',
    status_code: 200,
    eta: EXAMPLE_ETA,
    response_data: 'The declaration was terminated.',
  }),
  failed_422: jobExample('Failed with 422 (validation_failed)', {
    status: 'failed',
    status_code: 422,
    eta: EXAMPLE_ETA,
    error: {
      type: 'validation_failed',
      message: ERROR_MESSAGES.validationFailed,
      invalid: [
        {
          entry_type: 'json_data_property',
          entry: '$.encounter.date',
          rules: [
            {
              rule: 'invalid',
              params: [],
              description: "The encounter date must be within the visit's period.",
            },
          ],
        },
      ],
    },
  }),
  failed_409: jobExample('Failed with 409 (request_conflict)', {
    status: 'failed',
    status_code: 409,
    eta: EXAMPLE_ETA,
    error: {
      type: 'request_conflict',
      message: 'Encounter 0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10 already exists.',
    },
  }),
  failed_403: jobExample('Failed with 403 (forbidden)', {
    status: 'failed',
    status_code: 403,
    eta: EXAMPLE_ETA,
    error: {
      type: 'forbidden',
      message: 'The patient has no declaration with this legal entity.',
    },
  }),
  failed_with_error_500: jobExample('Crashed (failed_with_error, 500 in data)', {
    status: 'failed_with_error',
    status_code: 500,
    eta: EXAMPLE_ETA,
    error: {
      type: 'internal_error',
      message: internalErrorMessage('0c6f1b1e-8d0a-4f4e-9a57-2b1c3d4e5f60'),
    },
  }),
};

const encounterHref = `/api/patients/${EXAMPLE_PATIENT}/encounters/0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10`;

/**
 * Documents `GET /api/jobs/{id}`: the job id, `Prefer`, and every row of the status table (SPEC
 * section 4) as a named example, with the headers of each answer.
 */
export function ApiJobStatusResponses(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(...JOB_OPENAPI_MODELS),
    ApiParam({
      name: 'id',
      description:
        'The job id: 21 characters of `A-Za-z0-9_-`. Any other value answers 404, like an ' +
        "unknown id or another client's job.",
      schema: { type: 'string', pattern: JOB_ID_PATTERN, example: EXAMPLE_JOB_ID },
    }),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description:
        `Long poll (RFC 7240): \`wait=N\` (N up to ${MAX_WAIT_SECONDS}) holds a pending answer ` +
        'until the job finishes or N seconds pass; the answer then carries ' +
        '`Preference-Applied: wait=N`.',
      schema: { type: 'string', example: 'wait=10' },
    }),
    ApiResponse({
      status: 200,
      description:
        'The job is pending (with `Retry-After` and `Cache-Control: no-store`), done with data, ' +
        'failed (`status_code` 4xx, the error in `data.error`) or failed_with_error ' +
        '(`status_code` 500).',
      schema: successEnvelopeSchema(JOB_DATA_200),
      examples: JOB_200_EXAMPLES,
      headers: {
        ...REQUEST_ID_RESPONSE_HEADER,
        'Retry-After': RETRY_AFTER,
        'Cache-Control': CACHE_CONTROL,
        'Preference-Applied': PREFERENCE_APPLIED,
      },
    }),
    ApiResponse({
      status: 303,
      description: 'The job is done and its result is links: `Location` is the first link.',
      schema: successEnvelopeSchema({ $ref: getSchemaPath(ProcessedJobWithLinksSchema) }),
      examples: {
        processed_with_links: jobExample(
          'Done, the result is links',
          {
            status: 'processed',
            status_code: 200,
            eta: EXAMPLE_ETA,
            links: [
              { entity: 'encounter', href: encounterHref },
              {
                entity: 'condition',
                href: `/api/patients/${EXAMPLE_PATIENT}/conditions/c3f5a2d1-7e8b-4c6a-9f0e-1d2b3c4a5e60`,
              },
            ],
          },
          303,
        ),
      },
      headers: {
        ...REQUEST_ID_RESPONSE_HEADER,
        Location: {
          description: "The first link's `href`.",
          required: true,
          schema: { type: 'string', example: encounterHref },
        },
        'Preference-Applied': PREFERENCE_APPLIED,
      },
    }),
    ApiErrorResponse(404, {
      description: "not_found: an unknown id, a malformed id, or another client's job.",
      examples: {
        not_found: {
          summary: "Unknown, malformed, or another client's job",
          value: exampleEnvelope(404, jobPath, {
            error: { type: 'not_found', message: 'Job not found.' },
          }),
        },
      },
    }),
  );
}

/**
 * Documents the answers of a route that enqueues a job (SPEC section 5): 202 with the new pending
 * job, or 200 with the identical request's job still pending; both with `Location`.
 */
export function ApiEnqueuedResponses(): MethodDecorator {
  const headers: Record<string, HeaderObject> = {
    ...REQUEST_ID_RESPONSE_HEADER,
    Location: {
      description: 'The job: `/api/jobs/{id}`.',
      required: true,
      schema: { type: 'string', example: jobPath },
    },
    'Retry-After': { ...RETRY_AFTER, required: true },
    'Cache-Control': { ...CACHE_CONTROL, required: true },
  };
  const schema = successEnvelopeSchema({ $ref: getSchemaPath(PendingJobSchema) });
  return applyDecorators(
    ApiExtraModels(...JOB_OPENAPI_MODELS),
    ApiResponse({
      status: 202,
      description: 'Accepted: a new job; poll `GET /api/jobs/{id}` (the `Location`).',
      schema,
      examples: { accepted: jobExample('A new pending job', pendingData, 202) },
      headers,
    }),
    ApiResponse({
      status: 200,
      description:
        'The same request (same client, same body) is still pending: its job, not a new one.',
      schema,
      examples: { duplicate: jobExample('The earlier identical job, still pending', pendingData) },
      headers,
    }),
  );
}
