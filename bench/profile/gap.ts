/**
 * Where the poll's gap to the bare server goes: the built service and the bare baseline
 * (`bench/polling/bare-server.ts`) each run under `node --cpu-prof`, serve the same `GET
 * /api/jobs/{id}` of a pending job (a warm-up, then `REQUESTS` more, 50 connections), and stop;
 * the two profiles are then compared as CPU microseconds per request, by package (own code, Node
 * core and garbage collection apart), start-up and idle time left out. The rows where the service
 * spends more than the bare server are what stands between the two rates.
 *
 * Env: REQUESTS (default 40,000), CONNECTIONS (default 50), BENCH_DATABASE_URL with
 * `DATABASE=postgres` to compare on PostgreSQL (default SQLite). The `.cpuprofile` files stay in
 * `bench/profile/out/gap-*` (open them in Chrome DevTools).
 */
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Profiler } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PENDING, seedPollJobs } from '../polling/seed-jobs';
import {
  compileBare,
  ensurePostgresDatabase,
  ensureServiceBuilt,
  Kind,
  PG_URL,
  startServer,
  stopServer,
} from '../support/http-runs';
import { costPerRequest } from './summarize';

const REQUESTS = Number(process.env.REQUESTS ?? 40_000);
const WARM_UP = Math.max(100, Math.round(REQUESTS / 4));
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

async function profiled(
  kind: Kind,
  bare: string,
  port: number,
  env: NodeJS.ProcessEnv,
  token: string,
): Promise<{ cost: Map<string, number>; requests: number }> {
  const dir = join(__dirname, 'out', `gap-${kind}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = await startServer(kind, bare, port, env, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  let requests = 0;
  try {
    for (const amount of [WARM_UP, REQUESTS]) {
      const result = await autocannon({
        url: `http://127.0.0.1:${port}/api/jobs/${PENDING}`,
        connections: CONNECTIONS,
        amount,
        headers: { authorization: `Bearer ${token}` },
      });
      if (result.errors > 0 || result.non2xx > 0) {
        throw new Error(`${kind}: ${result.errors} errors, ${result.non2xx} answers not 2xx`);
      }
      requests += result.requests.total;
    }
  } finally {
    await stopServer(child);
  }
  const [file] = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`${kind} wrote no profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profiler.Profile;
  // The runner's few health checks fall in the profile too: beside the polls they do not count.
  return { cost: costPerRequest(profile, requests), requests };
}

async function main(): Promise<void> {
  ensureServiceBuilt();
  const bare = compileBare(join(__dirname, '..', 'polling', 'bare-server.ts'));
  const database = process.env.DATABASE === 'postgres' ? 'postgres' : 'sqlite';
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-jobs-gap-'));
  const env: NodeJS.ProcessEnv = {
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: SECRET,
    NODE_ENV: 'production',
    WORKER_ENABLED: 'false',
    RATE_LIMIT_POLL_PER_MINUTE: '1000000',
  };
  if (database === 'postgres') {
    if (!(await ensurePostgresDatabase())) throw new Error('PostgreSQL is unreachable');
    env.DATABASE_URL = PG_URL;
  }
  const token = await new SignJWT({ client_id: 'bench-client', scope: 'job:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
  // The service migrates the database; then the jobs are written straight into it.
  await stopServer(await startServer('service', bare, 4301, env));
  await seedPollJobs(database, env);
  const service = await profiled('service', bare, 4302, env, token);
  const baseline = await profiled('bare', bare, 4303, env, token);
  rmSync(dataDir, { recursive: true, force: true });

  const origins = [...new Set([...service.cost.keys(), ...baseline.cost.keys()])];
  const of = (cost: Map<string, number>, origin: string) => cost.get(origin) ?? 0;
  const sum = (cost: Map<string, number>) => [...cost.values()].reduce((a, b) => a + b, 0);
  const rows = origins
    .map((origin) => [origin, of(service.cost, origin), of(baseline.cost, origin)] as const)
    .filter(([, a, b]) => Math.max(a, b) >= 0.5)
    .sort((x, y) => y[1] - y[2] - (x[1] - x[2]));
  const µs = (value: number) => value.toFixed(1);
  console.log(
    `GET /api/jobs/{id} (pending) on ${database}, ${CONNECTIONS} connections: ` +
      `${service.requests} requests to the service, ${baseline.requests} to the bare server\n`,
  );
  console.log('| CPU µs per request | service | bare | service − bare |');
  console.log('| --- | --- | --- | --- |');
  for (const [origin, a, b] of rows)
    console.log(`| ${origin} | ${µs(a)} | ${µs(b)} | ${µs(a - b)} |`);
  const [a, b] = [sum(service.cost), sum(baseline.cost)];
  console.log(`| **all, busy** | **${µs(a)}** | **${µs(b)}** | **${µs(a - b)}** |`);
  console.log(`\nrate the CPU allows, bare / service: ${(b / a).toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
