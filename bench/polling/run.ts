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
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  compileBare,
  ensurePostgresDatabase,
  ensureServiceBuilt,
  Kind,
  load,
  peakRssMb,
  PG_URL,
  Run,
  startServer,
  stopServer,
  table,
} from '../support/http-runs';
import { PENDING, PROCESSED, seedPollJobs, UNKNOWN } from './seed-jobs';

const DURATION = Number(process.env.DURATION ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
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

async function main(): Promise<void> {
  ensureServiceBuilt();
  const BARE = compileBare(join(__dirname, 'bare-server.ts'));
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
    // The service migrates the database; then the jobs are written straight into it.
    await stopServer(await startServer('service', BARE, ++port, env));
    await seedPollJobs(database, env);
    for (const { name: scenario, id, token: which } of SCENARIOS) {
      const expected = { good: [200, 303, 404], bad: [401] }[which];
      for (let round = 0; round < ROUNDS; round++) {
        let servicePeak: number | undefined;
        for (const kind of ['service', 'bare'] as Kind[]) {
          const child = await startServer(kind, BARE, ++port, env);
          try {
            const { peak, halfRate } = await load(
              {
                url: `http://127.0.0.1:${port}/api/jobs/${id}`,
                connections: CONNECTIONS,
                headers: { authorization: `Bearer ${tokens[which]}` },
              },
              DURATION,
              expected,
              servicePeak,
            );
            if (kind === 'service') servicePeak = peak.requests.average;
            const run: Run = {
              database,
              scenario,
              kind,
              rps: Math.round(peak.requests.average),
              p50: peak.latency.p50,
              p99: peak.latency.p99,
              halfRateP99: halfRate.latency.p99,
              rssMb: peakRssMb(child.pid!),
            };
            runs.push(run);
            console.log(JSON.stringify(run));
          } finally {
            await stopServer(child);
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
    table(
      runs,
      databases.map(([name]) => name),
      SCENARIOS.map(({ name }) => name),
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
