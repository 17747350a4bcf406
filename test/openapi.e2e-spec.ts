import {
  ErrorBody,
  EXAMPLE_CLIENT_ID,
  OPENAPI_JSON_PATH,
  REQUIRED_SCOPES_EXTENSION,
  setupOpenApi,
} from '@app/http';
import { isPending, Job, JobWorker } from '@app/jobs';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import { packageWith } from './support/encounter-package';
import { declaredRoutes, everyScope } from './support/declared-routes';
import {
  bodyExample,
  createExampleObjects,
  documentedRoutes,
  isWrite,
  jobOutcome,
  parametersIn,
  pathOf,
  pathOn,
  Send,
} from './support/documented-examples';
import { JobRows, NewJobRow } from './support/job-rows';
import { signTestToken, startTestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const WRITE = 'encounter:write job:read encounter:read condition:read visit:read';
/** Not API operations: the OpenAPI UI, the test probes, and the operators' console (its page and bundle). */
const IGNORED_ROUTES = [/^\/api\/docs/, /^\/api\/probe/, /^\/admin(\/|$)/];

interface DocumentedApp {
  app: NestFastifyApplication;
  document: OpenAPIObject;
  /** Every route Fastify registered, as `METHOD /path/{param}` (HEAD and ignored routes left out). */
  routes: Set<string>;
  jobs: JobRows;
  close(): Promise<void>;
}

/** The test application, with every route Fastify registers recorded as it is added. */
async function startDocumentedApp(): Promise<DocumentedApp> {
  const routes = new Set<string>();
  const t = await startTestApp(
    { WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' },
    {
      beforeInit: (app) =>
        app
          .getHttpAdapter()
          .getInstance()
          .addHook('onRoute', (route) => {
            const methods = Array.isArray(route.method) ? route.method : [route.method];
            if (IGNORED_ROUTES.some((ignored) => ignored.test(route.url))) return;
            for (const method of methods) {
              if (method === 'HEAD') continue;
              routes.add(`${method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
            }
          }),
    },
  );
  // createApp set the document up; this returns the same one.
  return { app: t.app, document: setupOpenApi(t.app), routes, jobs: t.jobs, close: t.close };
}

describe('the OpenAPI document', () => {
  let t: DocumentedApp;
  let document: OpenAPIObject;
  let token: string;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  const http = () => request(t.app.getHttpServer());

  /** The schema of this component, with the document's components beside it for `$ref`s. */
  const validatorFor = (key: string, schema: object): ValidateFunction => {
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile({ ...schema, components: document.components });
      validators.set(key, validate);
    }
    return validate;
  };

  const templateOf = (path: string): string => {
    const template = Object.keys(document.paths).find((candidate) =>
      new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    );
    if (!template) throw new Error(`${path} is not in the document`);
    return template;
  };

  /**
   * Fails unless the document declares this status for the route, the body matches the schema it
   * declares, and every header it declares as required was sent.
   */
  const conforms = (res: Response): Response => {
    const { method, url } = res.request;
    const path = new URL(url).pathname;
    const template = templateOf(path);
    const verb = method.toLowerCase() as 'get' | 'post';
    const operation = document.paths[template][verb];
    if (!operation) throw new Error(`${method} ${template} is not in the document`);
    const documented = operation.responses[String(res.status)] as ResponseObject | undefined;
    if (!documented) {
      throw new Error(
        `${method} ${template} answered ${res.status}, which the document does not declare ` +
          `(it declares ${Object.keys(operation.responses).join(', ')})`,
      );
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) throw new Error(`${method} ${template} ${res.status} has no JSON schema`);
    const validate = validatorFor(`${verb} ${template} ${res.status}`, schema);
    if (!validate(res.body)) {
      throw new Error(
        `${method} ${path} ${res.status}: ${ajv.errorsText(validate.errors)}\n` +
          JSON.stringify(res.body, null, 2),
      );
    }
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if ('required' in header && header.required) {
        expect({ header: name, value: res.headers[name.toLowerCase()] }).toEqual({
          header: name,
          value: expect.any(String),
        });
      }
    }
    return res;
  };

  const insert = (job: Partial<NewJobRow> = {}): Promise<Job> =>
    t.jobs.insert({
      type: 'test.job',
      clientId: 'mis-1',
      payload: { n: 1 },
      eta: new Date(Date.now() + 30_000),
      // Far in the future, so the running worker leaves hand-made jobs alone.
      runAt: new Date(Date.now() + 3_600_000),
      ...job,
    });
  const getJob = (id: string, bearer = token) =>
    http().get(`/api/jobs/${id}`).set('authorization', `Bearer ${bearer}`);
  const submit = (body: unknown, patient: string, bearer = token) =>
    http()
      .post(`/api/patients/${patient}/encounter_package`)
      .set('authorization', `Bearer ${bearer}`)
      .send(body as object);
  const finished = (id: string) =>
    waitFor(async () => {
      const job = await t.jobs.findById(id);
      return job && !isPending(job.state) ? job : undefined;
    });

  beforeAll(async () => {
    t = await startDocumentedApp();
    document = t.document;
    token = await signTestToken({ scope: WRITE });
  });
  afterAll(() => t?.close(), 30_000);

  describe('is served', () => {
    it(`at ${OPENAPI_JSON_PATH} without a token, and is the document the app was built with`, async () => {
      const res = await http().get(OPENAPI_JSON_PATH).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual(JSON.parse(JSON.stringify(document)));
      expect(res.body.openapi).toMatch(/^3\./);
      expect(res.body.info.title).toBe('MIS jobs service');
      // Setting it up again (create-app.ts will call it too) changes nothing.
      expect(setupOpenApi(t.app)).toBe(document);
      expect(res.body.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      });
    });

    it('with the Swagger UI at /api/docs, its assets included, without a token', async () => {
      const page = await http().get('/api/docs').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('swagger-ui');
      for (const asset of [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])) {
        await http().get(asset).expect(200);
      }
      const css = await http().get('/api/docs/swagger-ui.css').expect(200);
      expect(css.headers['content-type']).toMatch(/^text\/css/);
      const init = await http().get('/api/docs/swagger-ui-init.js').expect(200);
      expect(init.text).toContain(OPENAPI_JSON_PATH);
      const unknown = await http().get('/api/docs/package.json').expect(404);
      expect(unknown.body.error.type).toBe('not_found');
    });
  });

  describe('describes every route', () => {
    it('lists every route the application serves, and no other', () => {
      const documented = new Set(
        Object.entries(document.paths).flatMap(([path, item]) =>
          Object.keys(item)
            .filter((key) => ['get', 'post', 'put', 'patch', 'delete'].includes(key))
            .map((method) => `${method.toUpperCase()} ${path}`),
        ),
      );
      expect(t.routes.size).toBeGreaterThanOrEqual(5);
      expect([...documented].sort()).toEqual([...t.routes].sort());
    });

    it("documents each route's scopes exactly as its @Scopes(...) declares them", () => {
      const routes = declaredRoutes(t.app).filter(
        (route) => !IGNORED_ROUTES.some((ignored) => ignored.test(route.url)),
      );
      expect(routes.length).toBeGreaterThanOrEqual(5);
      for (const route of routes) {
        const operation = document.paths[route.url]?.[route.method as 'get'] as OperationObject;
        expect({ route: `${route.method} ${route.url}`, documented: !!operation }).toEqual({
          route: `${route.method} ${route.url}`,
          documented: true,
        });
        if (route.access.kind === 'scopes') {
          expect(
            (operation as unknown as Record<string, unknown>)[REQUIRED_SCOPES_EXTENSION],
          ).toEqual([...route.access.scopes]);
          expect(operation.security).toEqual([{ bearer: [] }]);
          for (const scope of route.access.scopes) expect(operation.description).toContain(scope);
          expect(Object.keys(operation.responses)).toEqual(
            expect.arrayContaining(['401', '403', '429', '500']),
          );
        } else {
          expect(operation.security ?? []).toEqual([]);
        }
      }
    });

    it('says every request body refuses unknown properties, down to its nested objects', () => {
      const schemas = document.components!.schemas! as Record<string, SchemaObject>;
      const open: string[] = [];
      const seen = new Set<object>();
      const visit = (schema: SchemaObject | ReferenceObject | undefined, where: string): void => {
        if (!schema || seen.has(schema)) return;
        seen.add(schema);
        if ('$ref' in schema) {
          const name = schema.$ref.split('/').pop()!;
          return visit(schemas[name], name);
        }
        if (schema.properties && schema.additionalProperties !== false) open.push(where);
        for (const [name, child] of Object.entries(schema.properties ?? {})) {
          visit(child, `${where}.${name}`);
        }
        visit(schema.items, `${where}[]`);
      };
      let bodies = 0;
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const [verb, operation] of Object.entries(
          operations as Record<string, OperationObject>,
        )) {
          const body = operation.requestBody as RequestBodyObject | undefined;
          if (!body) continue;
          bodies += 1;
          visit(body.content['application/json']?.schema, `${verb} ${path}`);
        }
      }
      expect(bodies).toBeGreaterThan(0);
      expect(open).toEqual([]);
    });

    it('gives every path parameter an example, and x-request-id as optional and unconstrained', () => {
      for (const [path, operations] of Object.entries(document.paths)) {
        for (const operation of Object.values(operations as Record<string, OperationObject>)) {
          for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
            const schema = parameter.schema as SchemaObject | undefined;
            if (parameter.in === 'path') {
              expect({ path, name: parameter.name, example: schema?.example }).toEqual({
                path,
                name: parameter.name,
                example: expect.any(String),
              });
            }
            if (parameter.name === 'x-request-id') {
              expect(parameter.required).toBe(false);
              expect(schema).not.toHaveProperty('minLength');
              expect(schema).not.toHaveProperty('maxLength');
              expect(parameter.description).toMatch(/replaced/);
            }
          }
        }
      }
    });

    it('gives every error answer the ErrorEnvelope schema', () => {
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
          for (const [status, response] of Object.entries(operation.responses)) {
            if (Number(status) < 400) continue;
            expect({
              at: `${method} ${path} ${status}`,
              schema: (response as ResponseObject).content?.['application/json']?.schema,
            }).toEqual({
              at: `${method} ${path} ${status}`,
              schema: { $ref: '#/components/schemas/ErrorEnvelope' },
            });
          }
        }
      }
    });

    it('has examples that match their own schemas', () => {
      let count = 0;
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
          for (const [status, response] of Object.entries(operation.responses)) {
            const content = (response as ResponseObject).content?.['application/json'];
            if (!content?.schema) continue;
            const validate = validatorFor(`${method} ${path} ${status}`, content.schema);
            for (const [name, example] of Object.entries(content.examples ?? {})) {
              count++;
              const value = (example as { value: unknown }).value;
              if (!validate(value)) {
                throw new Error(
                  `example ${name} of ${method} ${path} ${status}: ${ajv.errorsText(validate.errors)}`,
                );
              }
            }
          }
        }
      }
      expect(count).toBeGreaterThan(20);
    });

    it('documents GET /api/jobs/{id} with every row of the status table and its headers', () => {
      const operation = document.paths['/api/jobs/{id}'].get as OperationObject;
      const ok = operation.responses['200'] as ResponseObject;
      const seeOther = operation.responses['303'] as ResponseObject;
      expect(Object.keys(ok.content!['application/json'].examples!)).toEqual([
        'pending',
        'processed_with_data',
        'processed_with_string',
        'failed_422',
        'failed_409',
        'failed_403',
        'failed_with_error_500',
      ]);
      expect(Object.keys(seeOther.content!['application/json'].examples!)).toEqual([
        'processed_with_links',
      ]);
      expect(operation.responses['404']).toBeDefined();
      expect(Object.keys(ok.headers!)).toEqual(
        expect.arrayContaining(['Retry-After', 'Cache-Control', 'Preference-Applied']),
      );
      expect(Object.keys(seeOther.headers!)).toEqual(expect.arrayContaining(['Location']));
      expect(operation.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Prefer', in: 'header' })]),
      );
    });
  });

  describe('matches what the application answers', () => {
    it.each(['waiting', 'running'] as const)('a %s job: 200 pending', async (state) => {
      const job = await insert({
        state,
        lockedUntil: state === 'running' ? new Date(Date.now() + 3_600_000) : null,
      });
      const res = conforms(await getJob(job.id).expect(200));
      expect(res.body.data.status).toBe('pending');
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('a pending job with Prefer: wait=1: 200 with Preference-Applied', async () => {
      const job = await insert();
      const res = conforms(await getJob(job.id).set('prefer', 'wait=1').expect(200));
      expect(res.headers['preference-applied']).toBe('wait=1');
    });

    it('a job processed into links: 303 with Location', async () => {
      const links = [
        { entity: 'encounter', href: '/api/patients/p1/encounters/e1' },
        { entity: 'condition', href: '/api/patients/p1/conditions/c1' },
      ];
      const job = await insert({
        state: 'processed',
        statusCode: 200,
        result: { kind: 'links', links },
      });
      const res = conforms(await getJob(job.id).expect(303));
      expect(res.headers.location).toBe(links[0].href);
    });

    it.each([{ answer: 42, nested: { ok: true } }, 'a plain string answer'])(
      'a job processed into data %p: 200 with response_data',
      async (responseData) => {
        const job = await insert({
          state: 'processed',
          statusCode: 200,
          result: { kind: 'data', response_data: responseData },
        });
        const res = conforms(await getJob(job.id).expect(200));
        expect(res.body.data.response_data).toEqual(responseData);
      },
    );

    it.each<[number, ErrorBody]>([
      [
        422,
        {
          type: 'validation_failed',
          message: 'Validation failed.',
          invalid: [
            {
              entry_type: 'json_data_property' as const,
              entry: '$.items.[0].code',
              rules: [{ rule: 'length', params: { max: 100 }, description: 'too long' }],
            },
          ],
        },
      ],
      [409, { type: 'request_conflict', message: 'Thing 42 already exists.' }],
      [403, { type: 'forbidden', message: 'The thing belongs to another legal entity.' }],
      [404, { type: 'not_found', message: 'The patient does not exist.' }],
    ])('a job failed with %i: 200 failed', async (statusCode, error) => {
      const job = await insert({
        state: 'failed',
        statusCode,
        result: { kind: 'error', error },
      });
      const res = conforms(await getJob(job.id).expect(200));
      expect(res.body.data).toMatchObject({ status: 'failed', status_code: statusCode, error });
    });

    it('a job that crashed in the worker: 200 failed_with_error, 500 in data', async () => {
      const job = await insert({ type: 'test.crash', runAt: new Date() });
      await finished(job.id);
      const res = conforms(await getJob(job.id).expect(200));
      expect(res.body.data).toMatchObject({
        status: 'failed_with_error',
        status_code: 500,
        error: { type: 'internal_error' },
      });
    });

    it("an unknown id, a malformed id, another client's job: 404", async () => {
      const theirs = await insert({ clientId: 'mis-2' });
      for (const id of ['NBXk9EyErUZv1RhXgyvgg', 'not-a-job-id', theirs.id]) {
        conforms(await getJob(id).expect(404));
      }
    });

    it('no token, a bad token: 401; a token without the scope: 403', async () => {
      conforms(await http().get('/api/jobs/NBXk9EyErUZv1RhXgyvgg').expect(401));
      conforms(await getJob('NBXk9EyErUZv1RhXgyvgg', 'not.a.jwt').expect(401));
      const noScope = await signTestToken({ scope: 'encounter:read' });
      conforms(await getJob('NBXk9EyErUZv1RhXgyvgg', noScope).expect(403));
    });

    it('every documented example, sent as documented: a documented answer at each step', async () => {
      const bearer = await signTestToken({
        client_id: EXAMPLE_CLIENT_ID,
        scope: everyScope(t.app),
      });
      const send: Send = (method, path, body, headers = {}) => {
        const sent = http()
          [method as 'get'](path)
          .set('authorization', `Bearer ${bearer}`)
          .set(headers);
        return body === undefined ? sent : sent.send(body as object);
      };
      const routes = documentedRoutes(document);
      const answered: string[] = [];
      const observe = (answer: Response) => {
        conforms(answer);
        answered.push(
          `${answer.request.method} ${new URL(answer.request.url).pathname} ${answer.status}`,
        );
      };
      const objects = await createExampleObjects(routes, send, observe);
      expect(objects.length).toBeGreaterThan(0);
      // What the objects serve, then every route on them (writes after reads), then the lists.
      const onObjects = routes.filter((route) => route.object);
      const reads = onObjects.filter((route) => !isWrite(route));
      for (const route of [...reads, ...onObjects.filter(isWrite), ...reads]) {
        for (const object of objects.filter((candidate) => candidate.template === route.object)) {
          const body = isWrite(route) ? bodyExample(route.operation) : undefined;
          const answer = await send(route.method, pathOn(route, object), body);
          observe(answer);
          if (answer.status === 202) observe(await jobOutcome(send, answer.headers.location));
        }
      }
      const lists = routes.filter(
        (route) => route.method === 'get' && !route.object && route.scopes.length > 0,
      );
      for (const route of lists) observe(await send('get', pathOf(route)));
      // Every route that reaches an object was sent at least once.
      for (const route of onObjects) {
        const sent = answered.some((line) => parametersIn(route.template, line.split(' ')[1]));
        expect({ route: route.name, sent }).toEqual({ route: route.name, sent: true });
      }
    });

    it('the operator routes, on a crashed job and a job type: each answer as documented', async () => {
      const bearer = await signTestToken({ client_id: 'ops-1', scope: 'job:admin' });
      const as = (method: 'get' | 'post', path: string) =>
        http()[method](path).set('authorization', `Bearer ${bearer}`);
      const crashed = await insert({ type: 'test.crash', runAt: new Date() });
      await finished(crashed.id);
      const done = await insert({
        state: 'processed',
        statusCode: 200,
        result: { kind: 'data', response_data: { ok: true } },
      });
      conforms(await as('get', '/api/admin/queues').expect(200));
      conforms(await as('get', '/api/admin/jobs?status=failed_with_error&page_size=5').expect(200));
      conforms(await as('get', '/api/admin/jobs?page=0').expect(422));
      conforms(await as('get', `/api/admin/jobs/${crashed.id}`).expect(200));
      conforms(await as('get', '/api/admin/jobs/NBXk9EyErUZv1RhXgyvgg').expect(404));
      conforms(await as('post', `/api/admin/jobs/${done.id}/actions/retry`).expect(409));
      conforms(await as('post', `/api/admin/jobs/${crashed.id}/actions/retry`).expect(200));
      conforms(await as('post', '/api/admin/queues/test.gate/actions/pause').expect(200));
      conforms(await as('post', '/api/admin/queues/test.gate/actions/pause').expect(409));
      conforms(await as('post', '/api/admin/queues/test.gate/actions/resume').expect(200));
      conforms(await as('post', '/api/admin/queues/no.such/actions/resume').expect(404));
      conforms(await as('get', '/api/admin/audit').expect(200));
      const mis = await signTestToken({ scope: 'job:read' });
      conforms(
        await http().get('/api/admin/queues').set('authorization', `Bearer ${mis}`).expect(403),
      );
    });

    it('the example encounter package: 202, 303, and every link answers 200', async () => {
      const patient = randomUUID();
      const accepted = conforms(await submit(packageWith(), patient).expect(202));
      const done = conforms(
        await http()
          .get(accepted.headers.location)
          .set('authorization', `Bearer ${token}`)
          .set('prefer', 'wait=10')
          .expect(303),
      );
      expect(done.body.data.links.map((link: { entity: string }) => link.entity)).toEqual([
        'encounter',
        'condition',
        'visit',
      ]);
      for (const link of done.body.data.links as { href: string }[]) {
        conforms(await http().get(link.href).set('authorization', `Bearer ${token}`).expect(200));
        const unknown = link.href.replace(/[^/]+$/, randomUUID());
        conforms(await http().get(unknown).set('authorization', `Bearer ${token}`).expect(404));
        const otherPatient = link.href.replace(patient, 'not-a-uuid');
        conforms(
          await http().get(otherPatient).set('authorization', `Bearer ${token}`).expect(404),
        );
        const jobOnly = await signTestToken({ scope: 'job:read' });
        conforms(await http().get(link.href).set('authorization', `Bearer ${jobOnly}`).expect(403));
        conforms(await http().get(link.href).expect(401));
      }
    });

    it('a package breaking clinical rules, then one reusing stored ids: failed 422 and 409', async () => {
      const patient = randomUUID();
      const broken = packageWith((pkg) => {
        pkg.encounter.diagnoses[0].role.coding[0].code = 'secondary';
      });
      const first = conforms(await submit(broken, patient).expect(202));
      await finished(first.headers.location.split('/').pop()!);
      const failed = conforms(
        await http().get(first.headers.location).set('authorization', `Bearer ${token}`),
      );
      expect(failed.body.data).toMatchObject({ status: 'failed', status_code: 422 });

      const stored = packageWith();
      const once = conforms(await submit(stored, patient).expect(202));
      await finished(once.headers.location.split('/').pop()!);
      const twice = conforms(await submit(stored, patient).expect(202));
      await finished(twice.headers.location.split('/').pop()!);
      const conflict = conforms(
        await http().get(twice.headers.location).set('authorization', `Bearer ${token}`),
      );
      expect(conflict.body.data).toMatchObject({ status: 'failed', status_code: 409 });
    });

    it('the same package while its job is pending: 200 with the same job', async () => {
      const worker = t.app.get(JobWorker);
      await worker.stop();
      try {
        const pkg = packageWith();
        const patient = randomUUID();
        const first = conforms(await submit(pkg, patient).expect(202));
        const again = conforms(await submit(pkg, patient).expect(200));
        expect(again.headers.location).toBe(first.headers.location);
      } finally {
        await worker.start();
      }
    });

    it('a malformed package: 422; a bad patient id: 404; no token: 401; no scope: 403', async () => {
      const patient = randomUUID();
      const malformed = packageWith((pkg) => {
        (pkg.encounter as Record<string, unknown>).status = 'unknown';
        (pkg.visit.period as Record<string, unknown>).start = undefined;
      });
      const invalid = conforms(await submit(malformed, patient).expect(422));
      expect(invalid.body.error.invalid.length).toBeGreaterThanOrEqual(2);
      conforms(await submit(packageWith(), 'not-a-uuid').expect(404));
      conforms(
        await http()
          .post(`/api/patients/${patient}/encounter_package`)
          .send(packageWith())
          .expect(401),
      );
      const readOnly = await signTestToken({ scope: 'job:read' });
      conforms(await submit(packageWith(), patient, readOnly).expect(403));
    });

    it('corrupted JSON: 400; not JSON: 415; too large: 413', async () => {
      const url = `/api/patients/${randomUUID()}/encounter_package`;
      const post = () => http().post(url).set('authorization', `Bearer ${token}`);
      conforms(await post().set('content-type', 'application/json').send('{"visit":').expect(400));
      conforms(await post().set('content-type', 'text/plain').send('hello').expect(415));
      const huge = JSON.stringify({ padding: 'x'.repeat(2 * 1024 * 1024) });
      conforms(await post().set('content-type', 'application/json').send(huge).expect(413));
    });
  });
});
