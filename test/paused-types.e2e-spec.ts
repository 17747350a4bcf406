import { DatabaseSession } from '@app/database';
import { isPending, JobsService, JobStore, JobWorker, PAUSED_ETA } from '@app/jobs';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/** The engine's side of pausing a job type (the operator API pauses through the same table). */
describe('a paused job type', () => {
  let t: TestApp;
  let db: DatabaseSession;
  const pause = (type: string) =>
    db.serialized(() =>
      db.query(
        'INSERT INTO job_type_pauses (type, paused_at, paused_by) VALUES (:type, :now, :by)',
        { type, now: new Date(), by: 'ops-1' },
      ),
    );
  const resume = (type: string) =>
    db.serialized(() => db.query('DELETE FROM job_type_pauses WHERE type = :type', { type }));
  const finished = (id: string) =>
    waitFor(async () => {
      const job = await t.jobs.findById(id);
      return job && !isPending(job.state) ? job : undefined;
    });

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' });
    db = t.app.get(DatabaseSession);
  });
  afterAll(() => t.close());

  it('is not claimed while paused, is accepted with an eta saying so, and runs once resumed', async () => {
    await pause('test.data');
    const jobs = t.app.get(JobsService);
    const held = await jobs.enqueue('test.data', { held: true }, { clientId: 'mis-1' });
    const other = await jobs.enqueue('test.count', { n: 1 }, { clientId: 'mis-1' });
    expect(held.created).toBe(true);
    expect(held.job.eta).toEqual(PAUSED_ETA);
    expect(other.job.eta).not.toEqual(PAUSED_ETA);

    // The other type's job was claimed and ran; the paused one is still waiting, unclaimed.
    expect((await finished(other.job.id)).state).toBe('processed');
    const waiting = await t.jobs.findById(held.job.id);
    expect([waiting?.state, waiting?.attempts]).toEqual(['waiting', 0]);
    const token = await t.token({ scope: 'job:read' });
    const polled = await request(t.app.getHttpServer())
      .get(`/api/jobs/${held.job.id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(polled.body.data).toMatchObject({ status: 'pending', eta: PAUSED_ETA.toISOString() });
    expect(polled.headers['retry-after']).toBe('60');

    await resume('test.data');
    t.app.get(JobWorker).wake();
    expect((await finished(held.job.id)).state).toBe('processed');
  });

  it('is not claimed by a worker turn either (JobStore.completeAndClaim)', async () => {
    await pause('test.links');
    const paused = await t.jobs.insert({
      type: 'test.links',
      clientId: 'mis-1',
      payload: { n: 1 },
      eta: new Date(),
      runAt: new Date(Date.now() - 1_000),
    });
    const now = new Date();
    const { jobs } = await t.app
      .get(JobStore)
      .completeAndClaim('test-claimer', [], 10, new Date(now.getTime() + 60_000), now);
    expect(jobs.map((job) => job.id)).not.toContain(paused.id);
    await resume('test.links');
  });
});
