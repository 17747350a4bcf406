import { AuthModule } from '@app/auth';
import { AppConfig } from '@app/config';
import { DatabaseModule, DatabaseSession } from '@app/database';
import { FactoryProvider, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { getRepositoryToken } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EtaEstimator } from './engine/eta-estimator';
import { JobEvents } from './engine/job-events';
import { JobGauges } from './engine/job-gauges';
import { JobHandlerRegistry } from './engine/job-handler.registry';
import { JobRetention } from './engine/job-retention';
import { JobStore } from './engine/job-store';
import { JobWaiters } from './engine/job-waiters';
import { JobWorker } from './engine/job-worker';
import { WorkersRepository } from './engine/workers.repository';
import { Job } from './job.entity';
import { JobStatistics } from './job-statistics';
import { CreateJobs1764300000000 } from './migrations/1764300000000-create-jobs';
import { JobEngine1764310000000 } from './migrations/1764310000000-job-engine';
import { EraseFinishedPayloads1764340000000 } from './migrations/1764340000000-erase-finished-payloads';
import { JobList1764400000000 } from './migrations/1764400000000-job-list';
import { JobTypePauses1764410000000 } from './migrations/1764410000000-job-type-pauses';
import { JobRetries1764420000000 } from './migrations/1764420000000-job-retries';
import { FailedWithErrorIndex1764440000000 } from './migrations/1764440000000-failed-with-error-index';
import { JobTypePause } from './job-type-pause.entity';
import { JobsController } from './jobs.controller';
import { JobsRepository } from './jobs.repository';
import { JobsService } from './jobs.service';
import { PostgresJobEvents } from './postgres/postgres-job-events';
import { PostgresJobStore } from './postgres/postgres-job-store';
import { PostgresJobsRepository } from './postgres/postgres-jobs.repository';
import { LocalJobEvents } from './sqlite/local-job-events';
import { SqliteJobStore } from './sqlite/sqlite-job-store';
import { SqliteJobsRepository } from './sqlite/sqlite-jobs.repository';

/** The ports whose implementation depends on the database, as one set. */
class DatabasePorts {
  constructor(
    readonly repository: JobsRepository,
    readonly store: JobStore,
    readonly events: JobEvents,
  ) {}
}

/**
 * The one place that decides which database the jobs run on: every port gets the implementation
 * for the configured database, once, at start-up. Nothing else in the library asks.
 */
const databasePorts: FactoryProvider<DatabasePorts> = {
  provide: DatabasePorts,
  inject: [AppConfig, DatabaseSession, getRepositoryToken(Job)],
  useFactory: (config: AppConfig, db: DatabaseSession, jobs: Repository<Job>) => {
    if (config.database.kind === 'postgres') {
      return new DatabasePorts(
        new PostgresJobsRepository(db, jobs),
        new PostgresJobStore(db),
        new PostgresJobEvents(db, config.database.url),
      );
    }
    const events = new LocalJobEvents();
    return new DatabasePorts(
      new SqliteJobsRepository(db, jobs, events),
      new SqliteJobStore(db, events),
      events,
    );
  },
};

const port = <T>(token: abstract new (...args: never[]) => T, of: (ports: DatabasePorts) => T) =>
  ({ provide: token, inject: [DatabasePorts], useFactory: of }) satisfies FactoryProvider<T>;

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
        EraseFinishedPayloads1764340000000,
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
    databasePorts,
    port(JobsRepository, (ports) => ports.repository),
    port(JobStore, (ports) => ports.store),
    port(JobEvents, (ports) => ports.events),
    JobsService,
    JobStatistics,
    WorkersRepository,
    JobHandlerRegistry,
    JobWaiters,
    EtaEstimator,
    JobWorker,
    JobRetention,
    JobGauges,
  ],
  exports: [JobsService, JobWorker, WorkersRepository, EtaEstimator, JobEvents],
})
export class JobsModule {}
