import { DatabaseSession } from '@app/database';
import { setupOpenApi } from '@app/http';
import { isPending, JobsService, JobWorker, PAUSED_ETA } from '@app/jobs';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { everyScope } from './support/declared-routes';
import { documentedRoutes, pathOf } from './support/documented-examples';
import { startTestApp, TestApp } from './support/test-app';
import { TestGates } from './support/test-jobs.module';
import { waitFor } from './support/wait-for';

const OPERATOR = 'ops-1';
const PAYLOAD_MARKER = 'Ivanenko-Petro-1984-clinical-note';

describe('the operator API under /api/admin (scope job:admin)', () => {
  let t: TestApp;
  let operator: string;
  let mis: string;
  const http = () => request(t.app.getHttpServer());
  const as = (token: string) => ({
    get: (path: string) => http().get(path).set('authorization', `Bearer ${token}`),
    post: (path: string) => http().post(path).set('authorization', `Bearer ${token}`),
  });
  const enqueue = (type: string, payload: Record<string, unknown>, clientId = 'mis-1') =>
    t.app.get(JobsService).enqueue(type, payload, { clientId });
  const finished = (id: string) =>
    waitFor(async () => {
      const job = await t.jobs.findById(id);
      return job && !isPending(job.state) ? job : undefined;
    });

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_POLL_INTERVAL_SECONDS: '1',
      JOB_MAX_ATTEMPTS: '2',
    });
    operator = await t.token({ client_id: OPERATOR, scope: 'job:admin' });
    mis = await t.token({ client_id: 'mis-1', scope: 'job:read' });
  });
  afterAll(() => t.close());

  it('refuses every operator route to a token without job:admin, whatever else it holds', async () => {
    const routes = documentedRoutes(setupOpenApi(t.app)).filter((route) =>
      route.scopes.includes('job:admin'),
    );
    expect(routes.map((route) => route.name).sort()).toEqual([
      'GET /api/admin/audit',
      'GET /api/admin/jobs',
      'GET /api/admin/jobs/{id}',
      'GET /api/admin/queues',
      'POST /api/admin/jobs/{id}/actions/retry',
      'POST /api/admin/queues/{type}/actions/pause',
      'POST /api/admin/queues/{type}/actions/resume',
    ]);
    const allButAdmin = everyScope(t.app)
      .split(' ')
      .filter((scope) => scope !== 'job:admin')
      .join(' ');
    const tokens = [
      await t.token({ client_id: 'mis-1', scope: allButAdmin }),
      await t.token({ client_id: OPERATOR, scope: 'job:read' }),
      await t.token({ client_id: OPERATOR, scope: 'job:admins job:adminx admin job:*' }),
    ];
    for (const route of routes) {
      for (const token of tokens) {
        const res = await as(token)[route.method as 'get'](pathOf(route)).expect(403);
        expect(res.body.error).toEqual({
          type: 'forbidden',
          message:
            'Your scope does not allow to access this resource. Missing allowances: job:admin',
        });
      }
      await http()[route.method as 'get'](pathOf(route)).expect(401);
    }
  });

  it('shows a crashed job with its attempts, and only the size and SHA-256 of its data', async () => {
    const { job } = await enqueue('test.crash', { note: PAYLOAD_MARKER });
    await finished(job.id);
    const res = await as(operator).get(`/api/admin/jobs/${job.id}`).expect(200);
    const detail = res.body.data;
    expect(detail).toMatchObject({
      id: job.id,
      type: 'test.crash',
      client_id: 'mis-1',
      status: 'failed_with_error',
      state: 'failed_with_error',
      status_code: 500,
      attempts: 1,
      error_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const stored = (
      await t.app
        .get(DatabaseSession)
        .query<{ payload: string; result: string }>(
          'SELECT payload, result FROM jobs WHERE id = :id',
          {
            id: job.id,
          },
        )
    )[0];
    const digest = (text: string) => ({
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    expect(detail.payload).toEqual(digest(stored.payload));
    expect(detail.result).toEqual(digest(stored.result));
    expect(detail.attempt_history).toEqual([
      {
        attempt: 1,
        worker: t.app.get(JobWorker).id,
        started_at: expect.any(String),
        ended_at: expect.any(String),
        outcome: 'failed_with_error',
        error_id: detail.error_id,
      },
    ]);
    // The crash's own text (it names a table) and the payload stay out of every answer.
    const list = await as(operator).get('/api/admin/jobs?status=failed_with_error').expect(200);
    for (const body of [res.text, list.text]) {
      expect(body).not.toContain(PAYLOAD_MARKER);
      expect(body).not.toContain('secrets');
    }
    await as(operator).get('/api/admin/jobs/NBXk9EyErUZv1RhXgyvgg').expect(404);
    await as(operator).get('/api/admin/jobs/not-an-id').expect(404);
  });

  it('lists every client’s jobs with filters and paging, newest first', async () => {
    const mine = await enqueue('test.data', { n: 'list-1' }, 'mis-a');
    const theirs = await enqueue('test.data', { n: 'list-2' }, 'mis-b');
    await finished(mine.job.id);
    await finished(theirs.job.id);
    const byClient = await as(operator).get('/api/admin/jobs?client_id=mis-b').expect(200);
    expect(byClient.body.data.map((job: { id: string }) => job.id)).toEqual([theirs.job.id]);
    expect(byClient.body.paging).toEqual({
      page_number: 1,
      page_size: 50,
      total_entries: 1,
      total_pages: 1,
    });
    const data = await as(operator).get('/api/admin/jobs?type=test.data&page_size=1').expect(200);
    expect(data.body.data.map((job: { id: string }) => job.id)).toEqual([theirs.job.id]);
    expect(data.body.paging.total_entries).toBeGreaterThanOrEqual(2);
    await as(operator).get('/api/admin/jobs?status=broken').expect(422);
  });

  it('retries a failed_with_error job: its client sees pending, then the new outcome', async () => {
    const { job } = await enqueue('test.flaky', { gate: 'certificate-renewed' });
    await finished(job.id);
    const poll = () => as(mis).get(`/api/jobs/${job.id}`);
    expect((await poll().expect(200)).body.data.status).toBe('failed_with_error');

    // The cause is fixed; the worker is held so the pending state can be seen.
    t.app.get(TestGates).open('certificate-renewed');
    const worker = t.app.get(JobWorker);
    await worker.stop();
    const retried = await as(operator)
      .post(`/api/admin/jobs/${job.id}/actions/retry`)
      .set('x-request-id', 'retry-request-000000000001')
      .expect(200);
    expect(retried.body.data).toMatchObject({
      status: 'pending',
      state: 'waiting',
      result: { bytes: null, sha256: null },
    });
    // A failed_with_error job keeps its payload, so the retry has something to run.
    expect(retried.body.data.payload).toEqual({
      bytes: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await poll().expect(200)).body.data.status).toBe('pending');
    await worker.start();
    const done = await poll().set('prefer', 'wait=20').expect(200);
    expect(done.body.data).toMatchObject({ status: 'processed', status_code: 200 });
    expect(done.body.data.response_data).toEqual({ gate: 'certificate-renewed', attempt: 2 });

    const detail = (await as(operator).get(`/api/admin/jobs/${job.id}`).expect(200)).body.data;
    expect(detail.attempt_history.map((a: { outcome: string }) => a.outcome)).toEqual([
      'failed_with_error',
      'processed',
    ]);
    expect(detail.attempts_before_retry).toBe(1);
    // Processed now: its payload was erased at completion, and the page says nothing is stored.
    expect(detail.payload).toEqual({ bytes: null, sha256: null });
    expect(detail.result).toEqual({
      bytes: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    // Only a failed_with_error job: a processed one (this one now) is a conflict.
    const conflict = await as(operator).post(`/api/admin/jobs/${job.id}/actions/retry`).expect(409);
    expect(conflict.body.error.type).toBe('request_conflict');
    await as(operator).post('/api/admin/jobs/NBXk9EyErUZv1RhXgyvgg/actions/retry').expect(404);

    const audit = await as(operator).get('/api/admin/audit').expect(200);
    const retries = audit.body.data.filter((entry: { target: string }) => entry.target === job.id);
    // One entry: the refused retry wrote none.
    expect(retries).toEqual([
      {
        id: expect.any(Number),
        at: expect.any(String),
        operator: OPERATOR,
        action: 'job.retry',
        target: job.id,
        request_id: 'retry-request-000000000001',
      },
    ]);
  });

  it('pauses a type: its jobs wait with an eta saying so, others run; resuming runs them', async () => {
    const paused = await as(operator).post('/api/admin/queues/test.data/actions/pause').expect(200);
    expect(paused.body.data).toMatchObject({
      type: 'test.data',
      paused: true,
      paused_by: OPERATOR,
    });
    await as(operator).post('/api/admin/queues/test.data/actions/pause').expect(409);

    const held = await enqueue('test.data', { n: 'held' });
    const other = await enqueue('test.count', { n: 2 });
    expect((await finished(other.job.id)).state).toBe('processed');
    const polled = await as(mis).get(`/api/jobs/${held.job.id}`).expect(200);
    expect(polled.body.data).toMatchObject({ status: 'pending', eta: PAUSED_ETA.toISOString() });

    const overview = (await as(operator).get('/api/admin/queues').expect(200)).body.data;
    const queue = overview.types.find((type: { type: string }) => type.type === 'test.data');
    expect(queue).toMatchObject({ paused: true, paused_by: OPERATOR, waiting: 1, running: 0 });
    expect(queue.oldest_waiting_age_seconds).toEqual(expect.any(Number));
    expect(overview.workers).toEqual([
      expect.objectContaining({ id: t.app.get(JobWorker).id, capacity: expect.any(Number) }),
    ]);

    await as(operator).post('/api/admin/queues/test.data/actions/resume').expect(200);
    await as(operator).post('/api/admin/queues/test.data/actions/resume').expect(409);
    const done = await as(mis).get(`/api/jobs/${held.job.id}`).set('prefer', 'wait=20').expect(200);
    expect(done.body.data.status).toBe('processed');

    await as(operator).post('/api/admin/queues/no.such.type/actions/pause').expect(404);
    await as(operator).post('/api/admin/queues/no.such.type/actions/resume').expect(404);
    // Values no job type or client id holds are refused before any query (PostgreSQL refuses NUL).
    await as(operator).post('/api/admin/queues/a%00b/actions/resume').expect(404);
    await as(operator).post('/api/admin/queues/a%00b/actions/pause').expect(404);
    await as(operator).get('/api/admin/jobs?type=a%00b').expect(422);
    await as(operator).get('/api/admin/jobs?client_id=a%00b').expect(422);
    const actions = (await as(operator).get('/api/admin/audit?page_size=2').expect(200)).body;
    expect(actions.data.map((entry: { action: string }) => entry.action)).toEqual([
      'queue.resume',
      'queue.pause',
    ]);
    expect(actions.paging.page_size).toBe(2);
  });

  it('counts the queues as they are: crashes of the last day, the last hour’s pace and durations', async () => {
    // A job written finished without ever running (no start, no finish time) counts in no pace.
    await t.jobs.insert({
      type: 'test.crash',
      clientId: 'mis-1',
      payload: {},
      eta: new Date(),
      state: 'processed',
      statusCode: 200,
      result: { kind: 'data', response_data: {} },
    });
    const crashed = await enqueue('test.crash', { n: 'count' });
    await finished(crashed.job.id);
    const overview = (await as(operator).get('/api/admin/queues').expect(200)).body.data;
    expect(overview.minutes).toHaveLength(60);
    const crash = overview.types.find((type: { type: string }) => type.type === 'test.crash');
    const { count } = (
      await t.app
        .get(DatabaseSession)
        .query<{ count: string | number }>(
          "SELECT COUNT(*) AS count FROM jobs WHERE type = 'test.crash' AND state = 'failed_with_error'",
          {},
        )
    )[0];
    expect(crash.failed_with_error_24h).toBe(Number(count));
    expect(crash.finished_per_minute.reduce((a: number, b: number) => a + b, 0)).toBe(
      Number(count),
    );
    expect(crash.duration_ms).toEqual({ p50: expect.any(Number), p95: expect.any(Number) });
    // Every type with a handler is listed, even before its first job.
    expect(overview.types.map((type: { type: string }) => type.type)).toEqual(
      expect.arrayContaining(['encounter_package.create', 'test.big', 'test.gate']),
    );
  });
});
