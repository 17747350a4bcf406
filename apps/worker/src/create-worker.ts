import { AppConfig } from '@app/config';
import { DataSourceExtras } from '@app/database';
import { DynamicModule, INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

export interface CreateWorkerOptions {
  database?: DataSourceExtras;
  logger?: LoggerService | LogLevel[] | false;
  /** Extra modules with job handlers (the tests add their own job types). */
  imports?: NonNullable<DynamicModule['imports']>;
}

/** Builds the worker process; it claims jobs as soon as it is initialised. */
export async function createWorker(
  config: AppConfig,
  options: CreateWorkerOptions = {},
): Promise<INestApplicationContext> {
  const root = WorkerModule.forRoot(
    new AppConfig({ ...config, jobs: { ...config.jobs, workerEnabled: true } }),
    { database: options.database, imports: options.imports },
  );
  const worker = await NestFactory.createApplicationContext(root, {
    abortOnError: false,
    bufferLogs: options.logger === undefined,
    // A start-up failure is the caller's to report: buffered lines are flushed once it is built.
    autoFlushLogs: false,
    logger: options.logger,
  });
  if (options.logger === undefined) {
    worker.useLogger(worker.get(Logger));
    worker.flushLogs();
  }
  return worker;
}
