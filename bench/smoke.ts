/**
 * Every benchmark once with tiny sizes, so none of them rots: each runs as `npm run bench:<name>`
 * would, and the smoke fails (exit 1) when any of them fails. Needs PostgreSQL (BENCH_DATABASE_URL).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const TIMEOUT_MS = 5 * 60_000;

const BENCHMARKS: [string, Record<string, string>][] = [
  ['http-adapter', { DURATION: '1', ROUNDS: '1', CONNECTIONS: '5' }],
  ['polling', { DURATION: '1', ROUNDS: '1', CONNECTIONS: '5' }],
  ['submission', { DURATION: '1', ROUNDS: '1', CONNECTIONS: '5' }],
  [
    'engine',
    { JOBS: '100', ROUNDS: '1', LATENCY_JOBS: '10', LATENCY_RATE: '50', PGBOSS_BATCH: '20' },
  ],
  ['engine-work', { PACKAGES: '20', SUBMITTERS: '4', WORKERS: '1', SQLITE_JOBS: '200' }],
  ['scale', { SIZES: '1000,3000', WAITING: '200', CLAIMS: '50', DURATION: '1', ROUNDS: '1' }],
  ['long-poll', { CLIENTS: '20', SPREAD: '1', WAIT: '5', ROUNDS: '1' }],
  ['profile', { REQUESTS: '200', CONCURRENCY: '10' }],
  ['profile-gap', { REQUESTS: '400', CONNECTIONS: '5' }],
];

function run(name: string, sizes: Record<string, string>): Promise<{ ok: boolean; log: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', `bench:${name}`], {
      cwd: ROOT,
      env: { ...process.env, ...sizes },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => (log += String(chunk)));
    child.stderr.on('data', (chunk) => (log += String(chunk)));
    const timer = setTimeout(() => {
      log += `\nStopped after ${TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, log });
    });
  });
}

async function main(): Promise<void> {
  let failed = 0;
  for (const [name, sizes] of BENCHMARKS) {
    const started = performance.now();
    const { ok, log } = await run(name, sizes);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${ok ? 'ok  ' : 'FAIL'} bench:${name} (${seconds} s)`);
    if (!ok) {
      failed += 1;
      console.log(log.split('\n').slice(-40).join('\n'));
    }
  }
  if (failed > 0) {
    console.error(`${failed} benchmark(s) failed`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
