/**
 * What the HTTP benchmarks share: starting the built service or a bare baseline as a process of
 * its own, its peak memory, the PostgreSQL database, and the median of the rounds.
 */
import autocannon from 'autocannon';
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Client } from 'pg';

export const ROOT = join(__dirname, '..', '..');
export const PG_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mis_bench';

export type Kind = 'service' | 'bare';

/** One measured run of one server. */
export interface Run {
  database: string;
  scenario: string;
  kind: Kind;
  rps: number;
  p50: number;
  p99: number;
  /** p99 with the load held at half the service's peak rate (its latency target), 8 connections. */
  halfRateP99: number;
  rssMb: number;
}

/** Builds the service when it was never built. */
export function ensureServiceBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/apps/api/src/main.js')))
    execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Compiles a bare baseline to JavaScript (under `dist/bench/`, beside the service's build) and
 * returns its entry: it runs on plain `node` as the service does, without TypeScript's compiler
 * in its memory.
 */
export function compileBare(script: string): string {
  const outDir = join(ROOT, 'dist', 'bench');
  execSync(
    `npx tsc --outDir ${outDir} --rootDir . --module commonjs --target es2022 ` +
      `--esModuleInterop --skipLibCheck --sourceMap false ${relative(ROOT, script)}`,
    { cwd: ROOT, stdio: 'inherit' },
  );
  return join(outDir, relative(ROOT, script)).replace(/\.ts$/, '.js');
}

/**
 * Starts the built service, or the compiled bare baseline, and waits until it answers. `nodeFlags`
 * go to `node` itself (`--cpu-prof`, for instance).
 */
export async function startServer(
  kind: Kind,
  bareEntry: string,
  port: number,
  env: NodeJS.ProcessEnv,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  const args = [
    ...nodeFlags,
    ...(kind === 'service' ? [join(ROOT, 'dist/apps/api/src/main.js')] : [bareEntry, String(port)]),
  ];
  // Output goes to a file, not a pipe this process is too busy to drain (that would slow the
  // server down); a server that dies says why there.
  const log = join(tmpdir(), `mis-jobs-bench-${kind}-${port}.log`);
  const out = openSync(log, 'w');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', out],
  });
  closeSync(out);
  child.once('exit', (code, signal) => {
    if (!stopping.has(child))
      throw new Error(`${kind} on port ${port} died (${signal ?? code}); its stderr: ${log}`);
  });
  for (let tries = 0; tries < 300; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      () => true,
      () => false,
    );
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${kind} did not start on port ${port}`);
}

const stopping = new WeakSet<ChildProcess>();

export async function stopServer(child: ChildProcess): Promise<void> {
  stopping.add(child);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** Creates the benchmark database when missing; false (benchmark SQLite only) when unreachable. */
export async function ensurePostgresDatabase(): Promise<boolean> {
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

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Loads a running server: a warm-up second, `duration` seconds from `options.connections` (the
 * peak), then `duration` seconds at half of `servicePeak` (its own peak when not given) from 8
 * connections: the latency target's load. Fails when an answer's status is not one of `expected`.
 */
export async function load(
  options: autocannon.Options,
  duration: number,
  expected: number[],
  servicePeak?: number,
): Promise<{ peak: autocannon.Result; halfRate: autocannon.Result }> {
  await autocannon({ ...options, duration: 1 });
  const peak = await autocannon({ ...options, duration });
  const unexpected = Object.keys(peak.statusCodeStats ?? {}).filter(
    (code) => !expected.includes(Number(code)),
  );
  if (peak.errors > 0 || peak.requests.total === 0 || unexpected.length > 0) {
    throw new Error(`${peak.errors} errors, unexpected statuses ${unexpected.join(', ')}`);
  }
  const halfRate = await autocannon({
    ...options,
    connections: 8,
    duration,
    overallRate: Math.max(1, Math.round((servicePeak ?? peak.requests.average) / 2)),
  });
  return { peak, halfRate };
}

/** The results as a table: the medians per database and scenario, service against bare. */
export function table(runs: Run[], databases: string[], scenarios: string[]): string {
  const lines = [
    '| database | scenario | service req/s | bare req/s | ratio | service p50/p99 ms | bare p50/p99 ms | p99 ms at half the service peak, service / bare | service / bare peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const database of databases) {
    for (const scenario of scenarios) {
      const of = (kind: Kind) =>
        runs.filter((r) => r.database === database && r.scenario === scenario && r.kind === kind);
      const [service, bare] = [of('service'), of('bare')];
      if (service.length === 0 || bare.length === 0) continue;
      const m = (rs: Run[], key: keyof Run) => median(rs.map((r) => r[key] as number));
      lines.push(
        `| ${database} | ${scenario} | ${Math.round(m(service, 'rps'))} | ${Math.round(m(bare, 'rps'))} | ${(m(service, 'rps') / m(bare, 'rps')).toFixed(2)} | ` +
          `${m(service, 'p50').toFixed(0)}/${m(service, 'p99').toFixed(0)} | ${m(bare, 'p50').toFixed(0)}/${m(bare, 'p99').toFixed(0)} | ` +
          `${m(service, 'halfRateP99').toFixed(0)} / ${m(bare, 'halfRateP99').toFixed(0)} | ` +
          `${Math.max(...service.map((r) => r.rssMb))} / ${Math.max(...bare.map((r) => r.rssMb))} |`,
      );
    }
  }
  return lines.join('\n');
}
