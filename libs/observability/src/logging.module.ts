import { AppConfig } from '@app/config';
import { requestIdOf, requestLogFields } from '@app/http';
import { DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream, TransportSingleOptions } from 'pino';

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

function withRequestFields(req: IncomingMessage, line: object): object {
  const fields = requestLogFields(req);
  return { ...line, route: fields.route, client_id: fields.clientId };
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

export interface LoggingOptions {
  /** Where log lines go (the tests capture them); standard output by default. */
  stream?: DestinationStream;
}

/**
 * Structured logs with pino: one JSON line per request with `request_id`, the client, the route,
 * the status and the duration, and the same `request_id` on every line logged while serving it.
 * Request lines carry the method and URL only: no headers, no bodies. Pretty output in development.
 */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => {
            return {
              pinoHttp: {
                level: config.operations.logLevel,
                stream: options.stream,
                transport: prettyTransport(config, options),
                genReqId: (req: IncomingMessage) => requestIdOf(req),
                // `request_id` is bound to every line logged while serving the request; the
                // request line itself goes only on the line that closes it.
                quietReqLogger: true,
                customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
                // Only on the line that closes the request: by then the route and client are known.
                customSuccessObject: (req: IncomingMessage, _res: ServerResponse, line: object) =>
                  withRequestFields(req, line),
                // The error itself is logged where it is handled (with its error id); pino-http's
                // own ("failed with status code 500") would only add a stack of its own.
                customErrorObject: (
                  req: IncomingMessage,
                  _res: ServerResponse,
                  _error: Error,
                  line: Record<string, unknown>,
                ) => withRequestFields(req, { ...line, err: undefined }),
                // A 5xx is an error for whoever watches the logs; the rest is traffic.
                customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) =>
                  error || res.statusCode >= 500 ? 'error' : 'info',
                serializers: {
                  req: (req: { method: string; url: string }) => ({
                    method: req.method,
                    url: req.url,
                  }),
                  res: (res: ServerResponse) => ({ status: res.statusCode }),
                },
                redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              },
            };
          },
        }),
      ],
    };
  }
}
