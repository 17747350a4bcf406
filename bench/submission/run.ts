/**
 * The submission path, `POST /api/patients/{id}/encounter_package` answered 202: the service as
 * shipped against the bare `node:http` baseline doing the same work (bare-server.ts), alternating
 * the two, on SQLite and on PostgreSQL. Each request carries a new package (fresh ids), so every one
 * makes a job. Reports req/s, p50/p99 latency, the p99 at half the service's peak rate, peak RSS and
 * the ratio service / bare; the median of the rounds.
 *
 * Env: DURATION (s per run, default 10), ROUNDS (default 3), CONNECTIONS (default 50),
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/mis_bench; SKIP_POSTGRES=1 to skip).
 */
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { packageWith } from '../../test/support/encounter-package';
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

const DURATION = Number(process.env.DURATION ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const SCENARIO = 'new package (202)';

async function emptyJobs(env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.DATABASE_URL) return;
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  await client.query('DELETE FROM jobs');
  await client.end();
}

async function main(): Promise<void> {
  ensureServiceBuilt();
  const BARE = compileBare(join(__dirname, 'bare-server.ts'));
  const token = await new SignJWT({ client_id: 'bench-client', scope: 'encounter:write' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(SECRET));
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-jobs-submit-'));
  const schemaFile = join(dataDir, 'openapi.json');
  const databases: [string, NodeJS.ProcessEnv][] = [['sqlite', { DATA_DIR: dataDir }]];
  if (await ensurePostgresDatabase())
    databases.push(['postgres', { DATA_DIR: dataDir, DATABASE_URL: PG_URL }]);
  const runs: Run[] = [];
  let port = 4300;
  for (const [database, dbEnv] of databases) {
    const env = {
      ...dbEnv,
      AUTH_JWT_SECRET: SECRET,
      NODE_ENV: 'production',
      WORKER_ENABLED: 'false',
      RATE_LIMIT_SUBMIT_PER_MINUTE: '1000000',
      SCHEMA_FILE: schemaFile,
    };
    // The service migrates the database and serves the package's schema the baseline validates with.
    const migrator = await startServer('service', BARE, ++port, env);
    const document = await (await fetch(`http://127.0.0.1:${port}/api/docs-json`)).text();
    writeFileSync(schemaFile, document);
    await stopServer(migrator);
    const patient = randomUUID();
    for (let round = 0; round < ROUNDS; round++) {
      let servicePeak: number | undefined;
      for (const kind of ['service', 'bare'] as Kind[]) {
        await emptyJobs(env);
        const child = await startServer(kind, BARE, ++port, env);
        try {
          const { peak, halfRate } = await load(
            {
              url: `http://127.0.0.1:${port}`,
              connections: CONNECTIONS,
              requests: [
                {
                  method: 'POST',
                  path: `/api/patients/${patient}/encounter_package`,
                  headers: {
                    authorization: `Bearer ${token}`,
                    'content-type': 'application/json',
                  },
                  setupRequest: (request) => ({ ...request, body: JSON.stringify(packageWith()) }),
                },
              ],
            },
            DURATION,
            [202],
            servicePeak,
          );
          if (kind === 'service') servicePeak = peak.requests.average;
          const run: Run = {
            database,
            scenario: SCENARIO,
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
  rmSync(dataDir, { recursive: true, force: true });
  console.log(
    `\nnode ${process.version}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${CONNECTIONS} connections, ${DURATION} s x ${ROUNDS} rounds (medians)\n`,
  );
  console.log(
    table(
      runs,
      databases.map(([name]) => name),
      [SCENARIO],
    ),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
