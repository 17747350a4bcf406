import { DatabaseSession } from '@app/database';
import { JobsService } from '@app/jobs';
import request from 'supertest';
import { ChildWorker, startChildWorker, workerEnvFor } from './support/child-worker';
import { onPostgres } from './support/postgres-only';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

onPostgres(
  describe,
  'the multi-process worker suite',
  'its workers share one database across processes',
)('worker processes sharing one PostgreSQL', () => {
  let t: TestApp;
  let db: DatabaseSession;
  let jobs: JobsService;
  const children: ChildWorker[] = [];
  const startWorker = async (env: NodeJS.ProcessEnv = {}) => {
    const child = await startChildWorker(workerEnvFor(t, env));
    children.push(child);
    return child;
  };
  const count = async (sql: string, parameters: Record<string, unknown> = {}) =>
    Number((await db.query<{ n: string }>(sql, parameters))[0].n);
  const jobState = (id: string) => t.jobs.findById(id);

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DatabaseSession);
    jobs = t.app.get(JobsService);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  });
  afterAll(() => t.close(), 30_000);

  it('a worker killed with SIGKILL mid-job: its lease expires and another worker completes the job once', async () => {
    const doomed = await startWorker({ JOB_LEASE_SECONDS: '5' });
    const { job } = await jobs.enqueue(
      'test.effect',
      { ms: 4_000, case: 'sigkill' },
      { clientId: 'mis-1' },
    );
    await waitFor(async () =>
      (await jobState(job.id))?.lockedBy === doomed.id ? true : undefined,
    );
    doomed.process.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');

    await startWorker({ JOB_LEASE_SECONDS: '5' });
    const done = await waitFor(
      async () => {
        const current = await jobState(job.id);
        return current?.state === 'processed' ? current : undefined;
      },
      30_000,
      'the job to be completed by the second worker',
    );
    expect(done.attempts).toBe(2);
    expect(
      await count('SELECT COUNT(*) AS n FROM test_effects WHERE job_id = :id', { id: job.id }),
    ).toBe(1);
  }, 60_000);

  it('SIGTERM: the worker releases what it cannot finish within its grace period and exits 0', async () => {
    const leaving = await startWorker({ JOB_SHUTDOWN_GRACE_SECONDS: '1' });
    const { job } = await jobs.enqueue(
      'test.effect',
      { ms: 8_000, case: 'sigterm' },
      { clientId: 'mis-1' },
    );
    await waitFor(async () =>
      (await jobState(job.id))?.lockedBy === leaving.id ? true : undefined,
    );
    leaving.process.kill('SIGTERM');
    expect(await leaving.exited).toBe(0);
    expect(await jobState(job.id)).toMatchObject({ state: 'waiting', lockedBy: null });
  }, 60_000);

  it('wakes a worker in another process with NOTIFY, and a long poll here when it finishes', async () => {
    await startWorker({ JOB_POLL_INTERVAL_SECONDS: '300' });
    const token = await t.token();
    const { job } = await jobs.enqueue(
      'test.effect',
      { ms: 500, case: 'notify' },
      { clientId: 'mis-1' },
    );
    const started = Date.now();
    const res = await request(t.app.getHttpServer())
      .get(`/api/jobs/${job.id}`)
      .set('authorization', `Bearer ${token}`)
      .set('prefer', 'wait=30')
      .expect(200);
    expect(res.body.data.status).toBe('processed');
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 60_000);

  it('three workers process 2,000 jobs, each exactly once, none left pending', async () => {
    await Promise.all([
      startWorker({ WORKER_CONCURRENCY: '8' }),
      startWorker({ WORKER_CONCURRENCY: '8' }),
      startWorker({ WORKER_CONCURRENCY: '8' }),
    ]);
    const total = 2_000;
    const ids: string[] = [];
    for (let start = 0; start < total; start += 100) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(100, total - start) }, (_, i) =>
          jobs.enqueue('test.effect', { i: start + i, case: 'load' }, { clientId: 'mis-load' }),
        ),
      );
      ids.push(...batch.map((enqueued) => enqueued.job.id));
    }
    expect(new Set(ids).size).toBe(total);
    await waitFor(
      async () =>
        (await count(
          `SELECT COUNT(*) AS n FROM jobs WHERE client_id = 'mis-load' AND state IN ('waiting', 'running')`,
        )) === 0
          ? true
          : undefined,
      120_000,
      'every load job to finish',
    );
    expect(
      await count(
        `SELECT COUNT(*) AS n FROM jobs WHERE client_id = 'mis-load' AND state = 'processed'`,
      ),
    ).toBe(total);
    const effects = await count(
      `SELECT COUNT(*) AS n FROM test_effects e JOIN jobs j ON j.id = e.job_id WHERE j.client_id = 'mis-load'`,
    );
    const distinct = await count(
      `SELECT COUNT(DISTINCT e.job_id) AS n FROM test_effects e JOIN jobs j ON j.id = e.job_id WHERE j.client_id = 'mis-load'`,
    );
    expect(effects).toBe(total);
    expect(distinct).toBe(total);
  }, 180_000);
});
