import { DatabaseSession } from '@app/database';
import { isPending, JobsService, JobWorker, newJobId } from '@app/jobs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { ExamplePackage, packageWith } from './support/encounter-package';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const WRITE = 'encounter:write job:read encounter:read condition:read visit:read';
const ERASING_MIGRATION = 'EraseFinishedPayloads1764340000000';

/**
 * Every value a package carries about the patient's care: ids, codes, dates, statuses; not the
 * vocabulary it is written in (code systems, the resource types of its identifiers).
 */
function valuesOf(pkg: unknown): Set<string> {
  const values = new Set<string>();
  const walk = (node: unknown, path: string[]): void => {
    if (typeof node === 'string') {
      const vocabulary = path.at(-1) === 'system' || path.join('.').includes('identifier.type.');
      if (!vocabulary) values.add(node);
    } else if (Array.isArray(node)) {
      for (const item of node) walk(item, path);
    } else if (node && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) walk(value, [...path, name]);
    }
  };
  walk(pkg, []);
  return values;
}

/** The values of `values` found in `text`. */
const foundIn = (text: string, values: Iterable<string>) =>
  [...values].filter((value) => text.includes(value));

/** The values of a row's columns as text, but for its id (random, from no package). */
const columnsOf = (row: Record<string, unknown>, ...without: string[]) =>
  JSON.stringify(
    Object.entries(row)
      .filter(([column]) => !['id', ...without].includes(column))
      .map(([, value]) => value),
  );

describe('clinical payloads, erased when a job finishes', () => {
  let t: TestApp;
  let token: string;
  const patientId = randomUUID();
  const http = () => request(t.app.getHttpServer());
  const submit = (pkg: ExamplePackage) =>
    http()
      .post(`/api/patients/${patientId}/encounter_package`)
      .set('authorization', `Bearer ${token}`)
      .send(pkg);
  const finished = (id: string) =>
    waitFor(
      async () => {
        const job = await t.jobs.findById(id);
        return job && !isPending(job.state) ? job : undefined;
      },
      20_000,
      `job ${id} to finish`,
    );
  const idOf = (res: request.Response) => res.headers.location.split('/').pop()!;
  /** Submits a package and waits for its job to finish; the job's answer and its row. */
  const run = async (pkg: ExamplePackage) => {
    const id = idOf(await submit(pkg).expect(202));
    await finished(id);
    const answer = await http().get(`/api/jobs/${id}`).set('authorization', `Bearer ${token}`);
    return { id, answer, row: (await t.jobs.raw(id))! };
  };

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' });
    token = await t.token({ client_id: 'mis-erasure', scope: WRITE });
  });
  afterAll(() => t.close(), 30_000);

  it('processed: the row keeps the links to what was stored, and nothing else of the package', async () => {
    const pkg = packageWith();
    const { answer, row } = await run(pkg);
    expect(answer.status).toBe(303);
    expect(row).toMatchObject({ state: 'processed', payload: null, dedupe_key: null });
    // The answer names the records it stored, by their ids; that is all the row holds of them.
    const links = [
      { entity: 'encounter', href: `/api/patients/${patientId}/encounters/${pkg.encounter.id}` },
      {
        entity: 'condition',
        href: `/api/patients/${patientId}/conditions/${pkg.conditions[0].id}`,
      },
      { entity: 'visit', href: `/api/patients/${patientId}/visits/${pkg.visit.id}` },
    ];
    expect(JSON.parse(row.result as string)).toEqual({ kind: 'links', links });
    const values = valuesOf({ patient_id: patientId, package: pkg });
    expect(foundIn(columnsOf(row, 'result'), values)).toEqual([]);
    const linked = [patientId, pkg.encounter.id, pkg.conditions[0].id, pkg.visit.id];
    const unlinked = [...values].filter((value) => !linked.includes(value));
    expect(unlinked.length).toBeGreaterThan(5);
    expect(foundIn(String(row.result), unlinked)).toEqual([]);
  });

  it('failed (a clinical rule, 422): the row holds no value of the package at all', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const pkg = packageWith((changed) => (changed.encounter.date = future));
    const { answer, row } = await run(pkg);
    expect(answer.body.data).toMatchObject({ status: 'failed', status_code: 422 });
    expect(row).toMatchObject({ state: 'failed', payload: null, dedupe_key: null });
    const values = valuesOf({ patient_id: patientId, package: pkg });
    expect(values).toContain(future);
    expect(foundIn(columnsOf(row), values)).toEqual([]);
  });

  it('failed_with_error: the job keeps its payload, so an operator can run it again', async () => {
    const payload = { patient_id: patientId, code: 'J06.9', date: '2026-11-20T09:30:00.000Z' };
    const { job } = await t.app
      .get(JobsService)
      .enqueue('test.crash', payload, { clientId: 'mis-erasure' });
    await finished(job.id);
    const row = (await t.jobs.raw(job.id))!;
    expect(row.state).toBe('failed_with_error');
    expect(JSON.parse(row.payload as string)).toEqual(payload);
    expect(row.dedupe_key).toBe(job.dedupeKey);
  });

  it('the same package sent again while its job is pending gets that job; once it finished, a new one', async () => {
    const pkg = packageWith();
    const worker = t.app.get(JobWorker);
    await worker.stop();
    const first = await (async () => {
      try {
        const id = idOf(await submit(pkg).expect(202));
        const again = await submit(pkg).expect(200);
        expect(idOf(again)).toBe(id);
        const pending = (await t.jobs.raw(id))!;
        expect(pending.state).toBe('waiting');
        expect(JSON.parse(pending.payload as string)).toEqual({
          patient_id: patientId,
          package: pkg,
        });
        expect(pending.dedupe_key).toMatch(/^[0-9a-f]{64}$/);
        return id;
      } finally {
        await worker.start();
      }
    })();
    expect((await finished(first)).state).toBe('processed');
    expect(await t.jobs.raw(first)).toMatchObject({ payload: null, dedupe_key: null });
    // Its records exist now: the new job fails (409), and is erased too.
    const later = idOf(await submit(pkg).expect(202));
    expect(later).not.toBe(first);
    expect(await finished(later)).toMatchObject({
      state: 'failed',
      statusCode: 409,
      payload: null,
    });
  });
});

describe('the migration that erases payloads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** Reverts migrations, newest first, up to and including `name`. */
  const revertThrough = async (dataSource: DataSource, name: string) => {
    for (;;) {
      const [last] = await dataSource.query<{ name: string }[]>(
        'SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1',
      );
      await dataSource.undoLastMigration();
      if (last.name === name) return;
    }
  };

  it('erases the payloads of jobs finished before it; failed_with_error and pending jobs keep theirs', async () => {
    const dataSource = t.app.get(DataSource);
    await revertThrough(dataSource, ERASING_MIGRATION);
    const payload = { patient_id: randomUUID(), code: 'J06.9' };
    const old = new Date(Date.now() - 86_400_000);
    // Plain SQL with the columns the table had then: later migrations (the operators' retries)
    // add columns the entity names, and they are reverted here too.
    const db = t.app.get(DatabaseSession);
    const make = async (
      state: 'processed' | 'failed' | 'failed_with_error' | 'waiting',
      n: number,
    ) => {
      const job = { id: newJobId(), dedupeKey: String(n).repeat(64) };
      await db.serialized(() =>
        db.query(
          `INSERT INTO jobs (id, type, client_id, state, payload, eta, dedupe_key, attempts,
                             run_at, created_at, updated_at)
           VALUES (:id, 'test.old', 'mis-old', :state, :payload, :old, :dedupeKey, 0, :runAt,
                   :old, :old)`,
          {
            ...job,
            state,
            payload: JSON.stringify(payload),
            old,
            runAt: new Date(Date.now() + 3_600_000),
          },
        ),
      );
      return job;
    };
    const [processed, failed, crashed, waiting] = await Promise.all([
      make('processed', 1),
      make('failed', 2),
      make('failed_with_error', 3),
      make('waiting', 4),
    ]);

    const applied = await dataSource.runMigrations();
    expect(applied.map((migration) => migration.name)).toContain(ERASING_MIGRATION);

    for (const job of [processed, failed]) {
      expect(await t.jobs.raw(job.id)).toMatchObject({ payload: null, dedupe_key: null });
    }
    for (const job of [crashed, waiting]) {
      const row = (await t.jobs.raw(job.id))!;
      expect(JSON.parse(row.payload as string)).toEqual(payload);
      expect(row.dedupe_key).toBe(job.dedupeKey);
    }
  });
});
