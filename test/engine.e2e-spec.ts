import { DatabaseSession } from '@app/database';
import {
  isPending,
  Job,
  JobRetention,
  JobsRepository,
  JobsService,
  JobWorker,
  MAX_STORED_RESPONSE_BYTES,
} from '@app/jobs';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { TestGates } from './support/test-jobs.module';
import { waitFor } from './support/wait-for';

describe('the job engine, through the real worker', () => {
  let t: TestApp;
  let jobs: JobsService;
  let gates: TestGates;
  let token: string;
  const get = (id: string) =>
    request(t.app.getHttpServer()).get(`/api/jobs/${id}`).set('authorization', `Bearer ${token}`);
  const enqueue = (type: string, payload: Record<string, unknown>, clientId = 'mis-1') =>
    jobs.enqueue(type, payload, { clientId });
  const finished = (id: string) =>
    waitFor(
      async () => {
        const job = await t.jobs.findById(id);
        return job && !isPending(job.state) ? job : undefined;
      },
      15_000,
      `job ${id} to finish`,
    );
  const effectsOf = async (id: string) =>
    (
      await t.app
        .get(DatabaseSession)
        .query<{ attempt: number }>('SELECT attempt FROM test_effects WHERE job_id = :id', { id })
    ).length;

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      WORKER_CONCURRENCY: '4',
      JOB_MAX_ATTEMPTS: '3',
      LONG_POLL_MAX_WAITERS_PER_CLIENT: '2',
      JOB_SHUTDOWN_GRACE_SECONDS: '1',
      // Wake-ups come from enqueue events; the safety poll is too slow to pass any test.
      JOB_POLL_INTERVAL_SECONDS: '300',
    });
    jobs = t.app.get(JobsService);
    gates = t.app.get(TestGates);
    token = await t.token();
  });
  afterAll(() => t.close(), 30_000);

  describe('every row of the status table', () => {
    it('pending while the handler runs, with an eta in the future', async () => {
      const { job, created } = await enqueue('test.gate', { gate: 'pending-row' });
      expect(created).toBe(true);
      await waitFor(async () =>
        (await t.jobs.findById(job.id))?.state === 'running' ? true : undefined,
      );
      const res = await get(job.id).expect(200);
      expect(res.body.data.status).toBe('pending');
      expect(new Date(res.body.data.eta).getTime()).toBeGreaterThan(job.createdAt.getTime());
      gates.open('pending-row');
      await finished(job.id);
    });

    it('processed into links: 303 to the first link; the handler’s writes committed once', async () => {
      const { job } = await enqueue('test.links', { n: 7 });
      await finished(job.id);
      const res = await get(job.id).expect(303);
      expect(res.headers.location).toBe('/api/things/7');
      expect(res.body.data.links).toEqual([
        { entity: 'thing', href: '/api/things/7' },
        { entity: 'part', href: '/api/things/7/parts/1' },
      ]);
      expect(await effectsOf(job.id)).toBe(1);
    });

    it('processed into data: 200 with response_data', async () => {
      const { job } = await enqueue('test.data', { hello: 'world' });
      await finished(job.id);
      const res = await get(job.id).expect(200);
      expect(res.body.data).toMatchObject({
        status: 'processed',
        status_code: 200,
        response_data: { echo: { hello: 'world' } },
      });
    });

    it('class-validator errors raised in a handler: failed 422 with every invalid entry', async () => {
      const { job } = await enqueue('test.invalid', { name: 3, size: 'huge', count: 0 });
      await finished(job.id);
      const res = await get(job.id).expect(200);
      expect(res.body.data.status).toBe('failed');
      expect(res.body.data.status_code).toBe(422);
      expect(res.body.data.error.type).toBe('validation_failed');
      const entries = res.body.data.error.invalid.map(
        (entry: { entry: string; rules: { rule: string }[] }) => [entry.entry, entry.rules[0].rule],
      );
      expect(entries).toEqual([
        ['$.name', 'cast'],
        ['$.size', 'inclusion'],
        ['$.count', 'number'],
      ]);
    });

    it.each([
      ['test.conflict', 409, 'request_conflict', 'Thing 42 already exists.'],
      ['test.forbidden', 403, 'forbidden', 'The thing belongs to another legal entity.'],
    ])('%s: failed with %i and its error', async (type, code, errorType, message) => {
      const { job } = await enqueue(type, {});
      await finished(job.id);
      const res = await get(job.id).expect(200);
      expect(res.body.data).toMatchObject({
        status: 'failed',
        status_code: code,
        error: { type: errorType, message },
      });
    });

    it('an unexpected exception: failed_with_error 500, an error id, no internals', async () => {
      const { job } = await enqueue('test.crash', {});
      await finished(job.id);
      const res = await get(job.id).expect(200);
      expect(res.body.data.status).toBe('failed_with_error');
      expect(res.body.data.status_code).toBe(500);
      expect(res.body.data.error.type).toBe('internal_error');
      expect(res.body.data.error.message).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
      expect(JSON.stringify(res.body)).not.toMatch(/secrets|SELECT|relation/);
      const stored = await t.jobs.findById(job.id);
      expect(stored?.lastError).toContain('secrets');
    });
  });

  describe('retries', () => {
    it('retries a transient error with backoff, pending meanwhile, then succeeds', async () => {
      const { job } = await enqueue('test.transient', { succeedAt: 2 });
      const waiting = await waitFor(async () => {
        const current = await t.jobs.findById(job.id);
        return current?.state === 'waiting' && current.attempts === 1 ? current : undefined;
      });
      expect(waiting.runAt.getTime()).toBeGreaterThan(waiting.updatedAt.getTime() + 400);
      expect((await get(job.id).expect(200)).body.data.status).toBe('pending');
      const done = await finished(job.id);
      expect(done.state).toBe('processed');
      expect(done.attempts).toBe(2);
    });

    it('gives up after JOB_MAX_ATTEMPTS with failed_with_error', async () => {
      const { job } = await enqueue('test.transient', { succeedAt: 99 });
      const done = await waitFor(async () => {
        const current = await t.jobs.findById(job.id);
        return current && !isPending(current.state) ? current : undefined;
      }, 20_000);
      expect(done.state).toBe('failed_with_error');
      expect(done.attempts).toBe(3);
    }, 30_000);
  });

  describe('dedupe', () => {
    it('makes one job of 100 identical enqueues at the same instant', async () => {
      const payload = { gate: 'dedupe', nested: { b: 2, a: 1 } };
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          enqueue('test.gate', i % 2 ? payload : { nested: { a: 1, b: 2 }, gate: 'dedupe' }),
        ),
      );
      const ids = new Set(results.map((result) => result.job.id));
      expect(ids.size).toBe(1);
      expect(results.filter((result) => result.created)).toHaveLength(1);
      const [id] = ids;
      gates.open('dedupe');
      await finished(id);
      const again = await enqueue('test.gate', payload);
      expect(again.created).toBe(true);
      expect(again.job.id).not.toBe(id);
      await finished(again.job.id);
    });

    it('keeps different clients and different payloads apart', async () => {
      const a = await enqueue('test.gate', { gate: 'apart' }, 'mis-1');
      const b = await enqueue('test.gate', { gate: 'apart' }, 'mis-2');
      const c = await enqueue('test.gate', { gate: 'apart', extra: 1 }, 'mis-1');
      expect(new Set([a.job.id, b.job.id, c.job.id]).size).toBe(3);
      gates.open('apart');
      await Promise.all([a, b, c].map((result) => finished(result.job.id)));
    });
  });

  it('a module answers 202 with Location for a new job, 200 with the same job while it is pending', async () => {
    const post = () =>
      request(t.app.getHttpServer())
        .post('/api/probe/things')
        .set('authorization', `Bearer ${token}`)
        .send({ name: 'render', items: [{ role: 'primary' }] });
    await t.app.get(JobWorker).stop();
    try {
      const first = await post().expect(202);
      const id = first.headers.location.split('/').pop();
      expect(first.headers.location).toBe(`/api/jobs/${id}`);
      expect(first.body.data).toEqual({
        status: 'pending',
        eta: expect.any(String),
        links: [{ entity: 'job', href: `/api/jobs/${id}` }],
      });
      expect(first.body.meta.code).toBe(202);
      const again = await post().expect(200);
      expect(again.body.data.links[0].href).toBe(`/api/jobs/${id}`);
      expect(again.headers.location).toBe(`/api/jobs/${id}`);
    } finally {
      await t.app.get(JobWorker).start();
    }
  });

  it('a rolled-back caller transaction leaves no job', async () => {
    let enqueuedId = '';
    await expect(
      jobs.transaction(async (manager) => {
        const { job } = await jobs.enqueue(
          'test.data',
          { tx: 'rolled back' },
          { clientId: 'mis-1', manager },
        );
        enqueuedId = job.id;
        throw new Error('the module’s own write failed');
      }),
    ).rejects.toThrow('the module’s own write failed');
    expect(enqueuedId).toHaveLength(21);
    expect(await t.jobs.findById(enqueuedId)).toBeNull();
    const committed = await jobs.transaction((manager) =>
      jobs.enqueue('test.data', { tx: 'committed' }, { clientId: 'mis-1', manager }),
    );
    expect((await finished(committed.job.id)).state).toBe('processed');
  });

  it('caps a failed job’s stored error at 10,000 bytes by the production rule', async () => {
    const { job } = await enqueue('test.big', {});
    await finished(job.id);
    const res = await get(job.id).expect(200);
    const error = res.body.data.error;
    expect(Buffer.byteLength(JSON.stringify(error))).toBeLessThanOrEqual(MAX_STORED_RESPONSE_BYTES);
    expect(error.invalid.length).toBeGreaterThan(0);
    expect(error.invalid.length).toBeLessThan(200);
    expect(error.invalid[0].entry).toBe('$.items.[0].code');
    expect(
      error.invalid.every(
        (entry: { rules: { params: unknown[] }[] }) => entry.rules[0].params.length === 0,
      ),
    ).toBe(true);
  });

  it('wakes on enqueue, without waiting for the safety poll', async () => {
    const started = Date.now();
    const { job } = await enqueue('test.data', { wake: 'now' });
    await finished(job.id);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  describe('long poll', () => {
    it('answers as soon as the job finishes, before the wait elapses', async () => {
      const { job } = await enqueue('test.gate', { gate: 'long-poll' });
      const started = Date.now();
      setTimeout(() => gates.open('long-poll'), 300);
      const res = await get(job.id).set('prefer', 'wait=10').expect(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.body.data.status).toBe('processed');
      expect(res.headers['preference-applied']).toBe('wait=10');
    });

    it('answers pending when the wait elapses', async () => {
      const { job } = await enqueue('test.gate', { gate: 'never' });
      const started = Date.now();
      const res = await get(job.id).set('prefer', 'respond-async, wait=1').expect(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(res.body.data.status).toBe('pending');
      expect(res.headers['preference-applied']).toBe('wait=1');
      expect(res.headers['retry-after']).toBeDefined();
    });

    it('reads the job once, before holding it, and answers from the finish event', async () => {
      // The first held poll of a process subscribes to finish events: a later one needs no read.
      const { job: warm } = await enqueue('test.gate', { gate: 'never' });
      await get(warm.id).set('prefer', 'wait=1').expect(200);
      const { job } = await enqueue('test.gate', { gate: 'one-read' });
      const reads = jest.spyOn(t.app.get(JobsRepository), 'findVisible');
      try {
        setTimeout(() => gates.open('one-read'), 300);
        const res = await get(job.id).set('prefer', 'wait=10').expect(200);
        expect(res.body.data).toMatchObject({
          status: 'processed',
          status_code: 200,
          response_data: { gate: 'one-read' },
          eta: job.eta.toISOString(),
        });
        expect(reads).toHaveBeenCalledTimes(1);
      } finally {
        reads.mockRestore();
      }
    });

    it('answers a job with writes of its own (a transaction of its own) from its finish event too', async () => {
      const { job } = await enqueue('test.effect', { ms: 300, case: 'long-poll' });
      const reads = jest.spyOn(t.app.get(JobsRepository), 'findVisible');
      try {
        const res = await get(job.id).set('prefer', 'wait=10').expect(200);
        expect(res.body.data).toMatchObject({
          status: 'processed',
          response_data: { done: job.id },
        });
        expect(reads).toHaveBeenCalledTimes(1);
        expect(await effectsOf(job.id)).toBe(1);
      } finally {
        reads.mockRestore();
      }
    });

    it('refuses waiters beyond the cap with 429 in the envelope', async () => {
      const { job } = await enqueue('test.gate', { gate: 'cap' });
      const holders = [
        get(job.id).set('prefer', 'wait=3'),
        get(job.id).set('prefer', 'wait=3'),
      ].map((req) => req.then((res) => res));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const refused = await get(job.id).set('prefer', 'wait=3').expect(429);
      expect(refused.body.error.type).toBe('too_many_requests');
      expect(refused.headers['retry-after']).toBe('1');
      gates.open('cap');
      const answers = await Promise.all(holders);
      expect(answers.map((res) => res.status)).toEqual([200, 200]);
    });
  });

  it('cleanup deletes only finished jobs older than the TTL', async () => {
    const days = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000);
    const make = (state: Job['state'], updatedAt: Date) =>
      t.jobs.insert({
        type: 'test.cleanup',
        clientId: 'mis-9',
        payload: {},
        eta: updatedAt,
        state,
        updatedAt,
        runAt: new Date(Date.now() + 3_600_000),
        result: state === 'waiting' ? null : { kind: 'data', response_data: 'x' },
      });
    const oldDone = await make('processed', days(8));
    const oldFailed = await make('failed_with_error', days(30));
    const recentDone = await make('processed', days(6));
    const oldPending = await make('waiting', days(40));
    const deleted = await t.app.get(JobRetention).purge();
    expect(deleted).toBeGreaterThanOrEqual(2);
    expect(await t.jobs.findById(oldDone.id)).toBeNull();
    expect(await t.jobs.findById(oldFailed.id)).toBeNull();
    expect(await t.jobs.findById(recentDone.id)).not.toBeNull();
    expect(await t.jobs.findById(oldPending.id)).not.toBeNull();
  });
});
