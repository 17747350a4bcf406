import { ErrorBody } from '@app/http';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** What `GET /api/jobs/{id}` answers in `data`, one class per row of the status table. */

/** A link to a job, or to what a processed job created. */
export class JobLink {
  /** @example "record" */
  entity: string;

  /** @example "/api/jobs/NBXk9EyErUZv1RhXgyvgg" */
  href: string;
}

const ETA = {
  format: 'date-time',
  description: 'When the job is expected to finish: ISO 8601 UTC with milliseconds.',
  example: '2018-08-02T10:45:16.000Z',
};

/** A waiting or running job. It carries no `status_code`. */
@ApiSchema({ description: 'A waiting or running job. It carries no `status_code`.' })
export class PendingJob {
  status: 'pending';

  @ApiProperty(ETA)
  eta: string;

  /** The job itself: `{"entity": "job", "href": "/api/jobs/{id}"}`. */
  @ApiProperty({ minItems: 1, maxItems: 1 })
  links: JobLink[];
}

@ApiSchema({
  description: 'A job done, whose result is links to what it created (answered with 303).',
})
export class ProcessedJobWithLinks {
  status: 'processed';

  @ApiProperty({ type: 'integer', minimum: 200, maximum: 299, example: 200 })
  status_code: number;

  @ApiProperty(ETA)
  eta: string;

  /** What the job created; `Location` is the first one. */
  @ApiProperty({ minItems: 1 })
  links: JobLink[];
}

@ApiSchema({ description: 'A job done, whose result is data (answered with 200).' })
export class ProcessedJobWithData {
  status: 'processed';

  @ApiProperty({ type: 'integer', minimum: 200, maximum: 299, example: 200 })
  status_code: number;

  @ApiProperty(ETA)
  eta: string;

  /** What the job answered: an object or a string. */
  @ApiProperty({ oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }] })
  response_data: Record<string, unknown> | string;
}

@ApiSchema({
  description:
    'A job refused with a 4xx: `validation_failed` (422, with `invalid`), `request_conflict` ' +
    '(409), `forbidden` (403), `not_found` (404), ... The answer itself is 200.',
})
export class FailedJob {
  status: 'failed';

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 499, example: 422 })
  status_code: number;

  @ApiProperty(ETA)
  eta: string;

  error: ErrorBody;
}

@ApiSchema({
  description:
    'A job that crashed: `internal_error` with a generic sentence and an error id, never the ' +
    'exception text. The answer itself is 200.',
})
export class FailedWithErrorJob {
  status: 'failed_with_error';

  @ApiProperty({ type: 'integer', enum: [500] })
  status_code: number;

  @ApiProperty(ETA)
  eta: string;

  error: ErrorBody;
}

/** `data` of an answer of `GET /api/jobs/{id}`. */
export type JobData =
  PendingJob | ProcessedJobWithLinks | ProcessedJobWithData | FailedJob | FailedWithErrorJob;

export const JOB_DATA_MODELS = [
  JobLink,
  PendingJob,
  ProcessedJobWithLinks,
  ProcessedJobWithData,
  FailedJob,
  FailedWithErrorJob,
];
