import { DatabaseSession } from '@app/database';
import { newJobId } from '@app/jobs';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { everyScope } from '../support/declared-routes';
import { ExamplePackage, packageWith } from '../support/encounter-package';
import { startTestApp, TestApp } from '../support/test-app';
import { AppRoute, recordRoutes } from './support/route-catalog';

const OWNER = 'mis-owner';
const STRANGER = 'mis-stranger';
const RECORD_OWNERS_MIGRATION = 'RecordOwners1764330000000';

/**
 * Routes whose path parameters name no object a client owns, each with the reason. Every other
 * route with a parameter must be exercised below, or this suite fails.
 */
const NOT_OWNED: Record<string, string> = {
  'POST /api/patients/:patient_id/encounter_package':
    'the patient is the subject of a submission: any client may submit for any patient',
};

/** The route's pattern as a regular expression over paths, `:name` matching one segment. */
function routePattern(route: AppRoute): RegExp {
  const escaped = route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/:\w+/g, '[^/]+')}$`);
}

/** The path with every parameter of the route replaced by an unknown value of the same form. */
function withUnknownIds(route: AppRoute, path: string): string {
  const patterns = route.url.split('/');
  return path
    .split('/')
    .map((segment, i) => {
      if (!patterns[i]?.startsWith(':')) return segment;
      return isUUID(segment) ? randomUUID() : newJobId();
    })
    .join('/');
}

describe('object-level authorization: another client’s id answers as an unknown one', () => {
  let t: TestApp;
  const catalog = recordRoutes();
  const tokens: Record<string, string> = {};
  const http = () => request(t.app.getHttpServer());
  const call = (route: AppRoute, path: string, client: string) =>
    http()
      [route.method.toLowerCase() as 'get'](path)
      .set('authorization', `Bearer ${tokens[client]}`);

  /** Submits as `client`, waits for the job, and answers its final poll. */
  const submitAndFinish = async (client: string, pkg: ExamplePackage, patientId: string) => {
    const accepted = await http()
      .post(`/api/patients/${patientId}/encounter_package`)
      .set('authorization', `Bearer ${tokens[client]}`)
      .send(pkg)
      .expect(202);
    const location: string = accepted.headers.location;
    const done = await http()
      .get(location)
      .set('authorization', `Bearer ${tokens[client]}`)
      .set('prefer', 'wait=20');
    return { location, done };
  };

  beforeAll(async () => {
    t = await startTestApp(
      { WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' },
      { beforeInit: catalog.beforeInit },
    );
    const scope = everyScope(t.app);
    tokens[OWNER] = await t.token({ client_id: OWNER, scope });
    tokens[STRANGER] = await t.token({ client_id: STRANGER, scope });
  });
  afterAll(() => t.close(), 30_000);

  it('every route with an id: the owner reads it, another client gets the unknown-id 404', async () => {
    const patientId = randomUUID();
    const { location, done } = await submitAndFinish(OWNER, packageWith(), patientId);
    expect(done.status).toBe(303);
    const owned: string[] = [
      location,
      ...done.body.data.links.map((link: { href: string }) => link.href),
    ];

    const withIds = catalog.routes.filter((route) => route.url.includes(':'));
    expect(withIds.length).toBeGreaterThan(0);
    const checked: string[] = [];
    for (const route of withIds) {
      const name = `${route.method} ${route.url}`;
      if (NOT_OWNED[name]) continue;
      const path = owned.find((href) => routePattern(route).test(href));
      if (!path) throw new Error(`No object of ${OWNER} matches ${name}: add how to create one`);

      const own = await call(route, path, OWNER);
      expect(`${name} answers the owner ${own.status}`).toMatch(/ (200|303)$/);

      const stranger = await call(route, path, STRANGER);
      const unknown = await call(route, withUnknownIds(route, path), OWNER);
      expect({ name, status: stranger.status }).toEqual({ name, status: 404 });
      expect(unknown.status).toBe(404);
      expect(stranger.body).toEqual({
        error: unknown.body.error,
        meta: { ...unknown.body.meta, url: expect.any(String), request_id: expect.any(String) },
      });
      expect(stranger.body.error.type).toBe('not_found');
      expect(stranger.body.meta.code).toBe(404);
      expect(stranger.headers['content-type']).toBe(unknown.headers['content-type']);
      expect(Object.keys(stranger.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
      checked.push(name);
    }
    console.log(`Object access checked on ${checked.length} routes: ${checked.join(', ')}`);
    expect(checked.length).toBe(withIds.length - Object.keys(NOT_OWNED).length);
  });

  it('another client’s stored visit and condition count as absent for the clinical rules', async () => {
    const patientId = randomUUID();
    const first = packageWith();
    expect((await submitAndFinish(OWNER, first, patientId)).done.status).toBe(303);
    const referring = () =>
      packageWith((pkg) => {
        delete (pkg as Record<string, unknown>).visit;
        pkg.encounter.visit.identifier.value = first.visit.id;
        pkg.encounter.diagnoses[0].condition.identifier.value = first.conditions[0].id;
        pkg.conditions = [];
      });

    const theirs = await submitAndFinish(STRANGER, referring(), patientId);
    expect(theirs.done.status).toBe(200);
    expect(theirs.done.body.data.status).toBe('failed');
    expect(theirs.done.body.data.status_code).toBe(422);
    expect(
      theirs.done.body.data.error.invalid.map((entry: { entry: string }) => entry.entry),
    ).toEqual([
      '$.encounter.visit.identifier.value',
      '$.encounter.diagnoses.[0].condition.identifier.value',
    ]);
    // The owner may refer to its own records.
    expect((await submitAndFinish(OWNER, referring(), patientId)).done.status).toBe(303);
  });

  it('another client reusing a stored id gets 409 and neither reads nor changes the record', async () => {
    const patientId = randomUUID();
    const original = packageWith();
    const { done } = await submitAndFinish(OWNER, original, patientId);
    const encounterHref: string = done.body.data.links[0].href;
    const copy = packageWith((pkg) => {
      pkg.encounter.id = original.encounter.id;
      pkg.conditions[0].context.identifier.value = original.encounter.id;
    });

    const theirs = await submitAndFinish(STRANGER, copy, patientId);
    expect(theirs.done.body.data).toMatchObject({
      status: 'failed',
      status_code: 409,
      error: {
        type: 'request_conflict',
        message: `Encounter ${original.encounter.id} already exists.`,
      },
    });
    await http().get(encounterHref).set('authorization', `Bearer ${tokens[STRANGER]}`).expect(404);
    const own = await http()
      .get(encounterHref)
      .set('authorization', `Bearer ${tokens[OWNER]}`)
      .expect(200);
    expect(own.body.data).toEqual(original.encounter);
  });

  it('records stored before owners were recorded go to their kept job’s client, the rest to none', async () => {
    const patientId = randomUUID();
    const kept = await submitAndFinish(OWNER, packageWith(), patientId);
    const purged = await submitAndFinish(OWNER, packageWith(), patientId);
    const hrefs = (finished: typeof kept): string[] =>
      finished.done.body.data.links.map((link: { href: string }) => link.href);

    // Back to the schema without owners; the second job is gone, as retention would have it.
    const dataSource = t.app.get(DataSource);
    for (;;) {
      const [last] = await dataSource.query<{ name: string }[]>(
        'SELECT "name" FROM "migrations" ORDER BY "id" DESC LIMIT 1',
      );
      await dataSource.undoLastMigration();
      if (last.name === RECORD_OWNERS_MIGRATION) break;
    }
    await t.app
      .get(DatabaseSession)
      .query('DELETE FROM "jobs" WHERE "id" = :id', { id: purged.location.split('/').pop() });
    await dataSource.runMigrations();
    expect(await dataSource.showMigrations()).toBe(false);

    for (const href of hrefs(kept)) {
      await http().get(href).set('authorization', `Bearer ${tokens[OWNER]}`).expect(200);
      await http().get(href).set('authorization', `Bearer ${tokens[STRANGER]}`).expect(404);
    }
    for (const href of hrefs(purged)) {
      for (const client of [OWNER, STRANGER]) {
        await http().get(href).set('authorization', `Bearer ${tokens[client]}`).expect(404);
      }
    }
  });
});
