import { DatabaseSession } from '@app/database';
import { JobRows } from './support/job-rows';
import { startTestApp, TestApp } from './support/test-app';

/**
 * `DatabaseSession.prepare` (the poll's read, the worker's statements) binds its parameters as
 * `query` does, on either database: the same SQL gives the same rows through both.
 */
describe('prepared statements', () => {
  let t: TestApp;
  let db: DatabaseSession;
  let rows: JobRows;
  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DatabaseSession);
    rows = new JobRows(db);
  });
  afterAll(() => t.close());

  const client = `prepared-${Date.now()}`;
  const clientRows = (sql: string, parameters: Record<string, unknown>) =>
    Promise.all([
      db.query<{ id: string }>(sql, parameters),
      db.prepare<{ id: string }>(`prepared_test_${client}_${sql.length}`, sql)(parameters),
    ]);

  it('find the rows `query` finds, dates compared as the entities store them', async () => {
    const eta = new Date('2026-03-04T05:06:07.089Z');
    const early = await rows.insert({ type: 'prepared', clientId: client, payload: {}, eta });
    // One millisecond later: found only if the date were bound in another form than the stored one.
    await rows.insert({
      type: 'prepared',
      clientId: client,
      payload: {},
      eta: new Date(eta.getTime() + 1),
    });
    const [queried, prepared] = await clientRows(
      `SELECT id FROM jobs WHERE client_id = :client AND eta <= :eta ORDER BY id`,
      { client, eta },
    );
    expect(queried.map((row) => row.id)).toEqual([early.id]);
    expect(prepared).toEqual(queried);
  });

  it('bind whole numbers as integers (a limit) and a parameter named twice', async () => {
    const sql = `SELECT id FROM jobs WHERE client_id = :client AND (type = :type OR :type = 'any')
      ORDER BY id LIMIT :limit`;
    const [queried, prepared] = await clientRows(sql, { client, type: 'prepared', limit: 1 });
    expect(queried).toHaveLength(1);
    expect(prepared).toEqual(queried);
  });

  it('run a write without RETURNING and give no rows', async () => {
    const job = await rows.insert({
      type: 'prepared',
      clientId: client,
      payload: {},
      eta: new Date(),
    });
    const write = db.prepare(
      `prepared_write_${client}`,
      `UPDATE jobs SET status_code = :code WHERE id = :id`,
    );
    await expect(db.serialized(() => write({ code: 418, id: job.id }))).resolves.toEqual([]);
    expect((await rows.findById(job.id))?.statusCode).toBe(418);
  });

  it('reject a statement the database refuses, as `query` does', async () => {
    const broken = db.prepare(`prepared_broken_${client}`, 'SELECT nope FROM jobs WHERE id = :id');
    const refused = await broken({ id: 'x' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    const queried = await db.query('SELECT nope FROM jobs WHERE id = :id', { id: 'x' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/nope/);
    expect((refused as Error).name).toBe((queried as Error).name);
  });
});
