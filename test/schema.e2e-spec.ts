import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from './support/test-app';

describe('entities and migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('agree: the schema the migrations built is the one the entities describe', async () => {
    // What `npm run migration:generate` would write: nothing.
    const pending = await t.app.get(DataSource).driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('revert cleanly, and apply again', async () => {
    const dataSource = t.app.get(DataSource);
    const applied = dataSource.migrations.length;
    for (let i = 0; i < applied; i++) await dataSource.undoLastMigration();
    expect(await dataSource.showMigrations()).toBe(true);
    expect(await dataSource.runMigrations()).toHaveLength(applied);
    expect(await dataSource.showMigrations()).toBe(false);
  });
});
