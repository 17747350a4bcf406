import { DatabaseSession, isDatabaseUnavailable } from '@app/database';
import { ApiExceptionFilter } from '@app/http';
import { EventEmitter } from 'node:events';
import request from 'supertest';
import { ALL_JOBS, JobEvents } from '@app/jobs';
import { packageWith } from '../support/encounter-package';
import { startTestApp, TestApp } from '../support/test-app';
import { TEST_DATABASE_URL } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { sized } from './size';
import { onPostgres } from '../support/postgres-only';
import {
  auditPackages,
  PACKAGE_SCOPES,
  PackageTraffic,
  pendingJobs,
} from './support/package-traffic';
import { CutMode, TcpProxy } from './support/tcp-proxy';

const REQUEST_TIMEOUT_SECONDS = 3;
/** The server cancels a statement after this; the client gives up 2 s later on a silent link. */
const STATEMENT_TIMEOUT_SECONDS = 1;
const POOL_SIZE = 10;
const LEASE_SECONDS = 5;
/** Longer than the lease, so every lease held at the cut has expired by the restore. */
const CUT_MS = (LEASE_SECONDS + 1) * 1000;
/** The safety poll, far longer than the test waits for a job: only an event can wake the worker. */
const POLL_INTERVAL_SECONDS = 120;
const INTERNALS = /SELECT|INSERT|UPDATE|postgres|ECONN|terminated|\bat \S+ \(|Error:/i;

interface Answer {
  status: number;
  duringCut: boolean;
  retryAfter: string | undefined;
  body: string;
}

onPostgres(
  describe,
  'the lost-database suite',
  'it cuts the TCP link to a database server',
)('the database connection cut and restored under load', () => {
  const cuts: CutMode[] = sized(['refuse', 'hold'], ['refuse', 'hold', 'refuse', 'hold']);
  let proxy: TcpProxy;
  let t: TestApp;
  let db: DatabaseSession;

  beforeAll(async () => {
    const upstream = new URL(TEST_DATABASE_URL!);
    proxy = await TcpProxy.start({
      host: upstream.hostname,
      port: Number(upstream.port || 5432),
    });
    t = await startTestApp({
      DATABASE_URL: proxy.rewrite(TEST_DATABASE_URL!),
      WORKER_ENABLED: 'true',
      JOB_LEASE_SECONDS: String(LEASE_SECONDS),
      JOB_MAX_ATTEMPTS: '20',
      JOB_POLL_INTERVAL_SECONDS: String(POLL_INTERVAL_SECONDS),
      REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_SECONDS),
      DATABASE_STATEMENT_TIMEOUT_SECONDS: String(STATEMENT_TIMEOUT_SECONDS),
      RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
      RATE_LIMIT_POLL_PER_MINUTE: '1000000',
    });
    db = t.app.get(DatabaseSession);
  }, 30_000);
  afterAll(async () => {
    // The proxy first: connections it still holds would otherwise keep the app from closing.
    await proxy?.close();
    await t?.close();
  }, 30_000);

  it('answers 503 while cut, recovers, and loses no accepted package', async () => {
    const server = t.app.getHttpServer();
    const traffic = new PackageTraffic(
      server,
      await t.token({ scope: PACKAGE_SCOPES }),
      // A request still unanswered this long after its timeout hangs.
      REQUEST_TIMEOUT_SECONDS * 1000 + 2_000,
    );
    const answers: Answer[] = [];
    const hung: string[] = [];
    const record = async (send: () => Promise<request.Response>) => {
      const duringCut = proxy.isCut;
      try {
        const res = await send();
        answers.push({
          status: res.status,
          duringCut: duringCut || proxy.isCut,
          retryAfter: res.headers['retry-after'],
          body: res.text,
        });
      } catch (error) {
        hung.push((error as Error).message);
      }
    };
    let loading = true;
    const lane = async () => {
      while (loading) {
        await record(() => traffic.submit(packageWith(), true));
        const known = traffic.accepted[Math.floor(Math.random() * traffic.accepted.length)];
        if (known) await record(() => traffic.poll(known.jobId));
      }
    };
    const ready = () => request(server).get('/health/ready').timeout(10_000);
    const reconnects: number[] = [];
    const unsubscribe = t.app
      .get(JobEvents)
      .onFinished((jobId) => jobId === ALL_JOBS && reconnects.push(Date.now()));

    const lanes = Array.from({ length: 4 }, lane);
    let readyWhileCut = 0;
    let restoredAt = 0;
    try {
      for (const mode of cuts) {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        proxy.cut(mode);
        const cutAt = Date.now();
        const down = await ready();
        expect(down.status).toBe(503);
        expect(down.body.error.type).toBe('service_unavailable');
        expect(down.headers['retry-after']).toBeDefined();
        readyWhileCut += 1;
        await new Promise((resolve) => setTimeout(resolve, CUT_MS - (Date.now() - cutAt)));
        proxy.restore();
        restoredAt = Date.now();
        await waitFor(
          async () => ((await ready()).status === 200 ? true : undefined),
          20_000,
          `/health/ready to answer 200 after the ${mode} cut`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      loading = false;
      await Promise.all(lanes);
    }

    // Every accepted package finishes: leases held at a cut expired, and the workers took them up.
    await waitFor(
      async () => ((await pendingJobs(db)) === 0 ? true : undefined),
      60_000,
      'every accepted job to finish',
    );
    // The LISTEN connection came back: a package submitted now is processed without the poll.
    expect(reconnects.some((at) => at >= restoredAt)).toBe(true);
    unsubscribe();
    const late = await traffic.submit(packageWith(), true);
    expect(late.status).toBe(202);
    const after = await request(server)
      .get(late.headers.location)
      .set('authorization', `Bearer ${await t.token({ scope: PACKAGE_SCOPES })}`)
      .set('prefer', 'wait=20');
    expect(after.status).toBe(303);

    const during = answers.filter((answer) => answer.duringCut);
    const unavailable = answers.filter((answer) => answer.status === 503);
    const otherServerErrors = answers.filter(
      (answer) => answer.status >= 500 && answer.status !== 503,
    );
    const audit = await auditPackages(db, traffic.accepted);
    console.log(
      `Lost database: ${cuts.length} connection cuts (${cuts.join(', ')}; ${proxy.dropped} connections dropped), ` +
        `${answers.length} requests, ${during.length} during cuts, ${unavailable.length} answered 503, ` +
        `${otherServerErrors.length} other 5xx, ${hung.length} hung; ` +
        `${traffic.accepted.length} packages accepted, ${audit.rerun} run again, ${audit.lost.length} lost.`,
    );
    expect(hung).toEqual([]);
    expect(otherServerErrors.map((answer) => `${answer.status} ${answer.body}`)).toEqual([]);
    expect(readyWhileCut).toBe(cuts.length);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const answer of unavailable) {
      expect(JSON.parse(answer.body).error.type).toBe('service_unavailable');
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.body).not.toMatch(INTERNALS);
    }
    expect(
      answers
        .filter((answer) => ![200, 202, 303, 503].includes(answer.status))
        .map((a) => a.status),
    ).toEqual([]);
    expect(audit.lost).toEqual([]);
    expect(audit.wrong).toEqual([]);
  }, 180_000);

  it('a transaction whose connection drops between two statements answers 503, not 500', async () => {
    let second: unknown;
    const transaction = db.transaction(async (manager) => {
      await manager.query('SELECT 1');
      const connection = (manager.queryRunner as unknown as { databaseConnection: EventEmitter })
        .databaseConnection;
      const ended = new Promise((resolve) => {
        connection.once('end', resolve);
        connection.once('error', resolve);
      });
      proxy.cut('refuse');
      await ended;
      second = await manager.query('SELECT 1').then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    await transaction.catch(() => undefined);
    proxy.restore();
    expect(second).toBeInstanceOf(Error);
    const rendered = new ApiExceptionFilter({ isUnavailable: isDatabaseUnavailable }).render(
      second,
    );
    expect({ status: rendered.status, type: rendered.body.type }).toEqual({
      status: 503,
      type: 'service_unavailable',
    });
    await waitFor(
      async () =>
        (await request(t.app.getHttpServer()).get('/health/ready')).status === 200
          ? true
          : undefined,
      20_000,
      '/health/ready to answer 200 again',
    );
  });

  // Last: the LISTEN connection goes silent too, and stays so until keepalive finds it out.
  it('connections gone silent mid-query answer 503, and their pool slots come back', async () => {
    const server = t.app.getHttpServer();
    const job = await t.jobs.insert({
      type: 'test.job',
      clientId: 'mis-1',
      payload: {},
      eta: new Date(Date.now() + 60_000),
    });
    const token = await t.token();
    const poll = () =>
      request(server)
        .get(`/api/jobs/${job.id}`)
        .set('authorization', `Bearer ${token}`)
        .timeout(REQUEST_TIMEOUT_SECONDS * 1000 + 5_000);

    // A statement in flight on every connection of the pool when the link goes silent.
    const startedAt = Date.now();
    const inFlight = Array.from({ length: POOL_SIZE }, () =>
      db.query('SELECT pg_sleep(0.5)', {}).then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.silence();
    const lost = await Promise.all(inFlight);
    const endedAfterMs = Date.now() - startedAt;
    for (const outcome of lost) {
      expect(outcome).toBeInstanceOf(Error);
      const rendered = new ApiExceptionFilter({ isUnavailable: isDatabaseUnavailable }).render(
        outcome,
      );
      expect({ status: rendered.status, type: rendered.body.type }).toEqual({
        status: 503,
        type: 'service_unavailable',
      });
    }
    // They gave up at the client's timeout, not never.
    expect(endedAfterMs).toBeLessThan((STATEMENT_TIMEOUT_SECONDS + 2) * 1000 + 3_000);

    // The pool opens fresh connections in their place: every poll is answered again, at once.
    const after = await Promise.all(Array.from({ length: 2 * POOL_SIZE }, poll));
    expect(after.map((res) => res.status)).toEqual(after.map(() => 200));
  }, 60_000);
});
