/**
 * Long poll against plain polling: CLIENTS clients each wait for their own job; the jobs finish
 * one after another over SPREAD seconds (the benchmark completes them as the worker does: the
 * update and its NOTIFY, which carries the finished job, in one transaction). Each client either sends `Prefer: wait=30` or polls
 * every second. Reports, per finished job, the service's database transactions
 * (`pg_stat_database.xact_commit + xact_rollback` of a database of its own, less the benchmark's
 * own and a service start and stop without clients) and the service process's CPU time, and the
 * ratios polling / long poll. The modes alternate over ROUNDS, each on a fresh schema and service.
 *
 * Env: CLIENTS (default 1000), SPREAD (s, default 60), WAIT (s, default 30), ROUNDS (default 1),
 * BENCH_DATABASE_URL (the database used is its name + `_long_poll`, created when missing).
 */
import { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { createSchema, dropSchema } from '../../test/support/test-database';
import {
  BENCH_DATABASE_URL,
  ensureBenchDatabase,
  mean,
  sizeFromEnv,
  sleep,
} from '../engine/bench-database';
import { engineContext } from '../engine/mis-engine';
import { BENCH_CLIENT, inSchema, serviceToken, startService } from '../scale/service';
import { followJob, Mode } from './clients';

const CLIENTS = sizeFromEnv('CLIENTS', 1_000);
const SPREAD = sizeFromEnv('SPREAD', 60);
const WAIT = sizeFromEnv('WAIT', 30);
const ROUNDS = sizeFromEnv('ROUNDS', 1);
const PORT = 4400;

interface Phase {
  mode: Mode | 'none';
  transactions: number;
  cpuMs: number;
  requests: number;
}

const DATABASE_URL = (() => {
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `${url.pathname}_long_poll`;
  return url.toString();
})();

/** Committed and rolled-back transactions of the database so far (a connection of its own). */
async function transactions(): Promise<number> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `SELECT xact_commit + xact_rollback AS count FROM pg_stat_database WHERE datname = current_database()`,
    );
    return Number(rows[0].count);
  } finally {
    await client.end();
  }
}

/** User and system CPU time of a process, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Inserts the pending jobs; autovacuum stays off the schema's tables so it adds no transactions. */
async function insertJobs(url: string, schema: string, count: number): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const tables = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = $1`,
    [schema],
  );
  for (const { name } of tables.rows) {
    await client.query(`ALTER TABLE "${name}" SET (autovacuum_enabled = false)`);
  }
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO jobs (id, type, client_id, state, payload, eta, attempts, run_at)
     SELECT 'Wait' || lpad(g::text, 17, '0'), 'bench.long_poll', $1, 'waiting', '{}',
            now() + interval '1 minute', 0, now() + interval '1 day'
       FROM generate_series(1, $2::int) AS g
     RETURNING id`,
    [BENCH_CLIENT, count],
  );
  await client.end();
  return rows.map((row) => row.id);
}

/** Finishes the jobs one by one over SPREAD seconds, one transaction each. */
async function finishJobs(url: string, ids: string[]): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  for (const [i, id] of ids.entries()) {
    const due = started + ((i + 0.5) * SPREAD * 1000) / ids.length;
    if (due > performance.now()) await sleep(due - performance.now());
    // The finish event as a worker sends it: the job's state, status code, eta and result.
    await client.query(
      `WITH done AS (
         UPDATE jobs SET state = 'processed', status_code = 200,
                result = '{"kind":"data","response_data":{"ok":true}}',
                finished_at = now(), updated_at = now()
          WHERE id = $1 RETURNING id, state, status_code, eta, result)
       SELECT pg_notify('jobs_finished', '[' || json_build_array(
                id, state, status_code, floor(extract(epoch FROM eta) * 1000), result::json)::text || ']')
         FROM done`,
      [id],
    );
  }
  await client.end();
}

async function phase(mode: Phase['mode'], token: string): Promise<Phase> {
  const schema = await createSchema(DATABASE_URL);
  const url = inSchema(DATABASE_URL, schema);
  try {
    await (await engineContext({ url, schema, concurrency: 1 })).close();
    const ids = await insertJobs(url, schema, mode === 'none' ? 0 : CLIENTS);
    await sleep(500);
    const before = await transactions();
    const service = await startService(PORT, url, {
      LONG_POLL_MAX_WAITERS: String(CLIENTS),
      LONG_POLL_MAX_WAITERS_PER_CLIENT: String(CLIENTS),
    });
    const cpuBefore = cpuMs(service.process.pid!);
    let requests = 0;
    if (mode !== 'none') {
      const run = { url: service.url, token, mode, waitSeconds: WAIT };
      const following = Promise.all(ids.map((id) => followJob(run, id)));
      // Every client has asked once before the first job finishes.
      await sleep(1_000);
      await finishJobs(url, ids);
      requests = (await following).reduce((sum, n) => sum + n, 0);
    }
    const cpu = cpuMs(service.process.pid!) - cpuBefore;
    await service.stop();
    // Backends report their counts when they end; the finishing transactions are the benchmark's.
    await sleep(500);
    const counted = (await transactions()) - before - ids.length;
    return { mode, transactions: counted, cpuMs: cpu, requests };
  } finally {
    await dropSchema(DATABASE_URL, schema);
  }
}

export async function benchLongPoll(): Promise<void> {
  await ensureBenchDatabase(DATABASE_URL);
  const token = await serviceToken();
  const baseline = await phase('none', token);
  console.log(JSON.stringify(baseline));
  const phases: Phase[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order: Mode[] = round % 2 === 0 ? ['long-poll', 'polling'] : ['polling', 'long-poll'];
    for (const mode of order) {
      const result = await phase(mode, token);
      phases.push(result);
      console.log(JSON.stringify(result));
    }
  }
  const perJob = (mode: Mode) => {
    const runs = phases.filter((p) => p.mode === mode);
    return {
      transactions: mean(runs.map((p) => (p.transactions - baseline.transactions) / CLIENTS)),
      cpuMs: mean(runs.map((p) => p.cpuMs / CLIENTS)),
      requests: mean(runs.map((p) => p.requests / CLIENTS)),
    };
  };
  const [long, polling] = [perJob('long-poll'), perJob('polling')];
  console.log(
    `\n${CLIENTS} clients, jobs finishing over ${SPREAD} s, Prefer: wait=${WAIT} against a poll ` +
      `every second, ${ROUNDS} rounds (means); a service start and stop alone: ` +
      `${baseline.transactions} transactions\n`,
  );
  console.log('| per finished job | long poll | polling every 1 s | polling / long poll |');
  console.log('| --- | --- | --- | --- |');
  for (const [label, key] of [
    ['database transactions', 'transactions'],
    ['service CPU ms', 'cpuMs'],
    ['requests', 'requests'],
  ] as const) {
    console.log(
      `| ${label} | ${long[key].toFixed(2)} | ${polling[key].toFixed(2)} | ${(polling[key] / long[key]).toFixed(1)} |`,
    );
  }
}

if (require.main === module) {
  benchLongPoll().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
