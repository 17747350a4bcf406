import { measureQueueWith, measureWaitersWith } from '@app/observability';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobsRepository } from '../jobs.repository';
import { JobWaiters } from './job-waiters';

/** Feeds the queue and long-poll gauges of `/metrics` when they are scraped. */
@Injectable()
export class JobGauges implements OnModuleInit {
  constructor(
    private readonly jobs: JobsRepository,
    private readonly waiters: JobWaiters,
  ) {}

  onModuleInit(): void {
    measureQueueWith(() => this.jobs.queueSnapshot(new Date()));
    measureWaitersWith(() => this.waiters.count);
  }
}
