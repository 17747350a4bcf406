import { DatabaseSession } from '@app/database';
import { startTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { sized } from './size';
import { onPostgres } from '../support/postgres-only';
import {
  auditPackages,
  PACKAGE_SCOPES,
  PackageTraffic,
  pendingJobs,
} from './support/package-traffic';
import { Orphans, orphansTakenOver, WorkerFleet } from './support/worker-fleet';

const LEASE_SECONDS = 5;
/** Beyond the lease: a survivor's next claim (it polls every second) and a loaded machine. */
const TAKEOVER_MARGIN_MS = 15_000;
/**
 * The kill starts looking for a worker with a running job this many packages before the stream
 * stops at the kill point, while packages still arrive: looking only once the stream has stopped,
 * the workers may have finished every job already, and the kill then finds none running.
 */
const KILL_LEAD = 24;

onPostgres(
  describe,
  'the worker crash suite',
  'its worker processes share one database',
)('worker processes killed with SIGKILL while encounter packages flow', () => {
  const total = sized(300, 2_000);
  const kills = sized(3, 12);
  let t: TestApp;
  let db: DatabaseSession;
  let fleet: WorkerFleet;

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_POLL_PER_MINUTE: '1000000',
    });
    db = t.app.get(DatabaseSession);
    fleet = new WorkerFleet(t, {
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      // A job may be caught by several kills; giving up on it would lose a package.
      JOB_MAX_ATTEMPTS: '20',
      WORKER_CONCURRENCY: '4',
    });
  }, 30_000);
  afterAll(async () => {
    await fleet?.stopAll();
    await t?.close();
  }, 30_000);

  it(
    `every accepted package of ${total} ends once, as it must, through ${kills} kills`,
    async () => {
      await fleet.start(3);
      const traffic = new PackageTraffic(
        t.app.getHttpServer(),
        await t.token({ scope: PACKAGE_SCOPES }),
      );
      // Kill at random points of the stream: the submissions wait there until the kill begins,
      // then flow on while it looks for a worker caught running jobs (a stopped stream is drained
      // in milliseconds, leaving no run to catch).
      const pauses = Array.from({ length: kills }, () =>
        Math.floor(total * (0.05 + Math.random() * 0.85)),
      )
        .sort((a, b) => a - b)
        .map((at) => {
          let resume!: () => void;
          const resumed = new Promise<void>((resolve) => (resume = resolve));
          return { at, resume, resumed };
        });
      const submitting = traffic.submitMix(total, 8, async (n) => {
        for (const pause of pauses) if (n >= pause.at) await pause.resumed;
      });

      const takeovers: Promise<void>[] = [];
      const takeoverMs: number[] = [];
      const lateTakeovers: string[] = [];
      const replacements: Promise<unknown>[] = [];
      let inFlightAtKills = 0;
      let lastKillAt = 0;
      for (const pause of pauses) {
        // Never the last live worker: the bound on a takeover assumes a survivor.
        await waitFor(
          async () => (fleet.alive.length >= 2 ? true : undefined),
          120_000,
          'a replacement worker',
        );
        await waitFor(
          async () => (traffic.accepted.length >= pause.at - KILL_LEAD ? true : undefined),
          120_000,
          `${pause.at - KILL_LEAD} accepted packages`,
        );
        pause.resume();
        const orphans: Orphans = await fleet.killBusy(db);
        lastKillAt = orphans.killedAt;
        inFlightAtKills += orphans.jobs.length;
        replacements.push(fleet.start(1));
        takeovers.push(
          waitFor(
            async () => ((await orphansTakenOver(db, orphans)) ? true : undefined),
            LEASE_SECONDS * 1000 + TAKEOVER_MARGIN_MS - (Date.now() - orphans.killedAt),
            `the ${orphans.jobs.length} jobs of killed worker ${orphans.worker} to be taken over`,
          ).then(
            () => void takeoverMs.push(Date.now() - orphans.killedAt),
            (error: Error) => void lateTakeovers.push(error.message),
          ),
        );
      }
      await submitting;
      await Promise.all(takeovers);
      await Promise.all(replacements);
      await waitFor(
        async () => ((await pendingJobs(db)) === 0 ? true : undefined),
        LEASE_SECONDS * 1000 + TAKEOVER_MARGIN_MS + 60_000,
        'every job to finish',
      );

      const audit = await auditPackages(db, traffic.accepted);
      const [{ n: jobRows }] = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM jobs', {});
      console.log(
        `Crashes: ${traffic.accepted.length} jobs pushed through, ${fleet.killed} workers killed ` +
          `(holding ${inFlightAtKills} running jobs), ${audit.rerun} jobs run again, ` +
          `${audit.lost.length} jobs lost, ${audit.wrong.length} ended wrongly; ` +
          `states ${JSON.stringify(audit.states)}; orphans taken over within ` +
          `${Math.max(0, ...takeoverMs)} ms of a kill (lease ${LEASE_SECONDS} s); ` +
          `last kill ${Math.round((Date.now() - lastKillAt) / 1000)} s before the end.`,
      );
      expect(traffic.accepted).toHaveLength(total);
      expect(Number(jobRows)).toBe(total);
      expect(fleet.killed).toBe(kills);
      expect(inFlightAtKills).toBeGreaterThan(0);
      expect(lateTakeovers).toEqual([]);
      expect(audit.lost).toEqual([]);
      expect(audit.wrong).toEqual([]);
      const breaking = Math.floor(total / 4);
      expect(audit.states).toEqual({ processed: total - breaking, failed: breaking });
    },
    sized(240_000, 1_200_000),
  );
});
