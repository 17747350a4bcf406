import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import { PagedList, preferredWaitSeconds } from '@app/http';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPending } from './job-state';
import { JobListQuery } from './dto/job-list-query.dto';
import { JobListItem } from './job-list-item.schema';
import { ApiJobListResponses, ApiJobStatusResponses } from './job.openapi';
import { JobData } from './job-data.schema';
import { presentJob } from './job.presenter';
import { JobsService } from './jobs.service';
import { JOB_SCOPES } from './scopes';

@ApiTags('jobs')
@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /**
   * The caller's own jobs, newest first: a MIS that lost a job's `Location` finds it here. Filters
   * combine; another client's jobs are never listed.
   */
  @Get()
  @Scopes(JOB_SCOPES.read)
  @ApiOperation({ summary: 'List my jobs' })
  @ApiJobListResponses()
  async listJobs(
    @Query() query: JobListQuery,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PagedList<JobListItem>> {
    void reply.header('cache-control', 'no-store');
    return this.jobs.listForClient(client.clientId, query);
  }

  /**
   * The processing status of an asynchronous job. A job belongs to the client that created it; any
   * other client's token gets 404. With `Prefer: wait=N` a pending job's answer is held until it
   * finishes or N seconds pass.
   */
  @Get(':id')
  @Scopes(JOB_SCOPES.read)
  @ApiOperation({ summary: 'Get async job processing details' })
  @ApiJobStatusResponses()
  async getJob(
    @Req() request: FastifyRequest<{ Params: { id: string } }> & { user: AuthenticatedClient },
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    // The inputs come from the request itself: this is the hottest route, and a parameter
    // decorator costs a pass through the validation pipe on every poll.
    let job = await this.jobs.getForClient(request.params.id, request.user.clientId);
    const wait = preferredWaitSeconds(request.headers.prefer);
    if (wait > 0 && isPending(job.state)) {
      const gone = new AbortController();
      const abort = () => gone.abort();
      reply.raw.once('close', abort);
      try {
        job = await this.jobs.waitForFinish(job, wait * 1000, gone.signal);
      } finally {
        reply.raw.off('close', abort);
      }
      void reply.header('preference-applied', `wait=${wait}`);
      // Answered because the process is stopping: the client's next request goes elsewhere.
      if (this.jobs.isClosing) void reply.header('connection', 'close');
    }
    const view = presentJob(job);
    void reply.code(view.httpStatus).headers(view.headers);
    return view.data;
  }
}
