import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PUBLIC_JOB_STATUSES, PublicJobStatus } from './job-state';
import { JobLink } from './job-data.schema';

/** One of the caller's jobs in `GET /api/jobs`: what it is and where it is, never its data. */
@ApiSchema({ name: 'JobListItem' })
export class JobListItem {
  /** @example "NBXk9EyErUZv1RhXgyvgg" */
  id: string;

  /** @example "encounter_package.create" */
  type: string;

  @ApiProperty({ enum: PUBLIC_JOB_STATUSES, example: 'processed' })
  status: PublicJobStatus;

  /** The job's `status_code`: null while it is pending. */
  @ApiProperty({ type: 'integer', nullable: true, example: 200 })
  status_code: number | null;

  /** When the job was submitted. */
  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:30:00.000Z' })
  inserted_at: string;

  /** When the job last changed. */
  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:30:01.000Z' })
  updated_at: string;

  /** The job itself: `{"entity": "job", "href": "/api/jobs/{id}"}`. */
  @ApiProperty({ minItems: 1, maxItems: 1 })
  links: JobLink[];
}
