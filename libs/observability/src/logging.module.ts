import { AppConfig } from '@app/config';
import { requestIdOf, requestLogFields } from '@app/http';
import { DynamicModule, Module } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';

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

function withRequestFields(req: IncomingMessage, _res: ServerResponse, line: object): object {
  const fields = requestLogFields(req);
  return { ...line, route: fields.route, client_id: fields.clientId };
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
            const pretty =
              config.nodeEnv === 'development' && !options.stream && process.stdout.isTTY;
            return {
              pinoHttp: {
                level: config.operations.logLevel,
                stream: options.stream,
                transport: pretty
                  ? { target: 'pino-pretty', options: { singleLine: true } }
                  : undefined,
                genReqId: (req: IncomingMessage) => requestIdOf(req),
                customAttributeKeys: { responseTime: 'duration_ms' },
                // Bound to every line logged while serving the request.
                customProps: (req: IncomingMessage) => ({ request_id: requestIdOf(req) }),
                // Only on the line that closes the request: by then the route and client are known.
                customSuccessObject: withRequestFields,
                customErrorObject: withRequestFields,
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
