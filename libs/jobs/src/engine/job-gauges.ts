import { Injectable, OnModuleInit } from '@nestjs/common';
import { measureJobsWith } from '../job-metrics';
import { JobStatistics } from '../job-statistics';
import { JobWaiters } from './job-waiters';
import { WorkersRepository } from './workers.repository';

/** Feeds the queue, live-worker and long-poll gauges of `/metrics` when they are scraped. */
@Injectable()
export class JobGauges implements OnModuleInit {
  constructor(
    private readonly statistics: JobStatistics,
    private readonly waiters: JobWaiters,
    private readonly workers: WorkersRepository,
  ) {}

  onModuleInit(): void {
    measureJobsWith({
      queue: () => this.statistics.queueSnapshot(new Date()),
      waiters: () => this.waiters.count,
      liveWorkers: () => this.workers.countLive(new Date()),
    });
  }
}
