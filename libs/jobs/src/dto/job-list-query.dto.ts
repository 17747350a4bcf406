import { PageQuery } from '@app/http';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PUBLIC_JOB_STATUSES, PublicJobStatus } from '../job-state';

/** What a job type's name may hold: visible ASCII. */
export const JOB_TYPE_PATTERN = /^[\x21-\x7e]+$/;

/** The filters every list of jobs shares (status and type), with its paging. */
export class JobFilterQuery extends PageQuery {
  /** Only jobs in this status. */
  @ApiProperty({ required: false, enum: PUBLIC_JOB_STATUSES, example: 'failed' })
  @IsOptional()
  @IsIn(PUBLIC_JOB_STATUSES)
  status?: PublicJobStatus;

  /** Only jobs of this type (a job type is visible ASCII). */
  @ApiProperty({
    required: false,
    maxLength: 100,
    pattern: JOB_TYPE_PATTERN.source,
    example: 'encounter_package.create',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(JOB_TYPE_PATTERN)
  type?: string;
}

/** The filters of `GET /api/jobs`, with its paging. */
export class JobListQuery extends JobFilterQuery {
  /** Only jobs submitted at or after this instant (ISO 8601). */
  @ApiProperty({ required: false, format: 'date-time', example: '2026-11-20T00:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  inserted_from?: string;

  /** Only jobs submitted at or before this instant (ISO 8601). */
  @ApiProperty({ required: false, format: 'date-time', example: '2026-11-21T00:00:00.000Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  inserted_to?: string;
}
