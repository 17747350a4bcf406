import { isPending, JobsService, JobStore, JobWorker } from '@app/jobs';
import { startTestApp, TestApp } from './support/test-app';
import { TestRuns } from './support/test-jobs.module';
import { waitFor } from './support/wait-for';

type Turn = { completions: string[]; limit: number; claimed: string[] };
type Intercept = (completions: string[]) => Promise<void>;

/**
 * A handler that writes nothing else frees its slot when it returns; its completion goes with the
 * worker's next statement. These tests hold, fail and watch those statements.
 */
describe('completions sent after their slot was freed', () => {
  const LEASE_SECONDS = 5;
  let t: TestApp;
  let jobs: JobsService;
  let store: JobStore;
  let worker: JobWorker;
  let runs: TestRuns;
  let turns: Turn[] = [];
  let intercept: Intercept = async () => undefined;

  const enqueue = async (n: number) =>
    (await jobs.enqueue('test.count', { n, at: Date.now() }, { clientId: 'mis-slots' })).job.id;
  const finished = (id: string, ms = 20_000) =>
    waitFor(
      async () => {
        const job = await t.jobs.findById(id);
        return job && !isPending(job.state) ? job : undefined;
      },
      ms,
      `job ${id} to finish`,
    );

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      WORKER_CONCURRENCY: '1',
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_POLL_INTERVAL_SECONDS: '1',
      JOB_SHUTDOWN_GRACE_SECONDS: '1',
    });
    jobs = t.app.get(JobsService);
    store = t.app.get(JobStore);
    worker = t.app.get(JobWorker);
    runs = t.app.get(TestRuns);
    // Every statement of the worker goes through this one, on either database.
    const send = store.completeAndClaim.bind(store);
    jest
      .spyOn(store, 'completeAndClaim')
      .mockImplementation(async (workerId, completions, limit, ...rest) => {
        await intercept(completions.map((item) => item.claim.id));
        const result = await send(workerId, completions, limit, ...rest);
        turns.push(turnOf(completions, limit, result));
        return result;
      });
  });
  afterEach(() => {
    intercept = async () => undefined;
    turns = [];
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await t.close();
  }, 30_000);

  it('frees the slot at once: one statement carries a job’s completion and the claim of the next', async () => {
    await worker.stop();
    const first = await enqueue(1);
    const second = await enqueue(2);
    await worker.start();
    await Promise.all([finished(first), finished(second)]);
    // Concurrency 1: the second job was claimed while the first one's completion was unsent.
    expect(turns).toContainEqual(
      expect.objectContaining({ completions: [first], claimed: [second] }),
    );
    expect(runs.of(first)).toBe(1);
    expect(runs.of(second)).toBe(1);
  });

  it('runs 100 jobs once each while every statement is slowed down', async () => {
    intercept = () => new Promise((resolve) => setTimeout(resolve, 20));
    const ids = await Promise.all(Array.from({ length: 100 }, (_, n) => enqueue(100 + n)));
    const done = await Promise.all(ids.map((id) => finished(id, 60_000)));
    expect(done.every((job) => job.state === 'processed' && job.attempts === 1)).toBe(true);
    expect(ids.map((id) => runs.of(id))).toEqual(ids.map(() => 1));
  }, 90_000);

  /** The error a dropped connection gives: the database is unavailable for now. */
  const connectionReset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

  it('a completion whose statement fails is not lost: the job is retried, and completes once', async () => {
    let target = '';
    let failures = 0;
    intercept = async (completions) => {
      if (target && completions.includes(target) && failures === 0) {
        failures += 1;
        throw connectionReset();
      }
    };
    target = await enqueue(300);
    const done = await finished(target);
    expect(failures).toBe(1);
    expect(done).toMatchObject({ state: 'processed', attempts: 2 });
    expect(done.result).toEqual({ kind: 'data', response_data: { n: 300 } });
    expect(runs.of(target)).toBe(2);
  });

  it('a completion that cannot be sent nor the job put back: it runs again once its lease lapses', async () => {
    let target = '';
    let failures = 0;
    intercept = async (completions) => {
      if (target && completions.includes(target) && failures === 0) {
        failures += 1;
        throw connectionReset();
      }
    };
    const reschedule = jest
      .spyOn(store, 'reschedule')
      .mockImplementationOnce(async () => Promise.reject(connectionReset()));
    try {
      target = await enqueue(350);
      const done = await finished(target, 30_000);
      expect(failures).toBe(1);
      expect(reschedule).toHaveBeenCalledTimes(1);
      expect(done).toMatchObject({ state: 'processed', attempts: 2 });
      expect(done.result).toEqual({ kind: 'data', response_data: { n: 350 } });
      expect(runs.of(target)).toBe(2);
    } finally {
      reschedule.mockRestore();
    }
  }, 40_000);

  it('a completion held past the lease: the lease is renewed meanwhile, so no one else claims the job', async () => {
    let target = '';
    let held: (() => void) | undefined;
    intercept = async (completions) => {
      if (target && completions.includes(target) && !held) {
        await new Promise<void>((resolve) => (held = resolve));
      }
    };
    target = await enqueue(400);
    await waitFor(async () => (held ? true : undefined), 10_000, 'the completion to be held');
    await new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 1.5) * 1000));
    // Another worker looking now, its clock right: the lease is still held.
    const other = await store.completeAndClaim(
      'worker-b',
      [],
      10,
      new Date(Date.now() + 60_000),
      new Date(),
    );
    expect(other.jobs.map((job) => job.id)).not.toContain(target);
    expect(await t.jobs.findById(target)).toMatchObject({ state: 'running', attempts: 1 });
    held!();
    const done = await finished(target);
    expect(done).toMatchObject({ state: 'processed', attempts: 1 });
    expect(runs.of(target)).toBe(1);
  }, 30_000);

  it('shutdown waits for a completion on its way instead of releasing the job', async () => {
    let target = '';
    intercept = async (completions) => {
      if (target && completions.includes(target)) {
        // Longer than JOB_SHUTDOWN_GRACE_SECONDS.
        await new Promise((resolve) => setTimeout(resolve, 2_000));
      }
    };
    target = await enqueue(500);
    await waitFor(async () => (runs.of(target) === 1 ? true : undefined), 10_000, 'the run');
    await worker.stop();
    expect(await t.jobs.findById(target)).toMatchObject({
      state: 'processed',
      attempts: 1,
      result: { kind: 'data', response_data: { n: 500 } },
    });
    await worker.start();
  }, 30_000);
});

function turnOf(
  completions: { claim: { id: string } }[],
  limit: number,
  result: { jobs: { id: string }[] },
): Turn {
  return {
    completions: completions.map((item) => item.claim.id),
    limit,
    claimed: result.jobs.map((job) => job.id),
  };
}
