import { AppConfig } from '@app/config';
import { DataSourceExtras } from '@app/database';
import { createHttpAdapter } from '@app/http';
import { DynamicModule, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

export interface CreateAppOptions {
  database?: DataSourceExtras;
  logger?: LoggerService | LogLevel[] | false;
  /** Extra modules mounted beside the service's own (the tests add a probe controller). */
  imports?: DynamicModule['imports'];
}

/** Builds the API application; `main.ts` and the end-to-end tests share it. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const root = AppModule.forRoot(config, options.database);
  root.imports = [...(root.imports ?? []), ...(options.imports ?? [])];
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    createHttpAdapter({ trustProxy: config.trustProxy }),
    { bodyParser: false, abortOnError: false, logger: options.logger },
  );
  return app;
}
