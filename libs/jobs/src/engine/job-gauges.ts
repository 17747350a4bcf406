import { measureLiveWorkersWith, measureQueueWith, measureWaitersWith } from '@app/observability';
import { Injectable, OnModuleInit } from '@nestjs/common';
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
    measureQueueWith(() => this.statistics.queueSnapshot(new Date()));
    measureWaitersWith(() => this.waiters.count);
    measureLiveWorkersWith(() => this.workers.countLive(new Date()));
  }
}
