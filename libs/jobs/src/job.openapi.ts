import {
  ApiErrorResponse,
  errorExample,
  header,
  MAX_WAIT_SECONDS,
  pagedEnvelopeSchema,
  Paging,
  REQUEST_ID_RESPONSE_HEADER,
  successEnvelopeSchema,
} from '@app/http';
import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiParam, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import * as data from './job-data.schema';
import { JobListItem } from './job-list-item.schema';
import * as examples from './job.examples';

const retryAfter = (required: boolean) =>
  header(
    'Pending jobs only: whole seconds (1 to 60) to wait before polling again.',
    { type: 'integer', minimum: 1, maximum: 60 },
    required,
  );
const cacheControl = (required: boolean) =>
  header('Pending jobs only: `no-store`.', { type: 'string', enum: ['no-store'] }, required);
const preferenceApplied = header(
  'Sent when `Prefer: wait=N` was honoured: `wait=N`.',
  { type: 'string', pattern: '^wait=\\d+$' },
  false,
);

/** Documents `GET /api/jobs/{id}`: every row of the status table, with the headers of each answer. */
export function ApiJobStatusResponses(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(...data.JOB_DATA_MODELS),
    ApiParam({
      name: 'id',
      description:
        "The job id: 21 characters of `A-Za-z0-9_-`. Any other value answers 404, like an unknown id or another client's job.",
      schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{21}$', example: examples.EXAMPLE_JOB_ID },
    }),
    ApiHeader({
      name: 'Prefer',
      required: false,
      description: `Long poll (RFC 7240): \`wait=N\` (N up to ${MAX_WAIT_SECONDS}) holds a pending answer until the job finishes or N seconds pass; the answer then carries \`Preference-Applied: wait=N\`.`,
      schema: { type: 'string', example: 'wait=10' },
    }),
    ApiResponse({
      status: 200,
      description:
        'The job is pending (with `Retry-After` and `Cache-Control: no-store`), done with data, failed (`status_code` 4xx, the error in `data.error`) or failed_with_error (`status_code` 500).',
      schema: successEnvelopeSchema({
        oneOf: [
          data.PendingJob,
          data.ProcessedJobWithData,
          data.FailedJob,
          data.FailedWithErrorJob,
        ].map((model) => ({ $ref: getSchemaPath(model) })),
      }),
      examples: examples.JOB_200_EXAMPLES,
      headers: {
        ...REQUEST_ID_RESPONSE_HEADER,
        'Retry-After': retryAfter(false),
        'Cache-Control': cacheControl(false),
        'Preference-Applied': preferenceApplied,
      },
    }),
    ApiResponse({
      status: 303,
      description: 'The job is done and its result is links: `Location` is the first link.',
      schema: successEnvelopeSchema(data.ProcessedJobWithLinks),
      examples: { processed_with_links: examples.PROCESSED_WITH_LINKS_EXAMPLE },
      headers: {
        ...REQUEST_ID_RESPONSE_HEADER,
        Location: header("The first link's `href`.", { type: 'string' }),
        'Preference-Applied': preferenceApplied,
      },
    }),
    ApiErrorResponse(404, {
      description: "not_found: an unknown id, a malformed id, or another client's job.",
      examples: {
        not_found: errorExample(
          "Unknown, malformed, or another client's job",
          404,
          'not_found',
          'Job not found.',
          examples.EXAMPLE_JOB_PATH,
        ),
      },
    }),
  );
}

/**
 * Documents the answers of a route that enqueues a job: 202 with the new pending job, or 200 with
 * the identical request's job still pending; both with `Location`.
 */
export function ApiEnqueuedResponses(): MethodDecorator {
  const headers = {
    ...REQUEST_ID_RESPONSE_HEADER,
    Location: header('The job: `/api/jobs/{id}`.', {
      type: 'string',
      example: examples.EXAMPLE_JOB_PATH,
    }),
    'Retry-After': retryAfter(true),
    'Cache-Control': cacheControl(true),
  };
  const schema = successEnvelopeSchema(data.PendingJob);
  return applyDecorators(
    ApiExtraModels(...data.JOB_DATA_MODELS),
    ApiResponse({
      status: 202,
      description: 'Accepted: a new job; poll `GET /api/jobs/{id}` (the `Location`).',
      schema,
      examples: { accepted: examples.pendingExample('A new pending job', 202) },
      headers,
    }),
    ApiResponse({
      status: 200,
      description:
        'The same request (same client, same body) is still pending: its job, not a new one.',
      schema,
      examples: { duplicate: examples.pendingExample('The earlier identical job, still pending') },
      headers,
    }),
  );
}

/** Documents `GET /api/jobs`: one page of the caller's jobs. */
export function ApiJobListResponses(): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(JobListItem, data.JobLink, Paging),
    ApiResponse({
      status: 200,
      description: "One page of the caller's jobs, newest first, with `paging`.",
      schema: pagedEnvelopeSchema(JobListItem),
      examples: { jobs: examples.JOB_LIST_EXAMPLE },
      headers: { ...REQUEST_ID_RESPONSE_HEADER, 'Cache-Control': cacheControl(true) },
    }),
    ApiErrorResponse(422),
  );
}
