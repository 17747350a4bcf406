/**
 * The job engine against pg-boss and graphile-worker (its defaults, and its batched setting) on one
 * PostgreSQL: each run enqueues the same
 * no-op jobs and processes them at the same concurrency, in a fresh schema and a process of its
 * own; the contenders alternate over ROUNDS (the order rotates each round). Reports enqueued/s,
 * processed/s, worker CPU per job, enqueue-to-completion p50/p99, and ratios against
 * graphile-worker. Env: see contender.ts, plus ROUNDS (default 3) and BENCH_DATABASE_URL.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { childEnv, tsNodeArgs } from '../../test/support/run-entry';
import { createSchema, dropSchema } from '../../test/support/test-database';
import { BENCH_DATABASE_URL, ensureBenchDatabase, mean, sizeFromEnv } from './bench-database';
import { ContenderName, ContenderResult, CONTENDERS } from './contender';

const ROUNDS = sizeFromEnv('ROUNDS', 3);
const SIZES = ['JOBS', 'CONCURRENCY', 'ENQUEUERS', 'LATENCY_JOBS', 'LATENCY_RATE', 'PGBOSS_BATCH'];

async function runContender(name: ContenderName): Promise<ContenderResult> {
  const schema = await createSchema(BENCH_DATABASE_URL);
  try {
    const sizes = Object.fromEntries(SIZES.flatMap((key) => [[key, process.env[key]]]));
    const child = spawn(process.execPath, [...tsNodeArgs('bench/engine/contender.ts'), name], {
      env: childEnv({ ...sizes, BENCH_DATABASE_URL, BENCH_SCHEMA: schema }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const line = /^RESULT (.*)$/m.exec(output);
    if (code !== 0 || !line) throw new Error(`${name} failed (exit ${code}): ${output}`);
    return JSON.parse(line[1]) as ContenderResult;
  } finally {
    await dropSchema(BENCH_DATABASE_URL, schema);
  }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

export async function benchEngine(): Promise<void> {
  await ensureBenchDatabase();
  const loadBefore = load();
  const results: ContenderResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < CONTENDERS.length; i++) {
      const result = await runContender(CONTENDERS[(i + round) % CONTENDERS.length]);
      results.push(result);
      console.log(JSON.stringify(result));
    }
  }
  const of = (name: ContenderName, key: keyof Omit<ContenderResult, 'contender'>) =>
    mean(results.filter((r) => r.contender === name).map((r) => r[key] ?? NaN));
  const base = of('graphile-worker', 'processedPerSecond');
  const batchedBase = of('graphile-worker-batched', 'processedPerSecond');
  const enqueueBase = of('graphile-worker', 'enqueuedPerSecond');
  console.log(
    `\nnode ${process.version}, ${cpus().length} cores, ${process.env.JOBS ?? 20_000} jobs, ` +
      `concurrency ${process.env.CONCURRENCY ?? 8}, ${ROUNDS} rounds (means); load average ` +
      `${loadBefore} before, ${load()} after\n`,
  );
  console.log(
    '| contender | enqueued/s | processed/s | processed / graphile-worker | processed / graphile-worker-batched | enqueued / graphile-worker | worker CPU ms/job | database CPU ms/job | latency p50 / p99 ms |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const name of CONTENDERS) {
    console.log(
      `| ${name} | ${of(name, 'enqueuedPerSecond').toFixed(0)} | ${of(name, 'processedPerSecond').toFixed(0)} | ` +
        `${(of(name, 'processedPerSecond') / base).toFixed(2)} | ${(of(name, 'processedPerSecond') / batchedBase).toFixed(2)} | ` +
        `${(of(name, 'enqueuedPerSecond') / enqueueBase).toFixed(2)} | ${of(name, 'cpuMsPerJob').toFixed(3)} | ` +
        `${of(name, 'databaseCpuMsPerJob').toFixed(3)} | ${of(name, 'latencyP50Ms').toFixed(1)} / ${of(name, 'latencyP99Ms').toFixed(1)} |`,
    );
  }
  const engineRuns = results.filter((r) => r.contender === 'mis-engine');
  console.log(
    `\nmis-engine, enqueue to the finish event sent after the completion committed: p50 / p99 ` +
      `${mean(engineRuns.map((r) => r.committedP50Ms ?? NaN)).toFixed(1)} / ` +
      `${mean(engineRuns.map((r) => r.committedP99Ms ?? NaN)).toFixed(1)} ms`,
  );
  const ratio = (other: ContenderName) =>
    (of('mis-engine', 'processedPerSecond') / of(other, 'processedPerSecond')).toFixed(2);
  console.log(
    `\nmis-engine processed/s against graphile-worker ${ratio('graphile-worker')}, ` +
      `graphile-worker-batched ${ratio('graphile-worker-batched')}, pg-boss ${ratio('pg-boss')}`,
  );
}

if (require.main === module) {
  benchEngine().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
