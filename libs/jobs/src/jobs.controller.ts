import { AuthenticatedClient, CurrentClient, Scopes, SCOPES } from '@app/auth';
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isPending } from './job-state';
import { JobData, presentJob } from './job.presenter';
import { JobsService } from './jobs.service';
import { preferredWaitSeconds } from './prefer-wait';

@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /**
   * The processing status of an asynchronous job (SPEC section 4). With `Prefer: wait=N` a pending
   * job's answer is held until it finishes or N seconds pass.
   */
  @Get(':id')
  @Scopes(SCOPES.jobRead)
  async getJob(
    @Param('id') id: string,
    @Headers('prefer') prefer: string | undefined,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    let job = await this.jobs.getForClient(id, client.clientId);
    const wait = preferredWaitSeconds(prefer);
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
    }
    const view = presentJob(job);
    void reply.code(view.httpStatus).headers(view.headers);
    return view.data;
  }
}
