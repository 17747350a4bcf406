import { DatabaseSession } from '@app/database';
import { JobsService } from '@app/jobs';
import request from 'supertest';
import { EtaEstimator } from '../libs/jobs/src/engine/eta-estimator';
import { startTestApp, TestApp } from './support/test-app';

describe('the eta, measured from the queue', () => {
  let t: TestApp;
  let db: DatabaseSession;
  let estimator: EtaEstimator;
  const ago = (ms: number) => new Date(Date.now() - ms);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DatabaseSession);
    estimator = t.app.get(EtaEstimator);
    // Recent history: test.data jobs ran 2 s each. One live worker runs 2 jobs at once.
    for (let i = 0; i < 5; i++) {
      await t.jobs.insert({
        type: 'test.data',
        clientId: 'mis-history',
        payload: { i },
        eta: ago(60_000),
        state: 'processed',
        statusCode: 200,
        result: { kind: 'data', response_data: 'ok' },
        startedAt: ago(30_000 + i * 1000),
        finishedAt: ago(28_000 + i * 1000),
      });
    }
    await db.serialized(() =>
      db.query(
        'INSERT INTO job_workers (id, concurrency, started_at, heartbeat_at) VALUES (:id, 2, :now, :now)',
        { id: 'eta-worker', now: new Date() },
      ),
    );
  });
  afterAll(() => t.close());

  it('is the work queued ahead over the workers’ capacity plus the job’s own measured duration', async () => {
    const now = new Date();
    expect((await estimator.estimate('test.data', now)).getTime() - now.getTime()).toBeCloseTo(
      2_000,
      -1,
    );

    for (let i = 0; i < 4; i++) {
      await t.jobs.insert({ type: 'test.data', clientId: 'mis-queue', payload: { i }, eta: now });
    }
    // The queue is measured at most once a second: a second on, the new jobs count.
    const later = new Date(now.getTime() + 1_001);
    // 4 queued × 2 s / 2 at once + 2 s of its own.
    expect((await estimator.estimate('test.data', later)).getTime() - later.getTime()).toBeCloseTo(
      6_000,
      -1,
    );
    // A type that never ran yet is assumed to take the mean of recent jobs of any type.
    expect((await estimator.estimate('test.links', later)).getTime() - later.getTime()).toBeCloseTo(
      6_000,
      -1,
    );
  });

  it('is stored on the new job, and Retry-After follows from it', async () => {
    const { job } = await t.app
      .get(JobsService)
      .enqueue('test.data', { fresh: true }, { clientId: 'mis-1' });
    const seconds = (job.eta.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(4);
    expect(seconds).toBeLessThan(8);
    const secondsLeft = () => Math.max(1, Math.ceil((job.eta.getTime() - Date.now()) / 1000));
    const before = secondsLeft();
    const res = await request(t.app.getHttpServer())
      .get(`/api/jobs/${job.id}`)
      .set('authorization', `Bearer ${await t.token()}`)
      .expect(200);
    const after = secondsLeft();
    expect(res.body.data.eta).toBe(job.eta.toISOString());
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(after);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(before);
  });
});
