import { AppConfig } from '@app/config';
import { DataSourceExtras } from '@app/database';
import { createHttpAdapter, setupOpenApi } from '@app/http';
import { LoggingOptions, observeRequests, SERVICE_LOGGER } from '@app/observability';
import { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';

export interface CreateAppOptions {
  database?: DataSourceExtras;
  logging?: LoggingOptions;
  /** False silences the framework's own log lines (the tests); request lines follow LOG_LEVEL. */
  frameworkLogs?: boolean;
  /** Extra modules mounted beside the service's own (the tests add a probe controller). */
  imports?: NonNullable<DynamicModule['imports']>;
}

/** Builds the API application; `main.ts` and the end-to-end tests share it. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const root = AppModule.forRoot(config, options);
  const frameworkLogs = options.frameworkLogs ?? true;
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    createHttpAdapter({
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      bodyLimitBytes: config.operations.bodyLimitBytes,
      receiveTimeoutMs: config.operations.requestReceiveTimeoutMs,
      requestTimeoutMs: config.operations.requestTimeoutMs,
    }),
    {
      bodyParser: false,
      abortOnError: false,
      bufferLogs: frameworkLogs,
      // A start-up failure is the caller's to report (main prints one line for a configuration
      // mistake): the buffered framework lines are flushed only once the app is built.
      autoFlushLogs: false,
      logger: frameworkLogs ? undefined : false,
    },
  );
  if (frameworkLogs) {
    app.useLogger(app.get(Logger));
    // Nest flushes the start-up lines only on listen(); an app that is only initialised (the
    // tests) would otherwise keep buffering every framework line.
    app.flushLogs();
  }
  observeRequests(app.getHttpAdapter().getInstance(), app.get(SERVICE_LOGGER));
  // Before init: Fastify takes no new routes once it is ready.
  setupOpenApi(app);
  return app;
}
