import { contentSecurityPolicy, errorEnvelope } from '@app/http';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CONSOLE_PATH = '/admin';

/**
 * The console's page may load its own script, style and images and call this API, nothing else:
 * no inline script or style, no other origin (hospital networks are often offline, and a page
 * holding an operator's token must run only its own code).
 */
export const CONSOLE_CSP = contentSecurityPolicy({
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
});

const PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>MIS jobs console</title>
    <link rel="stylesheet" href="${CONSOLE_PATH}/console.css" />
  </head>
  <body>
    <main id="console"></main>
    <script src="${CONSOLE_PATH}/console.js"></script>
  </body>
</html>
`;

/** The files `npm run build` bundles (`libs/job-admin/console/build.js`), with their types. */
const ASSETS: Record<string, string> = {
  'console.js': 'application/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/**
 * Where the bundle is: `dist/admin-console` for the built library (`dist/libs/job-admin/src`), or
 * `libs/job-admin/console/bundle` when the API runs from its sources (the tests).
 */
function bundleFolder(): string | undefined {
  return [join(__dirname, '../../../admin-console'), join(__dirname, '../console/bundle')]
    .filter((folder) => existsSync(join(folder, 'console.js')))
    .shift();
}

/**
 * Serves the operators' console at `/admin` from the API itself: the page, its script and its
 * style, under a Content-Security-Policy of its own. The page holds no data: it signs in with a
 * pasted `job:admin` token and calls the documented `/api/admin` routes like any client.
 */
@Injectable()
export class OperatorConsole implements OnModuleInit {
  private readonly files = new Map<string, Promise<Buffer>>();

  constructor(private readonly host: HttpAdapterHost) {}

  onModuleInit(): void {
    // A worker process has no HTTP server.
    const fastify = this.host.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const page = (_: FastifyRequest, reply: FastifyReply) =>
      reply
        .header('content-security-policy', CONSOLE_CSP)
        .header('cache-control', 'no-cache')
        .type('text/html; charset=utf-8')
        .send(PAGE);
    fastify.get(CONSOLE_PATH, page);
    fastify.get(`${CONSOLE_PATH}/`, page);
    for (const [file, type] of Object.entries(ASSETS)) {
      fastify.get(`${CONSOLE_PATH}/${file}`, (request, reply) =>
        this.asset(file, type, request, reply),
      );
    }
  }

  private async asset(
    file: string,
    type: string,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const folder = bundleFolder();
    if (!folder) {
      return reply
        .code(503)
        .type('application/json; charset=utf-8')
        .send(
          errorEnvelope(request, 503, {
            type: 'service_unavailable',
            message: 'The console is not built: run npm run build.',
          }),
        );
    }
    let content = this.files.get(file);
    if (!content) {
      content = readFile(join(folder, file));
      this.files.set(file, content);
      content.catch(() => this.files.delete(file));
    }
    return reply
      .type(type)
      .header('cache-control', 'no-cache')
      .send(await content);
  }
}
