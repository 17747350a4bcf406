/**
 * Scale: the poll read, a client's job list (`GET /api/jobs`, a page of 50 of its 1,000 jobs, and
 * its failed ones) and the claim rate with SIZES jobs in the table (default 10,000 and
 * 1,000,000), alternating the sizes over ROUNDS, each in a schema and a service of its own; the
 * `EXPLAIN (ANALYZE, BUFFERS)` plans at the largest size; then the real retention code path
 * (`JobRetention.purge`) deleting the largest table's old finished jobs, timed, with the GET p99
 * while it runs against the GET p99 without it.
 *
 * Env: SIZES (comma-separated, default 10000,1000000), WAITING (waiting jobs per table, default
 * 5000), CLAIMS (per round and size, default 1000), CONCURRENCY (claimers, default 8), DURATION
 * (s per GET run, default 10), CONNECTIONS (default 10), ROUNDS (default 2), BENCH_DATABASE_URL.
 */
import { JobRetention, JobStore } from '@app/jobs';
import { INestApplicationContext } from '@nestjs/common';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { createSchema, dropSchema } from '../../test/support/test-database';
import {
  BENCH_DATABASE_URL,
  ensureBenchDatabase,
  mean,
  sizeFromEnv,
} from '../engine/bench-database';
import { engineContext } from '../engine/mis-engine';
import { fillJobs, LISTED_JOBS, PROCESSED_JOB } from './fill';
import { explainPlans } from './plans';
import { BENCH_LISTER, inSchema, Service, serviceToken, startService } from './service';

const SIZES = (process.env.SIZES ?? '10000,1000000').split(',').map(Number);
const WAITING = sizeFromEnv('WAITING', 5_000);
const CLAIMS = sizeFromEnv('CLAIMS', 1_000);
const CONCURRENCY = sizeFromEnv('CONCURRENCY', 8);
const DURATION = sizeFromEnv('DURATION', 10);
const CONNECTIONS = sizeFromEnv('CONNECTIONS', 10);
const ROUNDS = sizeFromEnv('ROUNDS', 2);

interface Table {
  size: number;
  schema: string;
  service: Service;
  engine: INestApplicationContext;
  gets: Run[];
  lists: Run[];
  failedLists: Run[];
  overviews: Run[];
  crashLists: Run[];
  claimsPerSecond: number[];
}

interface Run {
  rps: number;
  p50: number;
  p99: number;
}

const POLL = `/api/jobs/${PROCESSED_JOB}`;
const LIST = '/api/jobs?page_size=50';
const FAILED_LIST = '/api/jobs?status=failed&page_size=50';
/** The operators' console: its overview, and its first page of crashed jobs. */
const OVERVIEW = '/api/admin/queues';
const CRASH_LIST = '/api/admin/jobs?status=failed_with_error&page_size=25';

function load(service: Service, token: string, duration: number, path = POLL) {
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${service.url}${path}`,
        connections: CONNECTIONS,
        duration,
        headers: { authorization: `Bearer ${token}` },
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  }).then((result) => {
    if (result.errors > 0 || result.non2xx > 0 || result.requests.total === 0)
      throw new Error(`GET failed: ${result.errors} errors, ${result.non2xx} non-2xx`);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  });
  return { done, stop: () => instance?.stop() };
}

/** Claims CLAIMS due jobs one at a time with CONCURRENCY claimers; claims per second. */
async function claimRate(engine: INestApplicationContext): Promise<number> {
  const store = engine.get(JobStore);
  let left = CLAIMS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, claimer) => {
      while (left > 0) {
        left -= 1;
        const now = new Date();
        const until = new Date(now.getTime() + 60_000);
        const { jobs: claimed } = await store.completeAndClaim(
          `bench-${claimer}`,
          [],
          1,
          until,
          now,
        );
        if (claimed.length !== 1) throw new Error('No due job left to claim: raise WAITING');
      }
    }),
  );
  return CLAIMS / ((performance.now() - started) / 1000);
}

async function openTable(size: number, port: number): Promise<Table> {
  const schema = await createSchema(BENCH_DATABASE_URL);
  const url = inSchema(BENCH_DATABASE_URL, schema);
  let service: Service | undefined;
  let engine: INestApplicationContext | undefined;
  try {
    service = await startService(port, url);
    engine = await engineContext({ url, schema, concurrency: CONCURRENCY });
    const client = new Client({ connectionString: url });
    await client.connect();
    const started = performance.now();
    await fillJobs(client, size, Math.min(WAITING, size - 2));
    await client.end();
    console.log(
      `${size} jobs in ${schema}, filled in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return {
      size,
      schema,
      service,
      engine,
      gets: [],
      lists: [],
      failedLists: [],
      overviews: [],
      crashLists: [],
      claimsPerSecond: [],
    };
  } catch (error) {
    // Nothing of a table that did not open is left behind.
    await engine?.close();
    await service?.stop();
    await dropSchema(BENCH_DATABASE_URL, schema);
    throw error;
  }
}

async function retention(table: Table, token: string): Promise<void> {
  const quiet = [await load(table.service, token, DURATION).done];
  const during = load(table.service, token, 3_600);
  const started = performance.now();
  const deleted = await table.engine.get(JobRetention).purge(new Date());
  const seconds = (performance.now() - started) / 1000;
  during.stop();
  const busy = await during.done;
  quiet.push(await load(table.service, token, DURATION).done);
  const quietP99 = mean(quiet.map((run) => run.p99));
  console.log(
    `\nRetention (JobRetention.purge) at ${table.size} jobs: deleted ${deleted} in ${seconds.toFixed(1)} s ` +
      `(${Math.round(deleted / seconds)}/s). GET p99 during it ${busy.p99} ms, without it ${quietP99.toFixed(1)} ms ` +
      `(before and after): ratio ${(busy.p99 / quietP99).toFixed(2)}; req/s ${Math.round(busy.rps)} against ` +
      `${Math.round(mean(quiet.map((run) => run.rps)))}.`,
  );
}

export async function benchScale(): Promise<void> {
  await ensureBenchDatabase();
  const token = await serviceToken();
  const lister = await serviceToken(BENCH_LISTER);
  const operator = await serviceToken('bench-operator', 'job:admin');
  const tables: Table[] = [];
  try {
    for (const size of SIZES) tables.push(await openTable(size, 4300 + tables.length));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? tables : [...tables].reverse();
      for (const table of order) {
        await load(table.service, token, 1).done;
        const get = await load(table.service, token, DURATION).done;
        const list = await load(table.service, lister, DURATION, LIST).done;
        const failedList = await load(table.service, lister, DURATION, FAILED_LIST).done;
        const overview = await load(table.service, operator, DURATION, OVERVIEW).done;
        const crashList = await load(table.service, operator, DURATION, CRASH_LIST).done;
        const claims = await claimRate(table.engine);
        table.gets.push(get);
        table.lists.push(list);
        table.failedLists.push(failedList);
        table.overviews.push(overview);
        table.crashLists.push(crashList);
        table.claimsPerSecond.push(claims);
        console.log(
          JSON.stringify({
            size: table.size,
            get,
            list,
            failedList,
            overview,
            crashList,
            claimsPerSecond: claims,
          }),
        );
      }
    }
    const base = tables[0];
    console.log(
      `\n${CONNECTIONS} connections, ${DURATION} s per GET run, ${ROUNDS} rounds (means)\n`,
    );
    console.log(
      '| jobs in the table | GET req/s | GET p50 / p99 ms | claims/s | GET req/s ratio | claims/s ratio |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const table of tables) {
      const rps = mean(table.gets.map((g) => g.rps));
      const claims = mean(table.claimsPerSecond);
      console.log(
        `| ${table.size} | ${Math.round(rps)} | ${mean(table.gets.map((g) => g.p50)).toFixed(1)} / ` +
          `${mean(table.gets.map((g) => g.p99)).toFixed(1)} | ${Math.round(claims)} | ` +
          `${(rps / mean(base.gets.map((g) => g.rps))).toFixed(2)} | ${(claims / mean(base.claimsPerSecond)).toFixed(2)} |`,
      );
    }
    console.log(
      `\nGET /api/jobs of a client with ${LISTED_JOBS} jobs (a page of 50, newest first; then its ` +
        'failed ones), beside the table above\n',
    );
    console.log(
      '| jobs in the table | list req/s | list p50 / p99 ms | failed list req/s | failed list p50 / p99 ms | list req/s ratio |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    const figures = (runs: Run[]) =>
      `${Math.round(mean(runs.map((r) => r.rps)))} | ${mean(runs.map((r) => r.p50)).toFixed(1)} / ${mean(runs.map((r) => r.p99)).toFixed(1)}`;
    for (const table of tables) {
      const ratio = mean(table.lists.map((r) => r.rps)) / mean(base.lists.map((r) => r.rps));
      console.log(
        `| ${table.size} | ${figures(table.lists)} | ${figures(table.failedLists)} | ${ratio.toFixed(2)} |`,
      );
    }
    console.log("\nThe operators' overview and their first page of crashed jobs\n");
    console.log(
      '| jobs in the table | queues req/s | queues p50 / p99 ms | crashed jobs req/s | crashed jobs p50 / p99 ms |',
    );
    console.log('| --- | --- | --- | --- | --- |');
    for (const table of tables) {
      console.log(`| ${table.size} | ${figures(table.overviews)} | ${figures(table.crashLists)} |`);
    }
    const largest = tables[tables.length - 1];
    const client = new Client({ connectionString: inSchema(BENCH_DATABASE_URL, largest.schema) });
    await client.connect();
    console.log(`\nPlans at ${largest.size} jobs:\n\n${await explainPlans(client)}`);
    await client.end();
    await retention(largest, token);
  } finally {
    for (const table of tables) {
      await table.engine.close();
      await table.service.stop();
      await dropSchema(BENCH_DATABASE_URL, table.schema);
    }
  }
}

if (require.main === module) {
  benchScale().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
