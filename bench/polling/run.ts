/**
 * The polling path, `GET /api/jobs/{id}`: a pending job, a processed one (303), an unknown id (404)
 * and a token with a bad signature (401), on the service as shipped against the bare `node:http`
 * baseline doing the same work (bare-server.ts), alternating the two, on SQLite and on
 * PostgreSQL. Reports req/s, p50/p99 latency, the p99 with the load held at half the peak rate,
 * peak RSS and the ratio service / bare; the median of the rounds.
 *
 * Env: DURATION (s per run, default 10), ROUNDS (default 3), CONNECTIONS (default 50),
 * SCENARIOS (comma-separated, default all), BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/mis_bench; SKIP_POSTGRES=1 to skip).
 */
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');
const DURATION = Number(process.env.DURATION ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const HALF_RATE_CONNECTIONS = 8;
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mis_bench';
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const PENDING = 'BenchPendingJob000001';
const PROCESSED = 'BenchProcessedJob0001';
const UNKNOWN = 'BenchUnknownJob000001';

/** What is polled, and with which token. */
interface Scenario {
  name: string;
  id: string;
  token: 'good' | 'bad';
}
const ALL_SCENARIOS: Scenario[] = [
  { name: 'pending', id: PENDING, token: 'good' },
  { name: 'processed', id: PROCESSED, token: 'good' },
  { name: 'unknown id (404)', id: UNKNOWN, token: 'good' },
  { name: 'bad token (401)', id: PENDING, token: 'bad' },
];
const SCENARIOS = ALL_SCENARIOS.filter((scenario) =>
  process.env.SCENARIOS
    ? process.env.SCENARIOS.split(',').some((name) => scenario.name.startsWith(name.trim()))
    : true,
);

type Kind = 'service' | 'bare';
interface Run {
  database: string;
  job: string;
  kind: Kind;
  rps: number;
  p50: number;
  p99: number;
  /** p99 with the load held at half the service's peak rate (its latency target), 8 connections. */
  halfRateP99: number;
  rssMb: number;
}

async function start(kind: Kind, port: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const args =
    kind === 'service'
      ? [join(ROOT, 'dist/apps/api/src/main.js')]
      : [
          '-r',
          'ts-node/register/transpile-only',
          '-r',
          'tsconfig-paths/register',
          join(__dirname, 'bare-server.ts'),
          String(port),
        ];
  // Output goes nowhere: a pipe this process is too busy to drain would slow the server down.
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  for (let tries = 0; tries < 300; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      () => true,
      () => false,
    );
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${kind} did not start on port ${port}`);
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function seed(database: string, env: NodeJS.ProcessEnv): Promise<void> {
  const eta = new Date(Date.now() + 3_600_000);
  const result = JSON.stringify({
    kind: 'links',
    links: [{ entity: 'encounter', href: '/api/patients/p/encounters/e' }],
  });
  const rows: [string, string, number | null, string | null][] = [
    [PENDING, 'waiting', null, null],
    [PROCESSED, 'processed', 200, result],
  ];
  if (database === 'sqlite') {
    const db = new Database(join(env.DATA_DIR!, 'mis-jobs.sqlite'));
    const insert = db.prepare(
      `INSERT OR REPLACE INTO jobs (id, type, client_id, state, status_code, payload, result, eta, attempts, run_at, created_at, updated_at)
       VALUES (?, 'bench', 'bench-client', ?, ?, '{}', ?, ?, 0, ?, ?, ?)`,
    );
    const at = eta.toISOString().replace('T', ' ').replace('Z', '');
    for (const [id, state, code, res] of rows) insert.run(id, state, code, res, at, at, at, at);
    db.close();
    return;
  }
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query('DELETE FROM jobs WHERE id = ANY($1)', [rows.map((row) => row[0])]);
  for (const [id, state, code, res] of rows) {
    await client.query(
      `INSERT INTO jobs (id, type, client_id, state, status_code, payload, result, eta, attempts, run_at)
       VALUES ($1, 'bench', 'bench-client', $2, $3, '{}', $4, $5, 0, $5)`,
      [id, state, code, res, eta],
    );
  }
  await client.end();
}

async function ensurePostgresDatabase(): Promise<boolean> {
  if (process.env.SKIP_POSTGRES) return false;
  const url = new URL(PG_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`PostgreSQL unreachable (${(error as Error).message}); benchmarking SQLite only.`);
    return false;
  }
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return true;
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js')))
    execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
  const sign = (secret: string) =>
    new SignJWT({ client_id: 'bench-client', scope: 'job:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(secret));
  const tokens = { good: await sign(SECRET), bad: await sign(`${SECRET}-not-the-same`) };
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-jobs-bench-'));
  const databases: [string, NodeJS.ProcessEnv][] = [['sqlite', { DATA_DIR: dataDir }]];
  if (await ensurePostgresDatabase())
    databases.push(['postgres', { DATA_DIR: dataDir, DATABASE_URL: PG_URL }]);
  const runs: Run[] = [];
  let port = 4100;
  for (const [database, dbEnv] of databases) {
    const env = {
      ...dbEnv,
      AUTH_JWT_SECRET: SECRET,
      NODE_ENV: 'production',
      WORKER_ENABLED: 'false',
      RATE_LIMIT_POLL_PER_MINUTE: '1000000',
    };
    // The service migrates the database; then the two jobs are written straight into it.
    const migrator = await start('service', ++port, env);
    migrator.kill('SIGTERM');
    await once(migrator, 'exit');
    await seed(database, env);
    for (const { name: job, id, token: which } of SCENARIOS) {
      const token = tokens[which];
      const expected = { good: [200, 303, 404], bad: [401] }[which];
      for (let round = 0; round < ROUNDS; round++) {
        let servicePeak = 0;
        for (const kind of ['service', 'bare'] as Kind[]) {
          const child = await start(kind, ++port, env);
          try {
            const options = {
              url: `http://127.0.0.1:${port}/api/jobs/${id}`,
              connections: CONNECTIONS,
              headers: { authorization: `Bearer ${token}` },
            };
            await autocannon({ ...options, duration: 1 });
            const result = await autocannon({ ...options, duration: DURATION });
            const statuses = Object.entries(result.statusCodeStats ?? {}).filter(
              ([code]) => !expected.includes(Number(code)),
            );
            if (result.errors > 0 || result.requests.total === 0 || statuses.length > 0)
              throw new Error(
                `${kind} failed: ${result.errors} errors, unexpected statuses ${JSON.stringify(statuses)}`,
              );
            if (kind === 'service') servicePeak = result.requests.average;
            // Both at half the service's peak rate, from few connections: autocannon paces a
            // fixed rate in bursts per connection, which alone adds tens of ms at 50 of them.
            const halfRate = await autocannon({
              ...options,
              connections: HALF_RATE_CONNECTIONS,
              duration: DURATION,
              overallRate: Math.max(1, Math.round(servicePeak / 2)),
            });
            const run = {
              database,
              job,
              kind,
              rps: Math.round(result.requests.average),
              p50: result.latency.p50,
              p99: result.latency.p99,
              halfRateP99: halfRate.latency.p99,
              rssMb: peakRssMb(child.pid!),
            };
            runs.push(run);
            console.log(JSON.stringify(run));
          } finally {
            child.kill('SIGTERM');
            await once(child, 'exit');
          }
        }
      }
    }
  }
  rmSync(dataDir, { recursive: true, force: true });

  console.log(
    `\nnode ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${CONNECTIONS} connections, ${DURATION} s x ${ROUNDS} rounds (medians)\n`,
  );
  console.log(
    '| database | job | service req/s | bare req/s | ratio | service p50/p99 ms | bare p50/p99 ms | p99 ms at half the service peak, service / bare | service / bare peak RSS MB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const median = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  };
  for (const [database] of databases) {
    for (const { name: job } of SCENARIOS) {
      const of = (kind: Kind) =>
        runs.filter((r) => r.database === database && r.job === job && r.kind === kind);
      const [service, bare] = [of('service'), of('bare')];
      const ratio = median(service.map((r) => r.rps)) / median(bare.map((r) => r.rps));
      console.log(
        `| ${database} | ${job} | ${Math.round(median(service.map((r) => r.rps)))} | ${Math.round(median(bare.map((r) => r.rps)))} | ${ratio.toFixed(2)} | ` +
          `${median(service.map((r) => r.p50)).toFixed(0)}/${median(service.map((r) => r.p99)).toFixed(0)} | ${median(bare.map((r) => r.p50)).toFixed(0)}/${median(bare.map((r) => r.p99)).toFixed(0)} | ` +
          `${median(service.map((r) => r.halfRateP99)).toFixed(0)} / ${median(bare.map((r) => r.halfRateP99)).toFixed(0)} | ` +
          `${Math.max(...service.map((r) => r.rssMb))} / ${Math.max(...bare.map((r) => r.rssMb))} |`,
      );
    }
  }
}

void main();
