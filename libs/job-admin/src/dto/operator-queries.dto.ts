import { PageQuery } from '@app/http';
import { JobFilterQuery } from '@app/jobs';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A client id as tokens carry it: no control characters. */
const CLIENT_ID_PATTERN = /^\P{Cc}+$/u;

/** The filters of `GET /api/admin/jobs`, with its paging. */
export class OperatorJobQuery extends JobFilterQuery {
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
