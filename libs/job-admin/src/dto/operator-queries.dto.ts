import { PageQuery } from '@app/http';
import { PUBLIC_JOB_STATUSES, PublicJobStatus } from '@app/jobs';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

/** The filters of `GET /api/admin/jobs`, with its paging. */
export class OperatorJobQuery extends PageQuery {
  /** Only jobs in this status. */
  @ApiProperty({ required: false, enum: PUBLIC_JOB_STATUSES, example: 'failed_with_error' })
  @IsOptional()
  @IsIn(PUBLIC_JOB_STATUSES)
  status?: PublicJobStatus;

  /** Only jobs of this type. */
  @ApiProperty({ required: false, maxLength: 100, example: 'encounter_package.create' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;

  /** Only jobs of this client. */
  @ApiProperty({ required: false, maxLength: 200, example: 'mis-1' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  client_id?: string;
}

/** `GET /api/admin/audit`: its paging only. */
export class OperatorActionQuery extends PageQuery {}
