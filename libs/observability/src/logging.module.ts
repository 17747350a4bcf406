import { AppConfig } from '@app/config';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger, TransportSingleOptions } from 'pino';

/** Never logged: credentials and anything that could carry patient data. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.token',
  '*.access_token',
  'payload',
  'body',
];

/** The service's pino logger: the one every line goes through (`observeRequests` uses it too). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

export interface LoggingOptions {
  /** Where log lines go (the tests capture them); standard output by default. */
  stream?: DestinationStream;
}

/**
 * Readable, coloured lines (pino-pretty) for a person at a terminal in development; JSON lines
 * everywhere else. When the prettifier cannot be found (a trimmed install), JSON too: the start
 * never depends on it.
 */
export function prettyTransport(
  config: Pick<AppConfig, 'nodeEnv'>,
  options: LoggingOptions,
  isTerminal: boolean = process.stdout.isTTY === true,
  resolve: (name: string) => string = require.resolve,
): TransportSingleOptions | undefined {
  if (config.nodeEnv !== 'development' || options.stream || !isTerminal) return undefined;
  try {
    return { target: resolve('pino-pretty'), options: { singleLine: true, colorize: true } };
  } catch {
    return undefined;
  }
}

function createServiceLogger(config: AppConfig, options: LoggingOptions): Logger {
  const settings = {
    level: config.operations.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: prettyTransport(config, options),
  };
  return options.stream ? pino(settings, options.stream) : pino(settings);
}

/**
 * Structured logs with pino: nestjs-pino is Nest's logger (framework lines and every `Logger` of
 * the service), over the service's own pino logger. Requests are logged by `observeRequests` from
 * a Fastify hook, one line each, not by a middleware: nestjs-pino's request middleware is applied
 * to no route.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    const serviceLogger = {
      provide: SERVICE_LOGGER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createServiceLogger(config, options),
    };
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [SERVICE_LOGGER],
          useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
        }),
      ],
      providers: [serviceLogger],
      exports: [SERVICE_LOGGER],
    };
  }
}
