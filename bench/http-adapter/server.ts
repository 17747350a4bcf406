/**
 * One authenticated JSON GET, served by Nest on Express, by Nest on Fastify, or by bare node:http,
 * for choosing the HTTP adapter. Usage: server.ts <express|fastify|bare> <port>; prints READY.
 */
import 'reflect-metadata';
import {
  CallHandler,
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  Injectable,
  Module,
  NestInterceptor,
  NotFoundException,
  Param,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { jwtVerify } from 'jose';
import { randomUUID } from 'node:crypto';
import { createServer, IncomingHttpHeaders } from 'node:http';
import { map, Observable } from 'rxjs';

export const SECRET = new TextEncoder().encode('bench-secret-0123456789abcdef0123456789abcdef');
export const JOB_ID = 'V1StGXR8_Z5jdHi6B-myT';
const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{21}$/;
const JOBS = new Map([[JOB_ID, { status: 'pending', eta: new Date().toISOString() }]]);

async function authorized(headers: IncomingHttpHeaders): Promise<boolean> {
  const header = headers.authorization;
  if (!header?.startsWith('Bearer ')) return false;
  try {
    await jwtVerify(header.slice(7), SECRET, { algorithms: ['HS256'] });
    return true;
  } catch {
    return false;
  }
}

function findJob(id: string): object | undefined {
  return JOB_ID_PATTERN.test(id) ? JOBS.get(id) : undefined;
}

@Injectable()
class TokenGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: IncomingHttpHeaders }>();
    if (!(await authorized(request.headers))) throw new UnauthorizedException();
    return true;
  }
}

@Injectable()
class Envelope implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ url: string }>();
    const reply = context
      .switchToHttp()
      .getResponse<{ statusCode: number; header(name: string, value: string): unknown }>();
    const requestId = randomUUID();
    reply.header('x-request-id', requestId);
    return next.handle().pipe(
      map((data: unknown) => ({
        data,
        meta: { code: reply.statusCode, url: request.url, type: 'object', request_id: requestId },
      })),
    );
  }
}

@Controller('api/jobs')
@UseGuards(TokenGuard)
class JobsController {
  @Get(':id')
  get(@Param('id') id: string): object {
    const job = findJob(id);
    if (!job) throw new NotFoundException();
    return job;
  }
}

@Module({ controllers: [JobsController], providers: [TokenGuard] })
class BenchModule {}

function startBare(port: number): void {
  createServer((request, response) => {
    void (async () => {
      const send = (code: number, body: unknown) => {
        response.statusCode = code;
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(JSON.stringify(body));
      };
      const match = /^\/api\/jobs\/([^/?]+)/.exec(request.url ?? '');
      if (!match) return send(404, { error: 'not found' });
      if (!(await authorized(request.headers))) return send(401, { error: 'unauthorized' });
      const requestId = randomUUID();
      response.setHeader('x-request-id', requestId);
      const job = findJob(decodeURIComponent(match[1]));
      if (!job) return send(404, { error: 'not found' });
      send(200, {
        data: job,
        meta: { code: 200, url: request.url, type: 'object', request_id: requestId },
      });
    })();
  }).listen(port, '127.0.0.1', () => console.log('READY'));
}

async function main(): Promise<void> {
  const [mode, portArg] = process.argv.slice(2);
  const port = Number(portArg);
  if (mode === 'bare') return startBare(port);
  const app =
    mode === 'fastify'
      ? await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BenchModule, { logger: false });
  app.useGlobalInterceptors(new Envelope());
  await app.listen(port, '127.0.0.1');
  console.log('READY');
}

if (require.main === module) void main();
