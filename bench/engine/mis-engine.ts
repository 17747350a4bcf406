/**
 * This service's engine as a contender: the real worker modules (`WorkerModule`) on their own schema,
 * jobs enqueued through `JobsService.enqueue`, run by `JobWorker` with a no-op `@JobHandler`.
 * A completion counts when its finish event (NOTIFY jobs_finished, sent on commit; one notification
 * carries the events of a whole completion batch) arrives; the handler's return is reported too,
 * the point at which graphile-worker and pg-boss report theirs.
 */
import { AppConfig, loadConfig } from '@app/config';
import { DatabaseSession } from '@app/database';
import {
  decodeFinished,
  JobContext,
  JobHandler,
  JobOutcome,
  JobsService,
  JobWorker,
} from '@app/jobs';

import { INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { BenchQueue, NOOP, QueueHooks, QueueOptions } from './queue';

const handlerHooks: { handled: (id: string) => void } = { handled: () => undefined };

@Injectable()
class NoopHandler {
  @JobHandler(NOOP)
  async run(job: JobContext): Promise<JobOutcome> {
    handlerHooks.handled(job.id);
    return JobOutcome.data({ n: job.payload.n as number });
  }
}

@Module({ providers: [NoopHandler] })
class NoopJobsModule {}

/** The worker modules on `options.schema` with the no-op job type, initialised but not claiming. */
export async function engineContext(options: QueueOptions): Promise<INestApplicationContext> {
  const config: AppConfig = loadConfig({
    NODE_ENV: 'production',
    DATABASE_URL: options.url,
    AUTH_JWT_SECRET: 'bench-secret-0123456789abcdef0123456789abcdef',
    WORKER_ENABLED: 'false',
    WORKER_CONCURRENCY: String(options.concurrency),
    LOG_LEVEL: 'silent',
  });
  const root = WorkerModule.forRoot(config, {
    database: { schema: options.schema },
    imports: [NoopJobsModule],
  });
  const app = await NestFactory.createApplicationContext(root, { logger: false });
  await app.init();
  return app;
}

export async function misEngine(options: QueueOptions): Promise<BenchQueue> {
  const app = await engineContext(options);
  const jobs = app.get(JobsService);
  const db = app.get(DatabaseSession);
  const listener = new Client({ connectionString: options.url });
  return {
    async enqueue(n) {
      const { job } = await jobs.enqueue(NOOP, { n }, { clientId: 'bench' });
      return job.id;
    },
    async start(hooks: QueueHooks) {
      handlerHooks.handled = (id) => {
        hooks.handled();
        hooks.returned?.(id);
      };
      await listener.connect();
      listener.on('notification', (message) => {
        for (const [id] of decodeFinished(message.payload ?? '')) hooks.completed(id);
      });
      await listener.query('LISTEN jobs_finished');
      await app.get(JobWorker).start();
    },
    async completedInDatabase() {
      const [row] = await db.query<{ count: string }>(
        `SELECT COUNT(*) AS count FROM jobs WHERE state = 'processed'`,
        {},
      );
      return Number(row.count);
    },
    async close() {
      await app.close();
      await listener.end().catch(() => undefined);
    },
  };
}
