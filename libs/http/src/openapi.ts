import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorEnvelope } from './envelope';
import { ERROR_MESSAGES } from './error-type';
import { allowDocsPage } from './security-headers';
import { BEARER_AUTH, documentEveryOperation } from './api-docs';
import { ErrorBody, ErrorEnvelope, InvalidEntry, InvalidRule, Meta } from './envelope.schema';
import { Paging } from './paging';

/** The Swagger UI; the JSON document is at `OPENAPI_JSON_PATH`. */
export const OPENAPI_UI_PATH = '/api/docs';
export const OPENAPI_JSON_PATH = `${OPENAPI_UI_PATH}-json`;

/** The files of `swagger-ui-dist` the page loads, with their content types. */
const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const UI_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>MIS jobs service API</title>
    <link rel="stylesheet" href="${OPENAPI_UI_PATH}/swagger-ui.css" />
    <link rel="icon" type="image/png" href="${OPENAPI_UI_PATH}/favicon-32x32.png" sizes="32x32" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="${OPENAPI_UI_PATH}/swagger-ui-bundle.js"></script>
    <script src="${OPENAPI_UI_PATH}/swagger-ui-init.js"></script>
  </body>
</html>
`;

const UI_INIT = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_JSON_PATH)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
};
`;

/** The document each application serves: setting it up twice returns the first one. */
const documents = new WeakMap<NestFastifyApplication, OpenAPIObject>();

/** Builds the OpenAPI 3 document of every route the application has. */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('MIS jobs service')
    .setDescription(
      'The asynchronous-jobs backbone of a hospital MIS backend. A MIS submits clinical data, gets ' +
        '`202 Accepted` with a job, and polls `GET /api/jobs/{id}` until the job is done. Every ' +
        'JSON answer is wrapped as `{data, meta}` (status 200, 202, 303) or `{error, meta}` ' +
        '(status 400 to 599).',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'A JWT whose `scope` (space-separated) or `scp` claim grants the scopes a route requires.',
      },
      BEARER_AUTH,
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [Meta, InvalidRule, InvalidEntry, ErrorBody, ErrorEnvelope, Paging],
  });
  return refuseUnknownProperties(documentEveryOperation(document));
}

/**
 * Every request body is validated with unknown properties refused (the global validation pipe's
 * `forbidNonWhitelisted`): the schemas of request bodies, and every schema they refer to, say so
 * with `additionalProperties: false`.
 */
function refuseUnknownProperties(document: OpenAPIObject): OpenAPIObject {
  const components = document.components?.schemas ?? {};
  const seen = new Set<object>();
  const close = (schema: SchemaObject | ReferenceObject | undefined): void => {
    if (!schema || seen.has(schema)) return;
    seen.add(schema);
    if ('$ref' in schema) {
      close(components[schema.$ref.replace('#/components/schemas/', '')]);
      return;
    }
    if (schema.type === 'object' || schema.properties) schema.additionalProperties = false;
    for (const child of [
      ...Object.values(schema.properties ?? {}),
      ...(schema.allOf ?? []),
      ...(schema.oneOf ?? []),
      ...(schema.anyOf ?? []),
      schema.items,
    ]) {
      close(child);
    }
  };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, OperationObject>)) {
      const body = operation?.requestBody;
      if (body && 'content' in body) close(body.content['application/json']?.schema);
    }
  }
  return document;
}

/**
 * Builds the OpenAPI 3 document and serves it without a token: the JSON at `/api/docs-json`, the
 * Swagger UI at `/api/docs`. Both are plain Fastify routes, outside Nest's guards and envelope.
 * Call it after `NestFactory.create` and before `app.init()`/`app.listen()`: Fastify takes no new
 * route once it is ready. A second call for the same application returns the same document.
 *
 * The UI is served from `swagger-ui-dist` by three routes here rather than by `SwaggerModule`'s UI,
 * which on Fastify needs `@fastify/static`. Its current major (10) depends on content-disposition 3,
 * an ES module only that declares Node 22; it does load on Node 20 and, through
 * test/support/esm-to-commonjs.js, in Jest, but these routes serve exactly the files the page loads,
 * answer any other name with the service's 404 envelope, and need no dependency at all.
 */
export function setupOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const done = documents.get(app);
  if (done) return done;
  const document = buildOpenApiDocument(app);
  documents.set(app, document);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });

  const fastify = app.getHttpAdapter().getInstance();
  const assetsDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  const assets = new Map<string, Promise<Buffer>>();
  const page = (_: FastifyRequest, reply: FastifyReply) =>
    allowDocsPage(reply).type('text/html; charset=utf-8').send(UI_PAGE);
  fastify.get(OPENAPI_UI_PATH, page);
  fastify.get(`${OPENAPI_UI_PATH}/`, page);
  fastify.get(`${OPENAPI_UI_PATH}/swagger-ui-init.js`, (_, reply) =>
    reply.type('application/javascript; charset=utf-8').send(UI_INIT),
  );
  fastify.get<{ Params: { file: string } }>(`${OPENAPI_UI_PATH}/:file`, async (request, reply) => {
    const file = request.params.file;
    const type = Object.prototype.hasOwnProperty.call(UI_ASSETS, file) ? UI_ASSETS[file] : null;
    if (!type) {
      return reply
        .code(404)
        .type('application/json; charset=utf-8')
        .send(errorEnvelope(request, 404, { type: 'not_found', message: ERROR_MESSAGES.notFound }));
    }
    let content = assets.get(file);
    if (!content) {
      content = readFile(join(assetsDir, file));
      assets.set(file, content);
    }
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=3600')
      .send(await content);
  });
  return document;
}
