import { JOB_SCOPES } from '@app/jobs';
import { DatabaseSession } from '@app/database';
import { setupOpenApi } from '@app/http';
import { isPending, JobsService } from '@app/jobs';
import fc from 'fast-check';
import { Agent } from 'node:http';
import { AddressInfo } from 'node:net';
import { everyScope } from '../support/declared-routes';
import { bodyExample, documentedRoutes } from '../support/documented-examples';
import { ExamplePackage, packageWith } from '../support/encounter-package';
import { signTestToken, startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { sized } from './size';
import { FuzzRequest, FuzzTargets, fuzzRequests } from './support/arbitraries';
import { Answer, expectContractAnswer } from './support/contract-answer';
import { heapUsedAfterGc } from './support/heap';
import { recordRoutes } from './support/route-catalog';
import { injectRequest, socketRequest } from './support/send-request';

const PATIENT = '2f9c3a4e-6d1b-4e8f-a0c7-5b3d9e1f7a24';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
/** Heap growth allowed across the measured run: a fixed allowance plus a little per request. */
const HEAP_ALLOWANCE_BYTES = 8 * 1024 * 1024;
const HEAP_PER_REQUEST_BYTES = 4 * 1024;
/** A property's time limit: generous, since CI machines are small and shared. */
const FUZZ_TIMEOUT_MS = sized(180_000, 1_800_000);

/** `FUZZ_SEED=<seed>` replays a run fast-check reported as failing. */
const SEED = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {};

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join();
const PROTOTYPE_KEYS = prototypeKeys();

function expectNoPollution(): void {
  if (
    ({} as Record<string, unknown>).polluted !== undefined ||
    prototypeKeys() !== PROTOTYPE_KEYS
  ) {
    throw new Error('Object.prototype was changed by a request');
  }
}

describe('fuzzing every route with hostile input (SPEC sections 2 and 3)', () => {
  let t: TestApp;
  let targets: FuzzTargets;
  let port: number;
  /** Every scope a route of the service requires. */
  let allScopes: string;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const figures: string[] = [];
  const { routes, beforeInit } = recordRoutes();

  const inject = (request: FuzzRequest) => injectRequest(t.app, request);
  const overSocket = (request: FuzzRequest) => socketRequest(port, agent, request);

  /** Runs one property, counting the inputs tried and the 5xx seen, and records the figures. */
  async function fuzz(
    name: string,
    requests: fc.Arbitrary<FuzzRequest>,
    send: (request: FuzzRequest) => Promise<Answer>,
    numRuns: number,
  ): Promise<void> {
    const tally = { tried: 0, serverErrors: 0 };
    try {
      await fc.assert(
        fc.asyncProperty(requests, async (request) => {
          tally.tried += 1;
          const answer = await send(request);
          if (answer.status >= 500) tally.serverErrors += 1;
          expectContractAnswer(answer, {
            route: request.route.url,
            path: request.url.split('?')[0],
            requestId: request.headers['x-request-id'],
          });
          expectNoPollution();
        }),
        { numRuns, ...SEED },
      );
    } finally {
      figures.push(`${name}: ${tally.tried} inputs tried, ${tally.serverErrors} 5xx`);
    }
  }

  /** The job, once it has finished. */
  const untilFinished = (id: string) =>
    waitFor(async () => {
      const current = await t.jobs.findById(id);
      return current && !isPending(current.state) ? current : undefined;
    });

  async function finishedJob(type: string, payload: Record<string, unknown>): Promise<string> {
    const { job } = await t.app.get(JobsService).enqueue(type, payload, { clientId: 'mis-1' });
    await untilFinished(job.id);
    return job.id;
  }

  beforeAll(async () => {
    t = await startTestApp(
      {
        WORKER_ENABLED: 'true',
        JOB_POLL_INTERVAL_SECONDS: '1',
        METRICS_TOKEN,
        // The fuzz is one client sending far more than a MIS would: budgets would answer 429 only.
        RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_POLL_PER_MINUTE: '1000000',
      },
      { beforeInit },
    );
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
    allScopes = everyScope(t.app);
    // Only finished jobs are named: a pending one would hold a `Prefer: wait` request for a minute.
    const knownJobs = [
      await finishedJob('test.data', { fuzz: 'data' }),
      await finishedJob('test.links', { n: 7 }),
      await finishedJob('test.conflict', {}),
    ];
    targets = {
      routes,
      tokens: [
        await signTestToken({ scope: allScopes }),
        await signTestToken({ scope: allScopes }),
        await signTestToken({ scope: JOB_SCOPES.read }),
        await signTestToken({ scope: allScopes, client_id: 'mis-2' }),
        METRICS_TOKEN,
      ],
      // A job type the operator routes pause and resume (no package waits on it), and a file of
      // the console's bundle.
      knownSegments: [...knownJobs, PATIENT, 'swagger-ui.css', 'test.count', 'console.js'],
      bodyLimitBytes: t.config.operations.bodyLimitBytes,
      examples: new Map(
        documentedRoutes(setupOpenApi(t.app)).map((route) => [
          `${route.method.toUpperCase()} ${route.template.replace(/\{(\w+)\}/g, ':$1')}`,
          bodyExample(route.operation),
        ]),
      ),
    };
  }, 60_000);

  afterAll(async () => {
    agent.destroy();
    await t.close();
    console.log(`Fuzzing figures:\n  ${figures.join('\n  ')}`);
  }, 30_000);

  it('knows every route of the service, so a new route is fuzzed without a change here', () => {
    const names = routes.map((route) => `${route.method} ${route.url}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /api/jobs',
        'GET /api/jobs/:id',
        'GET /api/admin/jobs/:id',
        'POST /api/admin/jobs/:id/actions/retry',
        'POST /api/admin/queues/:type/actions/pause',
        'GET /admin',
        'POST /api/patients/:patient_id/encounter_package',
        'GET /health/live',
        'GET /metrics',
      ]),
    );
    expect(names.some((name) => name.includes('/api/probe'))).toBe(false);
  });

  it(
    'answers every fuzzed request in the envelope and never with a 5xx (inject)',
    async () => {
      await fuzz('every route (inject)', fuzzRequests(targets), inject, sized(1_000, 10_000));
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers hostile bodies on every route that takes one in the envelope (inject)',
    async () => {
      const writes = {
        ...targets,
        routes: routes.filter((route) => ['POST', 'PUT', 'PATCH'].includes(route.method)),
      };
      const requests = fuzzRequests(writes).filter((request) => request.body !== undefined);
      await fuzz('bodies (inject)', requests, inject, sized(600, 6_000));
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'answers every fuzzed request in the envelope over a real socket',
    async () => {
      await fuzz('every route (socket)', fuzzRequests(targets), overSocket, sized(300, 3_000));
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'keeps the heap bounded across a warm-up and two measured runs',
    async () => {
      const runs = sized(500, 3_000);
      await fuzz('heap warm-up (inject)', fuzzRequests(targets), inject, runs);
      // The heap is the whole test process's: a collection that lands late or a neighbour's
      // leftover can swell one window. A leak grows in every window, so the smaller of two counts.
      const growths: number[] = [];
      for (const window of [1, 2]) {
        const before = heapUsedAfterGc();
        await fuzz(`heap measured ${window} (inject)`, fuzzRequests(targets), inject, runs);
        const growth = heapUsedAfterGc() - before;
        growths.push(growth);
        figures.push(
          `heap growth over ${runs} requests (window ${window}): ${(growth / 1024 / 1024).toFixed(1)} MiB`,
        );
      }
      expect(Math.min(...growths)).toBeLessThan(
        HEAP_ALLOWANCE_BYTES + runs * HEAP_PER_REQUEST_BYTES,
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  const submit = async (body: string) =>
    injectRequest(t.app, {
      route: { method: 'POST', url: '/api/patients/:patient_id/encounter_package' },
      method: 'POST',
      url: `/api/patients/${PATIENT}/encounter_package`,
      headers: {
        authorization: `Bearer ${await signTestToken({ scope: allScopes })}`,
        'content-type': 'application/json',
      },
      body: Buffer.from(body),
    });

  describe('inputs the fuzz found', () => {
    const ask = async (method: string, url: string, body?: string) => {
      const request: FuzzRequest = {
        route: { method, url },
        method,
        url,
        headers: {
          authorization: `Bearer ${await signTestToken({ scope: allScopes })}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : Buffer.from(body),
      };
      const answer = await inject(request);
      expectContractAnswer(answer, { route: url, path: url.split('?')[0] });
      return { status: answer.status, error: JSON.parse(answer.body).error };
    };

    it.each([
      ['an undecodable escape', 'GET', '/api/jobs/%ff'],
      ['a lone percent sign', 'GET', '/api/jobs/%?limit=1'],
      ['a lone percent sign and no route for the method', 'PUT', '/api/jobs/%'],
      ['a cut UTF-8 sequence', 'GET', '/api/patients/%E0%A4%A/encounters/x'],
      ['a parameter longer than the router matches', 'GET', `/api/jobs/${'a'.repeat(150)}`],
      ['a NUL byte for an encounter id', 'GET', `/api/patients/${PATIENT}/encounters/%00`],
      ['a NUL byte for a condition id', 'GET', `/api/patients/${PATIENT}/conditions/a%00b`],
      ['a NUL byte for a visit id', 'GET', `/api/patients/${PATIENT}/visits/%00`],
    ])('answers a path with %s with the 404 envelope', async (_, method, url) => {
      const { status, error } = await ask(method, url);
      expect(status).toBe(404);
      expect(error.type).toBe('not_found');
    });

    it.each([
      [
        'an empty list for the encounter class',
        (p: ExamplePackage) => Object.assign(p.encounter, { class: [] }),
      ],
      [
        'a list holding the encounter class',
        (p: ExamplePackage) => Object.assign(p.encounter, { class: [p.encounter.class] }),
      ],
      [
        'an empty list for a condition context',
        (p: ExamplePackage) => Object.assign(p.conditions[0], { context: [] }),
      ],
      [
        'a list in place of a diagnosis',
        (p: ExamplePackage) => Object.assign(p.encounter, { diagnoses: [[]] }),
      ],
      [
        'a list in place of a condition',
        (p: ExamplePackage) => Object.assign(p, { conditions: [[]] }),
      ],
    ])('refuses a package with %s at once with 422 (its job crashed)', async (_, change) => {
      const answer = await submit(JSON.stringify(packageWith(change)));
      expect(answer.status).toBe(422);
      expect(JSON.parse(answer.body).error.invalid).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            rules: [expect.objectContaining({ rule: 'cast', params: ['object'] })],
          }),
        ]),
      );
    });

    it('ends the job of a condition code holding a NUL byte failed with 422, not crashed', async () => {
      const pkg = packageWith((p) => (p.conditions[0].code.coding[0].code = 'J06.9\u0000'));
      const accepted = await submit(JSON.stringify(pkg));
      expect(accepted.status).toBe(202);
      const job = await untilFinished(String(accepted.headers.location).split('/').pop()!);
      expect([job.state, job.statusCode]).toEqual(['failed', 422]);
    });

    it.each([
      ['arrays', (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`],
      ['objects', (depth: number) => `${'{"a":'.repeat(depth)}null${'}'.repeat(depth)}`],
    ])('answers a body of %s nested 100,000 deep with 400 request_malformed', async (_, nest) => {
      const url = `/api/patients/${PATIENT}/encounter_package`;
      const { status, error } = await ask('POST', url, `{"visit":${nest(100_000)}}`);
      expect(status).toBe(400);
      expect(error.type).toBe('request_malformed');
      // A shallow body of the same kind still reaches validation.
      expect((await ask('POST', url, `{"visit":${nest(8)}}`)).status).toBe(422);
    });
  });

  describe('after the fuzz', () => {
    it('has let no submitted package crash its job (failed_with_error)', async () => {
      const db = t.app.get(DatabaseSession);
      const jobsIn = (states: string[]) =>
        db.query<{ type: string; last_error: string | null }>(
          'SELECT type, last_error FROM jobs WHERE state IN (:...states)',
          { states },
        );
      await waitFor(async () => ((await jobsIn(['waiting', 'running'])).length ? undefined : true));
      // The errors themselves are listed when this fails: they name what crashed.
      expect(await jobsIn(['failed_with_error'])).toEqual([]);
    });

    it('has no polluted prototype, even when a body tries it outright', async () => {
      const withProto = `{"__proto__":{"polluted":"yes"},${JSON.stringify(packageWith()).slice(1)}`;
      const withConstructor = `{"constructor":{"prototype":{"polluted":"yes"}},${JSON.stringify(packageWith()).slice(1)}`;
      for (const body of [withProto, withConstructor]) {
        const answer = await submit(body);
        expect(answer.status).toBe(400);
        expect(JSON.parse(answer.body).error.type).toBe('request_malformed');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(prototypeKeys()).toBe(PROTOTYPE_KEYS);
    });

    it('still validates a package as before: an unknown property and a wrong value are 422', async () => {
      const pkg = packageWith((p) => {
        p.polluted = 'yes';
        p.encounter.status = 'bogus';
      });
      const answer = await submit(JSON.stringify(pkg));
      expect(answer.status).toBe(422);
      const entries = JSON.parse(answer.body).error.invalid.map(
        (entry: { entry: string; rules: { rule: string }[] }) =>
          `${entry.entry} ${entry.rules.map((rule) => rule.rule).join()}`,
      );
      expect(entries).toEqual(
        expect.arrayContaining(['$.polluted schema', '$.encounter.status inclusion']),
      );
    });

    it('still runs a valid package to processed, with its records stored as sent', async () => {
      const pkg = packageWith();
      const accepted = await submit(JSON.stringify(pkg));
      expect(accepted.status).toBe(202);
      const job = await untilFinished(String(accepted.headers.location).split('/').pop()!);
      expect(job.state).toBe('processed');
      const stored = await injectRequest(t.app, {
        route: { method: 'GET', url: '/api/patients/:patient_id/encounters/:id' },
        method: 'GET',
        url: `/api/patients/${PATIENT}/encounters/${pkg.encounter.id}`,
        headers: { authorization: `Bearer ${await signTestToken({ scope: allScopes })}` },
      });
      expect(stored.status).toBe(200);
      expect(JSON.parse(stored.body).data).toEqual(pkg.encounter);
    });

    it('stays up: the health probe answers over the socket', async () => {
      const answer = await overSocket({
        route: { method: 'GET', url: '/health/live' },
        method: 'GET',
        url: '/health/live',
        headers: {},
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body).data.status).toBe('ok');
    });
  });
});
