import { PageQuery } from '@app/http';
import { JOB_TYPE_PATTERN, PUBLIC_JOB_STATUSES, PublicJobStatus } from '@app/jobs';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A client id as tokens carry it: no control characters. */
const CLIENT_ID_PATTERN = /^\P{Cc}+$/u;

/** The filters of `GET /api/admin/jobs`, with its paging. */
export class OperatorJobQuery extends PageQuery {
  /** Only jobs in this status. */
  @ApiProperty({ required: false, enum: PUBLIC_JOB_STATUSES, example: 'failed_with_error' })
  @IsOptional()
  @IsIn(PUBLIC_JOB_STATUSES)
  status?: PublicJobStatus;

  /** Only jobs of this type. */
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

  /** Only jobs of this client (no control characters). */
  @ApiProperty({
    required: false,
    maxLength: 200,
    pattern: CLIENT_ID_PATTERN.source,
    example: 'mis-1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(CLIENT_ID_PATTERN)
  client_id?: string;
}

/** `GET /api/admin/audit`: its paging only. */
export class OperatorActionQuery extends PageQuery {}
