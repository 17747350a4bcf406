import { ApiException } from '@app/http';
import { Injectable } from '@nestjs/common';
import { Job } from './job.entity';
import { isJobId } from './job-id';
import { JobsRepository } from './jobs.repository';

export const JOB_NOT_FOUND = 'Job not found.';

@Injectable()
export class JobsService {
  constructor(private readonly jobs: JobsRepository) {}

  /**
   * The job, when it exists and belongs to this client. An unknown id, a malformed id and another
   * client's job all answer the same 404, so ids cannot be probed.
   */
  async getForClient(id: string, clientId: string): Promise<Job> {
    const job = isJobId(id) ? await this.jobs.findVisible(id, clientId) : null;
    if (!job) throw ApiException.notFound(JOB_NOT_FOUND);
    return job;
  }
}
