import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import { ApiErrorResponse, PagedList } from '@app/http';
import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { OperatorJobQuery } from './dto/operator-queries.dto';
import { OperatorJob, OperatorJobDetail } from './dto/operator-views.schema';
import { JobAdminService } from './job-admin.service';
import { ApiActionConflict, ApiOperatorAnswer, ApiOperatorJobId } from './operator.openapi';
import { JOB_ADMIN_SCOPES } from './scopes';

/**
 * Every client's jobs, for operators (`job:admin`): their states, attempts and errors, and the
 * size and SHA-256 of their payloads and results, never the clinical data itself.
 */
@ApiTags('operators')
@Controller('api/admin/jobs')
@Scopes(JOB_ADMIN_SCOPES.admin)
export class OperatorJobsController {
  constructor(private readonly admin: JobAdminService) {}

  /** Jobs of any client, newest first; filters combine. */
  @Get()
  @ApiOperation({ summary: 'List jobs of every client' })
  @ApiOperatorAnswer(OperatorJob, true)
  @ApiErrorResponse(422)
  list(@Query() query: OperatorJobQuery): Promise<PagedList<OperatorJob>> {
    return this.admin.listJobs(query);
  }

  /** One job with its attempt history (worker, start, end, outcome, error id). */
  @Get(':id')
  @ApiOperation({ summary: 'Get a job with its attempts' })
  @ApiOperatorJobId()
  @ApiOperatorAnswer(OperatorJobDetail)
  job(@Param('id') id: string): Promise<OperatorJobDetail> {
    return this.admin.job(id);
  }

  /**
   * Runs a `failed_with_error` job again, once its cause is fixed: its client sees it `pending`,
   * then its new outcome. It gets a fresh attempt budget. Audited.
   */
  @Post(':id/actions/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Retry a job that failed with an error' })
  @ApiOperatorJobId()
  @ApiOperatorAnswer(OperatorJobDetail)
  @ApiActionConflict(
    'request_conflict: the job is not failed_with_error, or the same request is pending in another job.',
    'Only a failed_with_error job can be retried; this one is processed.',
  )
  retry(
    @Param('id') id: string,
    @CurrentClient() operator: AuthenticatedClient,
    @Req() request: FastifyRequest,
  ): Promise<OperatorJobDetail> {
    return this.admin.retry(id, { clientId: operator.clientId, requestId: request.id });
  }
}
