import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { JobTypePauseState, QueuesOverview } from './dto/operator-views.schema';
import { JobAdminService } from './job-admin.service';
import { ApiActionConflict, ApiJobTypeParam, ApiOperatorAnswer } from './operator.openapi';
import { JOB_ADMIN_SCOPES } from './scopes';

/** The queues of every job type, and pausing them. Operators only (`job:admin`). */
@ApiTags('operators')
@Controller('api/admin/queues')
@Scopes(JOB_ADMIN_SCOPES.admin)
export class OperatorQueuesController {
  constructor(private readonly admin: JobAdminService) {}

  /**
   * Per job type: waiting, running and retry-scheduled jobs, whether it is paused, crashes in the
   * last 24 hours, the oldest waiting job's age, jobs finished per minute over the last hour and
   * run durations; and the live workers with their capacity and last heartbeat.
   */
  @Get()
  @ApiOperation({ summary: 'Overview of the queues and workers' })
  @ApiOperatorAnswer(QueuesOverview)
  overview(): Promise<QueuesOverview> {
    return this.admin.overview();
  }

  /**
   * Workers stop claiming jobs of this type (runs already going finish). Submissions are still
   * accepted; their `eta` is `9999-12-31T23:59:59.999Z` until the type resumes. Audited.
   */
  @Post(':type/actions/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pause a job type' })
  @ApiJobTypeParam()
  @ApiOperatorAnswer(JobTypePauseState)
  @ApiActionConflict('request_conflict: the type is paused already.', 'Job type is paused already.')
  pause(
    @Param('type') type: string,
    @CurrentClient() operator: AuthenticatedClient,
    @Req() request: FastifyRequest,
  ): Promise<JobTypePauseState> {
    return this.admin.pause(type, { clientId: operator.clientId, requestId: request.id });
  }

  /** Workers claim this type's jobs again; its waiting jobs get a real `eta`. Audited. */
  @Post(':type/actions/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume a paused job type' })
  @ApiJobTypeParam()
  @ApiOperatorAnswer(JobTypePauseState)
  @ApiActionConflict('request_conflict: the type is not paused.', 'Job type is not paused.')
  resume(
    @Param('type') type: string,
    @CurrentClient() operator: AuthenticatedClient,
    @Req() request: FastifyRequest,
  ): Promise<JobTypePauseState> {
    return this.admin.resume(type, { clientId: operator.clientId, requestId: request.id });
  }
}
