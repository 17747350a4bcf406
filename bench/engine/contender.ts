/**
 * One run of one contender, in a process of its own: enqueue JOBS no-op jobs (ENQUEUERS at a time),
 * process them all (CONCURRENCY at once) until the database holds them completed, then enqueue
 * LATENCY_JOBS at LATENCY_RATE per second into the idle worker and time each from enqueue to
 * completion. Prints `RESULT <json>`.
 *
 * Usage: contender.ts <mis-engine|graphile-worker|graphile-worker-batched|pg-boss>; env
 * BENCH_DATABASE_URL, BENCH_SCHEMA, JOBS, CONCURRENCY, ENQUEUERS, LATENCY_JOBS, LATENCY_RATE,
 * PGBOSS_BATCH; CPU_PROFILE=<file.cpuprofile> writes a CPU profile of the processing phase alone.
 */
import { Session } from 'node:inspector/promises';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { BENCH_DATABASE_URL, percentile, sizeFromEnv, sleep } from './bench-database';
import { graphileWorker } from './graphile-worker';
import { misEngine } from './mis-engine';
import { pgBoss } from './pg-boss';
import { BenchQueue, QueueOptions } from './queue';

export const CONTENDERS = [
  'mis-engine',
  'graphile-worker',
  'graphile-worker-batched',
  'pg-boss',
] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export interface ContenderResult {
  contender: ContenderName;
  enqueuedPerSecond: number;
  processedPerSecond: number;
  cpuMsPerJob: number;
  /** CPU of every PostgreSQL process of the machine during processing, per job (others' load too). */
  databaseCpuMsPerJob: number;
  /** Enqueue to completion as reported: for every contender, when its handler returned. */
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** This engine only: enqueue to the finish event, sent once the completion committed. */
  committedP50Ms?: number;
  committedP99Ms?: number;
}

const JOBS = sizeFromEnv('JOBS', 20_000);
const CONCURRENCY = sizeFromEnv('CONCURRENCY', 8);
const ENQUEUERS = sizeFromEnv('ENQUEUERS', 8);
const LATENCY_JOBS = sizeFromEnv('LATENCY_JOBS', 500);
const LATENCY_RATE = sizeFromEnv('LATENCY_RATE', 100);
const PGBOSS_BATCH = sizeFromEnv('PGBOSS_BATCH', 100);

function open(name: string, options: QueueOptions): Promise<BenchQueue> {
  if (name === 'mis-engine') return misEngine(options);
  if (name === 'graphile-worker') return graphileWorker(options);
  if (name === 'graphile-worker-batched') return graphileWorker(options, true);
  if (name === 'pg-boss') return pgBoss(options, PGBOSS_BATCH);
  throw new Error(`Unknown contender ${name}; one of ${CONTENDERS.join(', ')}`);
}

async function until(what: string, ms: number, done: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** User and system CPU ticks of each PostgreSQL server process on this machine (Linux). */
function databaseTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks;
}

/**
 * CPU ms the PostgreSQL processes used since `before` (processes that ended meanwhile are left
 * out, so it may undercount; other work on the server counts too).
 */
function databaseCpuMsSince(before: Map<string, number>): number {
  let ticks = 0;
  for (const [pid, now] of databaseTicks()) ticks += now - (before.get(pid) ?? 0);
  return (ticks * 1000) / 100;
}

/** A CPU profile of what runs between `start` and `stop`, when CPU_PROFILE names a file. */
async function profiler(): Promise<{ stop: () => Promise<void> }> {
  const file = process.env.CPU_PROFILE;
  if (!file) return { stop: async () => undefined };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function enqueueAll(queue: BenchQueue): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: ENQUEUERS }, async () => {
      while (next < JOBS) await queue.enqueue(next++);
    }),
  );
  return JOBS / ((performance.now() - started) / 1000);
}

async function main(): Promise<void> {
  const name = process.argv[2] as ContenderName;
  const schema = process.env.BENCH_SCHEMA;
  if (!schema) throw new Error('BENCH_SCHEMA is required');
  const queue = await open(name, { url: BENCH_DATABASE_URL, schema, concurrency: CONCURRENCY });
  try {
    const enqueuedPerSecond = await enqueueAll(queue);

    let handled = 0;
    let timing = false;
    const finishedAt = new Map<string, number>();
    const returnedAt = new Map<string, number>();
    const profile = await profiler();
    const cpu = process.cpuUsage();
    const databaseCpu = databaseTicks();
    const started = performance.now();
    await queue.start({
      handled: () => (handled += 1),
      completed: (id) => timing && finishedAt.set(id, performance.now()),
      returned: (id) => timing && returnedAt.set(id, performance.now()),
    });
    const limit = 60_000 + JOBS * 20;
    await until('every job to run', limit, () => handled >= JOBS);
    await until('every completion to commit', limit, async () => {
      return (await queue.completedInDatabase()) >= JOBS;
    });
    const processedPerSecond = JOBS / ((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpu);
    const cpuMsPerJob = (used.user + used.system) / 1000 / JOBS;
    const databaseCpuMsPerJob = databaseCpuMsSince(databaseCpu) / JOBS;
    await profile.stop();

    timing = true;
    const enqueuedAt = new Map<string, number>();
    const pending: Promise<void>[] = [];
    const paceStart = performance.now();
    for (let i = 0; i < LATENCY_JOBS; i++) {
      const due = paceStart + (i * 1000) / LATENCY_RATE;
      if (due > performance.now()) await sleep(due - performance.now());
      const at = performance.now();
      pending.push(queue.enqueue(JOBS + i).then((id) => void enqueuedAt.set(id, at)));
    }
    await Promise.all(pending);
    const ids = [...enqueuedAt.keys()];
    await until('the timed jobs to complete', 60_000, () => ids.every((id) => finishedAt.has(id)));
    const finishes = ids.map((id) => finishedAt.get(id)! - enqueuedAt.get(id)!);
    const reportsReturn = returnedAt.size > 0;
    const latencies = reportsReturn
      ? ids.map((id) => returnedAt.get(id)! - enqueuedAt.get(id)!)
      : finishes;

    const result: ContenderResult = {
      contender: name,
      enqueuedPerSecond,
      processedPerSecond,
      cpuMsPerJob,
      databaseCpuMsPerJob,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      ...(reportsReturn
        ? { committedP50Ms: percentile(finishes, 50), committedP99Ms: percentile(finishes, 99) }
        : {}),
    };
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await queue.close();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
