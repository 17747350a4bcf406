import { AuthModule } from '@app/auth';
import { DatabaseModule } from '@app/database';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EtaEstimator } from './engine/eta-estimator';
import { JobEvents } from './engine/job-events';
import { JobGauges } from './engine/job-gauges';
import { JobHandlerRegistry } from './engine/job-handler.registry';
import { JobRetention } from './engine/job-retention';
import { JobWaiters } from './engine/job-waiters';
import { JobWorker } from './engine/job-worker';
import { WorkersRepository } from './engine/workers.repository';
import { Job } from './job.entity';
import { CreateJobs1764300000000 } from './migrations/1764300000000-create-jobs';
import { JobEngine1764310000000 } from './migrations/1764310000000-job-engine';
import { JobList1764400000000 } from './migrations/1764400000000-job-list';
import { JobTypePauses1764410000000 } from './migrations/1764410000000-job-type-pauses';
import { JobRetries1764420000000 } from './migrations/1764420000000-job-retries';
import { FailedWithErrorIndex1764440000000 } from './migrations/1764440000000-failed-with-error-index';
import { JobTypePause } from './job-type-pause.entity';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';

/**
 * The jobs backbone: the status route, `JobsService.enqueue` for modules, and the engine that runs
 * `@JobHandler`s (started where `WORKER_ENABLED` holds).
 */
@Module({
  imports: [
    DatabaseModule.forFeature({
      entities: [Job, JobTypePause],
      migrations: [
        CreateJobs1764300000000,
        JobEngine1764310000000,
        JobList1764400000000,
        JobTypePauses1764410000000,
        JobRetries1764420000000,
        FailedWithErrorIndex1764440000000,
      ],
    }),
    AuthModule,
    DiscoveryModule,
  ],
  controllers: [JobsController],
  providers: [
    JobsService,
    JobsRepository,
    WorkersRepository,
    JobHandlerRegistry,
    JobEvents,
    JobWaiters,
    EtaEstimator,
    JobWorker,
    JobRetention,
    JobGauges,
  ],
  exports: [JobsService, JobWorker, WorkersRepository, EtaEstimator, JobEvents],
})
export class JobsModule {}
