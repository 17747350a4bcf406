import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { Job } from './job.entity';
import { newJobId } from './job-id';

export type NewJob = Pick<Job, 'type' | 'clientId' | 'payload' | 'eta'> &
  Partial<Pick<Job, 'state' | 'statusCode' | 'result' | 'dedupeKey' | 'attempts'>>;

/** The named queries on the jobs table; nothing else in the service touches it. */
@Injectable()
export class JobsRepository {
  constructor(@InjectRepository(Job) private readonly jobs: Repository<Job>) {}

  /** The job with this id, only when it belongs to this client. */
  findVisible(id: string, clientId: string): Promise<Job | null> {
    return this.jobs.findOneBy({ id, clientId });
  }

  async insert(job: NewJob): Promise<Job> {
    const entity = this.jobs.create({
      state: 'waiting',
      statusCode: null,
      result: null,
      dedupeKey: null,
      attempts: 0,
      ...job,
      id: newJobId(),
    });
    await this.jobs.insert(entity as QueryDeepPartialEntity<Job>);
    return entity;
  }
}
