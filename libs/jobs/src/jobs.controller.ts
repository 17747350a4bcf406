import { AuthenticatedClient, CurrentClient, Scopes, SCOPES } from '@app/auth';
import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { JobData, presentJob } from './job.presenter';
import { JobsService } from './jobs.service';

@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  /** The processing status of an asynchronous job (SPEC section 4). */
  @Get(':id')
  @Scopes(SCOPES.jobRead)
  async getJob(
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    const view = presentJob(await this.jobs.getForClient(id, client.clientId));
    void reply.code(view.httpStatus).headers(view.headers);
    return view.data;
  }
}
