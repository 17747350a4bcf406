/**
 * The engine on real work, for regressions and sizing (no peer here):
 *
 * - Encounter packages end to end: PACKAGES packages submitted over HTTP (SUBMITTERS at a time) to
 *   the built API, run by WORKERS worker processes (each count in turn: "1,3"), each submitter
 *   following its job with `Prefer: wait=30` until the 303. Reports jobs/s (first submit to last
 *   303), jobs/s per worker process, and p50/p99 from the submit to the 303. Every package is
 *   valid, so every job ends 303; each count runs on a fresh schema of BENCH_DATABASE_URL.
 * - The engine's no-op rate on SQLite: SQLITE_JOBS no-op jobs enqueued, then run by the real worker
 *   modules in this process (one process, writes serialized), until the database holds them all
 *   processed; processed/s and CPU per job.
 *
 * Env: PACKAGES (2000), SUBMITTERS (16), WORKERS ("1,3"), WORKER_CONCURRENCY (8), SQLITE_JOBS
 * (20000), BENCH_DATABASE_URL. Builds the service first when `dist/` is missing (run `npm run
 * build` after changing the code).
 */
import { loadConfig } from '@app/config';
import { DatabaseSession } from '@app/database';
import { JobContext, JobHandler, JobOutcome, JobsService, JobWorker } from '@app/jobs';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SignJWT } from 'jose';
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { packageWith } from '../../test/support/encounter-package';
import { childEnv, ROOT } from '../../test/support/run-entry';
import { createSchema, dropSchema } from '../../test/support/test-database';
import { BENCH_CLIENT, inSchema, SERVICE_SECRET, startService } from '../scale/service';
import {
  BENCH_DATABASE_URL,
  ensureBenchDatabase,
  percentile,
  sizeFromEnv,
  sleep,
} from './bench-database';

const PACKAGES = sizeFromEnv('PACKAGES', 2_000);
const SUBMITTERS = sizeFromEnv('SUBMITTERS', 16);
const WORKER_COUNTS = (process.env.WORKERS ?? '1,3').split(',').map(Number);
const CONCURRENCY = sizeFromEnv('WORKER_CONCURRENCY', 8);
const SQLITE_JOBS = sizeFromEnv('SQLITE_JOBS', 20_000);
const PORT = 4500;
const WORKER_MAIN = join(ROOT, 'dist/apps/worker/src/main.js');

interface PackagesRow {
  workers: number;
  jobsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function token(): Promise<string> {
  return new SignJWT({ client_id: BENCH_CLIENT, scope: 'encounter:write job:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('3h')
    .sign(new TextEncoder().encode(SERVICE_SECRET));
}

async function count(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0].n);
  } finally {
    await client.end();
  }
}

function startWorker(url: string): { process: ChildProcess; stop: () => Promise<void> } {
  const child = spawn(process.execPath, [WORKER_MAIN], {
    cwd: ROOT,
    env: childEnv({
      NODE_ENV: 'production',
      DATABASE_URL: url,
      AUTH_JWT_SECRET: SERVICE_SECRET,
      WORKER_CONCURRENCY: String(CONCURRENCY),
      LOG_LEVEL: 'warn',
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  return {
    process: child,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Submits one package and follows its job to the 303; the time from submit to 303, in ms. */
async function submitAndFollow(url: string, bearer: string): Promise<number> {
  const started = performance.now();
  const headers = { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' };
  const submitted = await fetch(`${url}/api/patients/${randomUUID()}/encounter_package`, {
    method: 'POST',
    headers,
    body: JSON.stringify(packageWith()),
  });
  await submitted.arrayBuffer();
  if (submitted.status !== 202) throw new Error(`Submit answered ${submitted.status}`);
  const location = submitted.headers.get('location')!;
  for (;;) {
    const res = await fetch(`${url}${location}`, {
      headers: { authorization: `Bearer ${bearer}`, prefer: 'wait=30' },
      redirect: 'manual',
    });
    const body = (await res.json()) as { data?: { status?: string } };
    if (res.status === 303) return performance.now() - started;
    if (res.status !== 200 || body.data?.status !== 'pending') {
      throw new Error(`The job answered ${res.status} ${JSON.stringify(body)}`);
    }
  }
}

async function packagesRow(workers: number, bearer: string): Promise<PackagesRow> {
  const schema = await createSchema(BENCH_DATABASE_URL);
  const url = inSchema(BENCH_DATABASE_URL, schema);
  const service = await startService(PORT, url, {
    RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
    LONG_POLL_MAX_WAITERS_PER_CLIENT: String(SUBMITTERS * 2),
  });
  const fleet = Array.from({ length: workers }, () => startWorker(url));
  try {
    const deadline = Date.now() + 60_000;
    while ((await count(url, 'SELECT COUNT(*) AS n FROM job_workers')) < workers) {
      if (Date.now() > deadline) throw new Error(`${workers} workers did not start`);
      await sleep(100);
    }
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: SUBMITTERS }, async () => {
        while (next < PACKAGES) {
          next += 1;
          latencies.push(await submitAndFollow(service.url, bearer));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const processed = await count(url, `SELECT COUNT(*) AS n FROM jobs WHERE state = 'processed'`);
    if (processed !== PACKAGES) throw new Error(`${processed} of ${PACKAGES} jobs processed`);
    return {
      workers,
      jobsPerSecond: PACKAGES / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    await Promise.all(fleet.map((worker) => worker.stop()));
    await service.stop();
    await dropSchema(BENCH_DATABASE_URL, schema);
  }
}

const noop = { handled: 0 };

@Injectable()
class NoopHandler {
  @JobHandler('bench.noop')
  async run(job: JobContext): Promise<JobOutcome> {
    noop.handled += 1;
    return JobOutcome.data({ n: job.payload.n as number });
  }
}

@Module({ providers: [NoopHandler] })
class NoopJobsModule {}

/** The engine alone on SQLite, in this process: processed/s and CPU ms per job. */
async function sqliteRow(): Promise<{ processedPerSecond: number; cpuMsPerJob: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-bench-sqlite-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: SERVICE_SECRET,
    WORKER_ENABLED: 'false',
    WORKER_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'silent',
  });
  const root = WorkerModule.forRoot(config);
  root.imports = [...(root.imports ?? []), NoopJobsModule];
  const app = await NestFactory.createApplicationContext(root, { logger: false });
  await app.init();
  try {
    const jobs = app.get(JobsService);
    let n = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (n < SQLITE_JOBS) await jobs.enqueue('bench.noop', { n: n++ }, { clientId: 'bench' });
      }),
    );
    const db = app.get(DatabaseSession);
    const processed = async () =>
      Number(
        (
          await db.query<{ n: number }>(
            `SELECT COUNT(*) AS n FROM jobs WHERE state = 'processed'`,
            {},
          )
        )[0].n,
      );
    const cpu = process.cpuUsage();
    const started = performance.now();
    await app.get(JobWorker).start();
    while (noop.handled < SQLITE_JOBS || (await processed()) < SQLITE_JOBS) await sleep(20);
    const used = process.cpuUsage(cpu);
    return {
      processedPerSecond: SQLITE_JOBS / ((performance.now() - started) / 1000),
      cpuMsPerJob: (used.user + used.system) / 1000 / SQLITE_JOBS,
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await ensureBenchDatabase();
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  const loadBefore = load();
  const bearer = await token();
  const rows: PackagesRow[] = [];
  for (const workers of WORKER_COUNTS) {
    const row = await packagesRow(workers, bearer);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  const sqlite = await sqliteRow();
  console.log(JSON.stringify({ sqlite }));
  console.log(
    `\nnode ${process.version}, ${cpus().length} cores, ${PACKAGES} encounter packages, ` +
      `${SUBMITTERS} submitters, worker concurrency ${CONCURRENCY}; load average ${loadBefore} ` +
      `before, ${load()} after\n`,
  );
  console.log(
    '| encounter packages, HTTP submit to 303 | jobs/s | jobs/s per worker process | p50 / p99 ms |',
  );
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) {
    console.log(
      `| ${row.workers} worker process${row.workers > 1 ? 'es' : ''} | ${row.jobsPerSecond.toFixed(0)} | ` +
        `${(row.jobsPerSecond / row.workers).toFixed(0)} | ${row.p50Ms.toFixed(0)} / ${row.p99Ms.toFixed(0)} |`,
    );
  }
  console.log(
    `\nSQLite, the engine alone in one process: ${SQLITE_JOBS} no-op jobs, ` +
      `${sqlite.processedPerSecond.toFixed(0)} processed/s, ${sqlite.cpuMsPerJob.toFixed(3)} CPU ms/job`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
