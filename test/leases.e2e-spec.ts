import { DatabaseSession } from '@app/database';
import { isPending, JobsService, JobStore } from '@app/jobs';
import { startTestApp, TestApp } from './support/test-app';
import { TestGates } from './support/test-jobs.module';
import { waitFor } from './support/wait-for';

describe('leases and fencing', () => {
  let t: TestApp;
  let db: DatabaseSession;
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs);
  const effects = async (id: string) =>
    (await db.query('SELECT attempt FROM test_effects WHERE job_id = :id', { id })).length;

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_POLL_INTERVAL_SECONDS: '1',
      JOB_SHUTDOWN_GRACE_SECONDS: '1',
    });
    db = t.app.get(DatabaseSession);
  });
  afterAll(() => t.close(), 30_000);

  it('renews the lease of a run longer than the lease, so it is not run twice', async () => {
    const { job } = await t.app
      .get(JobsService)
      .enqueue('test.effect', { ms: 7_000 }, { clientId: 'mis-1' });
    const done = await waitFor(async () => {
      const current = await t.jobs.findById(job.id);
      return current && !isPending(current.state) ? current : undefined;
    }, 20_000);
    expect(done).toMatchObject({ state: 'processed', attempts: 1 });
    expect(await effects(job.id)).toBe(1);
  }, 30_000);

  it('rejects the completion of a run that lost its lease (the fencing token)', async () => {
    const store = t.app.get(JobStore);
    const job = await t.jobs.insert({
      type: 'test.fencing',
      clientId: 'mis-1',
      payload: {},
      eta: at(1000),
      runAt: at(60_000),
    });
    const due = at(61_000);
    const {
      jobs: [first],
    } = await store.completeAndClaim('worker-a', [], 1, at(61_500), due);
    expect(first).toMatchObject({ id: job.id, attempts: 1 });
    expect(await t.jobs.findById(job.id)).toMatchObject({ state: 'running', lockedBy: 'worker-a' });
    // worker-a stalls past its lease; worker-b claims the job again.
    const {
      jobs: [second],
      reclaimed,
    } = await store.completeAndClaim('worker-b', [], 1, at(120_000), at(62_000));
    expect(second).toMatchObject({ id: job.id, attempts: 2 });
    expect(await t.jobs.findById(job.id)).toMatchObject({ state: 'running', lockedBy: 'worker-b' });
    expect(reclaimed).toBe(1);

    const completion = {
      state: 'processed' as const,
      statusCode: 200,
      result: { kind: 'data' as const, response_data: 'late' },
    };
    const late = await db.transaction((manager) =>
      store.complete(manager, { id: job.id, attempt: 1 }, completion, new Date()),
    );
    expect(late).toBe(false);
    expect((await t.jobs.findById(job.id))?.state).toBe('running');
    const renewed = await db.serialized(() =>
      store.renewLeases([{ id: job.id, attempt: 1 }], at(130_000)),
    );
    expect(renewed.has(job.id)).toBe(false);

    const current = await db.transaction((manager) =>
      store.complete(
        manager,
        { id: job.id, attempt: 2 },
        { ...completion, result: { kind: 'data', response_data: 'current' } },
        new Date(),
      ),
    );
    expect(current).toBe(true);
    expect((await t.jobs.findById(job.id))?.result).toEqual({
      kind: 'data',
      response_data: 'current',
    });
  });

  it('gives back a job claimed ahead and never started: waiting, its attempt number restored', async () => {
    const store = t.app.get(JobStore);
    const job = await t.jobs.insert({
      type: 'test.fencing',
      clientId: 'mis-1',
      payload: {},
      eta: at(1000),
      runAt: at(90_000),
    });
    const {
      jobs: [claimed],
    } = await store.completeAndClaim('worker-a', [], 1, at(150_000), at(91_000));
    expect(claimed).toMatchObject({ id: job.id, attempts: 1 });
    // A stale claim number changes nothing.
    expect(
      await db.serialized(() => store.giveBack([{ id: job.id, attempt: 2 }], new Date())),
    ).toBe(0);
    expect(await t.jobs.findById(job.id)).toMatchObject({ state: 'running', attempts: 1 });
    expect(
      await db.serialized(() => store.giveBack([{ id: job.id, attempt: 1 }], new Date())),
    ).toBe(1);
    expect(await t.jobs.findById(job.id)).toMatchObject({
      state: 'waiting',
      attempts: 0,
      lockedBy: null,
      lockedUntil: null,
    });
    // Out of the in-process worker's way.
    await db.serialized(() =>
      db.query("UPDATE jobs SET state = 'failed_with_error' WHERE id = :id", { id: job.id }),
    );
  });

  it('runs again, once, a job whose worker died (its lease expired)', async () => {
    const job = await t.jobs.insert({
      type: 'test.effect',
      clientId: 'mis-1',
      payload: {},
      eta: at(1000),
      state: 'running',
      attempts: 1,
      lockedBy: 'a-dead-worker',
      lockedUntil: at(-1000),
      runAt: at(-5000),
    });
    const done = await waitFor(async () => {
      const current = await t.jobs.findById(job.id);
      return current && !isPending(current.state) ? current : undefined;
    });
    expect(done).toMatchObject({ state: 'processed', attempts: 2 });
    expect(await effects(job.id)).toBe(1);
  });

  it('discards the late result of a run whose job was taken over meanwhile', async () => {
    const { job } = await t.app
      .get(JobsService)
      .enqueue('test.gate', { gate: 'taken-over' }, { clientId: 'mis-1' });
    await waitFor(async () =>
      (await t.jobs.findById(job.id))?.state === 'running' ? true : undefined,
    );
    // Another worker reclaims it: the attempt number moves on.
    await db.serialized(() =>
      db.query('UPDATE jobs SET attempts = attempts + 1 WHERE id = :id', { id: job.id }),
    );
    t.app.get(TestGates).open('taken-over');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = await t.jobs.findById(job.id);
    expect(after).toMatchObject({ state: 'running', attempts: 2, result: null });
  });
});
