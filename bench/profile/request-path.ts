/**
 * A CPU profile of the request path alone: the real application in-process (as `main.ts` builds
 * it, `NODE_ENV=production`, request logs on, written to /dev/null), warmed up, then profiled
 * while it serves `REQUESTS` (default 5,000) `GET /api/jobs/{id}` for a pending job through
 * Fastify's in-process injection, `CONCURRENCY` (default 50) at a time. Startup stays out of the
 * profile. Prints CPU time per request and the functions and packages that take the most of it;
 * writes the `.cpuprofile` (open it in Chrome DevTools) to `bench/profile/out/`.
 *
 * CPU time per request is the figure to compare between two commits on a quiet machine; the
 * shares (per cent of the profile) hold up even on a busy one.
 *
 * Env: REQUESTS, CONCURRENCY, URL (default the pending job), BENCH_DATABASE_URL to profile on
 * PostgreSQL instead of SQLite, ALLOC=1 to sample allocations (bytes per request, by allocating
 * function and its two callers) instead of CPU.
 */
import { loadConfig } from '@app/config';
import { SignJWT } from 'jose';
import { DatabaseSession } from '@app/database';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { HeapProfiler } from 'node:inspector';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/create-app';
import { JobRows } from '../../test/support/job-rows';
import { summarizeAllocations, summarizeProfile } from './summarize';

const REQUESTS = Number(process.env.REQUESTS ?? 5_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-jobs-profile-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.BENCH_DATABASE_URL,
    AUTH_JWT_SECRET: SECRET,
    WORKER_ENABLED: 'false',
    RATE_LIMIT_POLL_PER_MINUTE: '1000000',
  });
  // Request logs are formatted as in production, then dropped.
  const app = await createApp(config, { logging: { stream: { write: () => undefined } } });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const job = await new JobRows(app.get(DatabaseSession)).insert({
    type: 'profile',
    clientId: 'bench-client',
    payload: {},
    eta: new Date(Date.now() + 3_600_000),
  });

  const token = await new SignJWT({ client_id: 'bench-client', scope: 'job:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
  const fastify = app.getHttpAdapter().getInstance();
  const url = process.env.URL ?? `/api/jobs/${job.id}`;
  const fire = async (count: number): Promise<void> => {
    for (let sent = 0; sent < count; sent += CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONCURRENCY, count - sent) }, () =>
        fastify.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
      );
      for (const response of await Promise.all(batch))
        if (response.statusCode >= 400) throw new Error(`${response.statusCode} ${response.body}`);
    }
  };

  await fire(Math.min(2_000, REQUESTS));
  const session = new Session();
  session.connect();
  if (process.env.ALLOC) {
    // Every allocation sampled, including what the collector has already freed: where the
    // garbage comes from.
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 1024,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as HeapProfiler.StartSamplingParameterType);
    await fire(REQUESTS);
    const { profile: heap } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    await app.close();
    console.log(summarizeAllocations(heap, REQUESTS));
    return;
  }
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  const before = process.cpuUsage();
  await fire(REQUESTS);
  const used = process.cpuUsage(before);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  await app.close();

  const outDir = join(__dirname, 'out');
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `request-path-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  console.log(
    `${REQUESTS} requests to ${url}: ${Math.round((used.user + used.system) / REQUESTS)} µs CPU per request`,
  );
  console.log(summarizeProfile(profile));
  console.log(`profile: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
