import { DatabaseSession } from '@app/database';
import { JobsService, JobStore, JobWorker } from '@app/jobs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { packageWith } from '../support/encounter-package';
import { startTestApp, TestApp } from '../support/test-app';
import { TestGates } from '../support/test-jobs.module';
import { waitFor } from '../support/wait-for';
import { sized } from './size';
import { onPostgres } from '../support/postgres-only';
import { insertOrphanedEffectJobs, tallyEffects } from './support/effect-jobs';
import { auditPackages, PACKAGE_SCOPES, PackageTraffic } from './support/package-traffic';
import { WorkerFleet } from './support/worker-fleet';

const LEASE_SECONDS = 5;

describe('races', () => {
  let t: TestApp;
  let db: DatabaseSession;
  let worker: JobWorker;
  let store: JobStore;

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_POLL_INTERVAL_SECONDS: '1',
      RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
    });
    db = t.app.get(DatabaseSession);
    worker = t.app.get(JobWorker);
    store = t.app.get(JobStore);
  }, 30_000);
  afterAll(() => t.close(), 30_000);

  it('identical packages submitted at the same instant make one job; the others answer 200 with it', async () => {
    const copies = 20;
    const traffic = new PackageTraffic(
      t.app.getHttpServer(),
      await t.token({ client_id: 'mis-twins', scope: PACKAGE_SCOPES }),
    );
    const pkg = packageWith();
    const patientId = randomUUID();
    // Held so that every copy meets the first one's job still pending.
    await worker.stop();
    let answers: request.Response[];
    try {
      answers = await Promise.all(
        Array.from({ length: copies }, () => traffic.submit(pkg, true, patientId)),
      );
    } finally {
      await worker.start();
    }
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(copies - 1);
    expect(new Set(answers.map((res) => res.headers.location)).size).toBe(1);
    expect(traffic.accepted).toHaveLength(1);
    const [{ n }] = await db.query<{ n: string | number }>(
      `SELECT COUNT(*) AS n FROM jobs WHERE client_id = 'mis-twins'`,
      {},
    );
    expect(Number(n)).toBe(1);

    const done = await traffic.poll(traffic.accepted[0].jobId).set('prefer', 'wait=20');
    expect(done.status).toBe(303);
    const audit = await auditPackages(db, traffic.accepted);
    expect(audit).toMatchObject({ lost: [], wrong: [], states: { processed: 1 } });
    console.log(
      `Races: ${copies} identical submissions at once made ${Number(n)} job (${statuses.filter((s) => s === 202).length} answered 202).`,
    );
  });

  onPostgres(it, 'the four-worker-process race', 'its worker processes share one database')(
    'four worker processes claiming new jobs and expired leases at once run each job once',
    async () => {
      const fresh = sized(600, 3_000);
      const orphaned = sized(200, 1_000);
      const clientId = 'mis-four-workers';
      // The in-process worker stays out: only the four processes compete.
      await worker.stop();
      const fleet = new WorkerFleet(t, {
        JOB_LEASE_SECONDS: String(LEASE_SECONDS),
        WORKER_CONCURRENCY: '8',
      });
      try {
        await fleet.start(4);
        // Dead workers' expired leases and new jobs arrive together, with all four looking.
        const jobs = t.app.get(JobsService);
        const enqueueFresh = async () => {
          for (let start = 0; start < fresh; start += 100) {
            await Promise.all(
              Array.from({ length: Math.min(100, fresh - start) }, (_, i) =>
                jobs.enqueue('test.effect', { fresh: start + i }, { clientId }),
              ),
            );
          }
        };
        const [orphanIds] = await Promise.all([
          insertOrphanedEffectJobs(t.jobs, orphaned, clientId),
          enqueueFresh(),
        ]);
        const tally = await waitFor(
          async () => {
            const current = await tallyEffects(db, clientId);
            return current.pending === 0 ? current : undefined;
          },
          120_000,
          'every job of the four workers to finish',
        );
        const attempts = await db.query<{ attempts: number; n: string | number }>(
          `SELECT attempts, COUNT(*) AS n FROM jobs WHERE client_id = :clientId GROUP BY attempts`,
          { clientId },
        );
        const byAttempts = Object.fromEntries(attempts.map((row) => [row.attempts, Number(row.n)]));
        const [{ n: reclaimedTwice }] = await db.query<{ n: string | number }>(
          `SELECT COUNT(*) AS n FROM jobs WHERE id IN (:...ids) AND attempts <> 2`,
          { ids: orphanIds },
        );
        console.log(
          `Races: 4 worker processes, ${fresh} new jobs and ${orphaned} expired leases: ` +
            `${tally.processed} processed, ${tally.effects} side effects on ${tally.jobsWithEffects} jobs, ` +
            `runs per job ${JSON.stringify(byAttempts)}.`,
        );
        expect(tally).toEqual({
          pending: 0,
          processed: fresh + orphaned,
          effects: fresh + orphaned,
          jobsWithEffects: fresh + orphaned,
        });
        // A new job is claimed once; an expired lease is taken over once.
        expect(byAttempts).toEqual({ 1: fresh, 2: orphaned });
        expect(Number(reclaimedTwice)).toBe(0);
      } finally {
        await fleet.stopAll();
        await worker.start();
      }
    },
    sized(120_000, 600_000),
  );

  describe('a completion racing the expiry of its lease, resolved by the attempt number', () => {
    const completion = (by: string) => ({
      state: 'processed' as const,
      statusCode: 200,
      result: { kind: 'data' as const, response_data: { by } },
    });

    /**
     * Lets the in-process worker claim a gated job, then has "worker-b" take it over as if the
     * lease had expired (its clock is past the lease): the job's attempt moves from 1 to 2.
     */
    const takenOverMidRun = async (gate: string) => {
      const { job } = await t.app
        .get(JobsService)
        .enqueue('test.gate', { gate }, { clientId: 'mis-fencing' });
      await waitFor(async () =>
        (await t.jobs.findById(job.id))?.lockedBy === worker.id ? true : undefined,
      );
      const pastTheLease = new Date(Date.now() + (LEASE_SECONDS + 1) * 1000);
      const farAway = new Date(Date.now() + 3_600_000);
      const {
        jobs: [reclaimed],
        reclaimed: count,
      } = await store.completeAndClaim('worker-b', [], 1, farAway, pastTheLease);
      expect(reclaimed).toMatchObject({ id: job.id, attempts: 2 });
      expect(await t.jobs.findById(job.id)).toMatchObject({ attempts: 2, lockedBy: 'worker-b' });
      expect(count).toBe(1);
      return job.id;
    };
    /** Opens the gate: the stalled first run returns and tries to complete. */
    const firstRunReturns = async (gate: string) => {
      t.app.get(TestGates).open(gate);
      await waitFor(async () => (worker.activeJobs === 0 ? true : undefined));
    };
    const completeAsWorkerB = (id: string) =>
      db.transaction((manager) =>
        store.complete(manager, { id, attempt: 2 }, completion('worker-b'), new Date()),
      );
    const answerFor = async (id: string) =>
      request(t.app.getHttpServer())
        .get(`/api/jobs/${id}`)
        .set('authorization', `Bearer ${await t.token({ client_id: 'mis-fencing' })}`);

    it('the newer attempt completes first: the late first run is refused and its result discarded', async () => {
      const id = await takenOverMidRun('fencing-newer-first');
      expect(await completeAsWorkerB(id)).toBe(true);
      await firstRunReturns('fencing-newer-first');
      const job = await t.jobs.findById(id);
      expect(job).toMatchObject({ state: 'processed', attempts: 2 });
      expect(job?.result).toEqual({ kind: 'data', response_data: { by: 'worker-b' } });
      const res = await answerFor(id);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        status: 'processed',
        response_data: { by: 'worker-b' },
      });
    });

    it('the stale first run tries first: it is refused, and the newer attempt then completes', async () => {
      const id = await takenOverMidRun('fencing-stale-first');
      await firstRunReturns('fencing-stale-first');
      expect(await t.jobs.findById(id)).toMatchObject({
        state: 'running',
        attempts: 2,
        lockedBy: 'worker-b',
        result: null,
      });
      expect(await completeAsWorkerB(id)).toBe(true);
      expect((await answerFor(id)).body.data).toMatchObject({
        status: 'processed',
        response_data: { by: 'worker-b' },
      });
    });
  });
});
