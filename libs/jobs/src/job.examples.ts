import {
  ERROR_MESSAGES,
  EXAMPLE_CLIENT_ID,
  ErrorType,
  exampleEnvelope,
  internalErrorMessage,
  NamedExample,
} from '@app/http';
import { JobResult } from './job-result';
import { JobState } from './job-state';
import { presentJob, presentListItem } from './job.presenter';

/**
 * The examples of the OpenAPI document for jobs: one job in each row of the status table, answered
 * by the presenter itself, so an example is always what the service sends.
 */

export const EXAMPLE_JOB_ID = 'NBXk9EyErUZv1RhXgyvgg';
export const EXAMPLE_JOB_PATH = `/api/jobs/${EXAMPLE_JOB_ID}`;
const ETA = new Date('2018-08-02T10:45:16.000Z');
const RECORD = '/api/records/0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10';

function job(state: JobState, statusCode: number | null, result: JobResult | null) {
  return { id: EXAMPLE_JOB_ID, clientId: EXAMPLE_CLIENT_ID, state, statusCode, result, eta: ETA };
}

function example(
  summary: string,
  state: JobState,
  code: number | null,
  result: JobResult | null,
  httpStatus?: number,
): NamedExample {
  const view = presentJob(job(state, code, result), ETA);
  const data = { data: view.data };
  return { summary, value: exampleEnvelope(httpStatus ?? view.httpStatus, EXAMPLE_JOB_PATH, data) };
}

const failed = (type: ErrorType, message: string) => ({
  kind: 'error' as const,
  error: { type, message },
});

/** A pending job, as `GET /api/jobs/{id}` (200) or a submission (202 or 200) answers it. */
export const pendingExample = (summary: string, httpStatus = 200) =>
  example(summary, 'waiting', null, null, httpStatus);

/** The 200 answers of `GET /api/jobs/{id}`, by name. */
export const JOB_200_EXAMPLES: Record<string, NamedExample> = {
  pending: pendingExample('Waiting or running (with Retry-After and Cache-Control)'),
  processed_with_data: example('Done, the result is data', 'processed', 200, {
    kind: 'data',
    response_data: { declaration_request_id: '6d7a8d8e-3c9b-4f7c-9a33-0b6c1a0e5d21' },
  }),
  processed_with_string: example('Done, the result is a string', 'processed', 200, {
    kind: 'data',
    response_data: 'The declaration was terminated.',
  }),
  failed_422: example('Failed with 422 (validation_failed)', 'failed', 422, {
    kind: 'error',
    error: {
      type: 'validation_failed',
      message: ERROR_MESSAGES.validationFailed,
      invalid: [
        {
          entry_type: 'json_data_property',
          entry: '$.period.start',
          rules: [
            { rule: 'invalid', params: [], description: 'The start must not be in the future.' },
          ],
        },
      ],
    },
  }),
  failed_409: example(
    'Failed with 409 (request_conflict)',
    'failed',
    409,
    failed('request_conflict', 'Record 0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10 already exists.'),
  ),
  failed_403: example(
    'Failed with 403 (forbidden)',
    'failed',
    403,
    failed('forbidden', 'The client may not change this record.'),
  ),
  failed_with_error_500: example(
    'Crashed (failed_with_error, 500 in data)',
    'failed_with_error',
    500,
    failed('internal_error', internalErrorMessage('0c6f1b1e-8d0a-4f4e-9a57-2b1c3d4e5f60')),
  ),
};

/** The 303 answer of `GET /api/jobs/{id}`. */
export const PROCESSED_WITH_LINKS_EXAMPLE = example('Done, the result is links', 'processed', 200, {
  kind: 'links',
  links: [
    { entity: 'record', href: RECORD },
    { entity: 'record', href: '/api/records/c3f5a2d1-7e8b-4c6a-9f0e-1d2b3c4a5e60' },
  ],
});

/** A page of `GET /api/jobs`: a processed job and a pending one, newest first. */
export const JOB_LIST_EXAMPLE: NamedExample = {
  summary: 'The first page of the caller’s jobs',
  value: {
    ...exampleEnvelope(200, '/api/jobs', {
      data: [
        presentListItem({
          id: 'Q2kV8yT1mXo3bN7rLp0aZ',
          type: 'encounter_package.create',
          state: 'waiting',
          statusCode: null,
          createdAt: new Date('2026-11-20T09:31:00.000Z'),
          updatedAt: new Date('2026-11-20T09:31:00.000Z'),
        }),
        presentListItem({
          id: EXAMPLE_JOB_ID,
          type: 'encounter_package.create',
          state: 'processed',
          statusCode: 200,
          createdAt: new Date('2026-11-20T09:30:00.000Z'),
          updatedAt: new Date('2026-11-20T09:30:01.000Z'),
        }),
      ],
    }),
    paging: { page_number: 1, page_size: 50, total_entries: 2, total_pages: 1 },
  },
};
