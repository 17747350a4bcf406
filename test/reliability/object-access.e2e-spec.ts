import { DatabaseSession } from '@app/database';
import { EXAMPLE_CLIENT_ID, setupOpenApi } from '@app/http';
import { newJobId } from '@app/jobs';
import type { OpenAPIObject } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { everyScope } from '../support/declared-routes';
import {
  bodyExample,
  createExampleObjects,
  documentedRoutes,
  ExampleObject,
  isOperatorRoute,
  isWrite,
  jobOutcome,
  parametersIn,
  pathOf,
  pathOn,
  Send,
  writeOutcome,
} from '../support/documented-examples';
import { ExamplePackage, packageWith } from '../support/encounter-package';
import { startTestApp, TestApp } from '../support/test-app';

/** The owner is the client the documented examples are written for (they may name it). */
const OWNER = EXAMPLE_CLIENT_ID;
const STRANGER = 'mis-stranger';
const RECORD_OWNERS_MIGRATION = 'RecordOwners1764330000000';

/** The object's address with each of its ids replaced by an unknown one of the same form. */
function withUnknownIds(object: ExampleObject): ExampleObject {
  const known = parametersIn(object.template, object.href) ?? {};
  const unknown = Object.fromEntries(
    Object.entries(known).map(([name, value]) => [name, isUUID(value) ? randomUUID() : newJobId()]),
  );
  return {
    template: object.template,
    href: object.template.replace(/\{(\w+)\}/g, (_, name: string) => unknown[name]),
  };
}

/** An answer, or a job's outcome, that says "not found". */
const notFound = (answer: Response): boolean =>
  answer.status === 404 || answer.body?.data?.status_code === 404;

/** What a write came to, with the ids of the objects it named replaced (they differ by design). */
function outcomeOf(answer: Response, ids: string[]): unknown {
  const outcome =
    answer.body?.data && 'status_code' in answer.body.data
      ? {
          status: answer.status,
          job: answer.body.data.status,
          status_code: answer.body.data.status_code,
          error: answer.body.data.error,
        }
      : { status: answer.status, error: answer.body?.error };
  let text = JSON.stringify(outcome);
  for (const id of ids) text = text.split(id).join('<id>');
  return JSON.parse(text);
}

describe('object-level authorization: another client’s id answers as an unknown one', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  const tokens: Record<string, string> = {};
  const http = () => request(t.app.getHttpServer());
  const as =
    (client: string): Send =>
    (method, path, body, headers = {}) => {
      const sent = http()
        [method as 'get'](path)
        .set('authorization', `Bearer ${tokens[client]}`)
        .set(headers);
      return body === undefined ? sent : sent.send(body as object);
    };

  /** Submits as `client`, waits for the job, and answers its final poll. */
  const submitAndFinish = async (client: string, pkg: ExamplePackage, patientId: string) => {
    const accepted = await http()
      .post(`/api/patients/${patientId}/encounter_package`)
      .set('authorization', `Bearer ${tokens[client]}`)
      .send(pkg)
      .expect(202);
    const location: string = accepted.headers.location;
    const done = await jobOutcome(as(client), location);
    return { location, done };
  };

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' });
    document = setupOpenApi(t.app);
    const scope = everyScope(t.app);
    tokens[OWNER] = await t.token({ client_id: OWNER, scope });
    tokens[STRANGER] = await t.token({ client_id: STRANGER, scope });
  }, 60_000);
  afterAll(() => t.close(), 30_000);

  it('every documented route on an object: the owner reaches it, another client gets what an unknown id gets', async () => {
    const routes = documentedRoutes(document);
    const objects = await createExampleObjects(routes, as(OWNER));
    const onObjects = routes.filter((route) => route.object);
    expect(onObjects.length).toBeGreaterThan(0);
    const checked: string[] = [];
    // Reads first: a write may change what a read answers.
    for (const route of [...onObjects.filter((r) => !isWrite(r)), ...onObjects.filter(isWrite)]) {
      const object = objects.find((candidate) => candidate.template === route.object);
      if (!object) {
        throw new Error(
          `No documented example makes an object served at GET ${route.object} (for ${route.name}): ` +
            'give the route that creates one a request body example',
        );
      }
      const unknownObject = withUnknownIds(object);
      const path = pathOn(route, object);
      const unknownPath = pathOn(route, unknownObject);
      const ids = [object.href, unknownObject.href].map((href) => href.split('/').pop()!);

      if (!isWrite(route)) {
        const own = await as(OWNER)(route.method, path);
        expect(`${route.name} answers the owner ${own.status}`).toMatch(/ (200|303)$/);
        const stranger = await as(STRANGER)(route.method, path);
        const unknown = await as(OWNER)(route.method, unknownPath);
        expect({ route: route.name, status: stranger.status }).toEqual({
          route: route.name,
          status: 404,
        });
        expect(unknown.status).toBe(404);
        expect(stranger.body).toEqual({
          error: unknown.body.error,
          meta: { ...unknown.body.meta, url: expect.any(String), request_id: expect.any(String) },
        });
        expect(stranger.body.error.type).toBe('not_found');
        expect(stranger.headers['content-type']).toBe(unknown.headers['content-type']);
        expect(Object.keys(stranger.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
      } else {
        const body = bodyExample(route.operation);
        const read = () => as(OWNER)('get', object.href);
        const before = (await read()).body.data;
        const stranger = await writeOutcome(
          as(STRANGER),
          await as(STRANGER)(route.method, path, body),
        );
        const unknown = await writeOutcome(
          as(OWNER),
          await as(OWNER)(route.method, unknownPath, body),
        );
        expect({ route: route.name, notFound: notFound(stranger) }).toEqual({
          route: route.name,
          notFound: true,
        });
        expect(outcomeOf(stranger, ids)).toEqual(outcomeOf(unknown, ids));
        expect({ route: route.name, after: (await read()).body.data }).toEqual({
          route: route.name,
          after: before,
        });
        // The owner's own write reaches the object (it may still be refused for its state).
        const own = await writeOutcome(as(OWNER), await as(OWNER)(route.method, path, body));
        expect({ route: route.name, notFound: notFound(own) }).toEqual({
          route: route.name,
          notFound: false,
        });
      }
      checked.push(route.name);
    }
    console.log(`Object access checked on ${checked.length} routes: ${checked.join(', ')}`);
    expect(checked.length).toBe(onObjects.length);

    // A list answers a client its own objects: another client's list names none of them. The
    // operators' lists name every client's jobs by design (see `isOperatorRoute`).
    const lists = routes.filter(
      (route) =>
        route.method === 'get' &&
        !route.object &&
        route.scopes.length > 0 &&
        !isOperatorRoute(route),
    );
    const ownIds = objects.map((object) => object.href.split('/').pop()!);
    for (const route of lists) {
      const own = await as(OWNER)('get', pathOf(route));
      const stranger = await as(STRANGER)('get', pathOf(route));
      expect({ route: route.name, status: stranger.status }).toEqual({
        route: route.name,
        status: own.status,
      });
      const named = (answer: Response) =>
        ownIds.filter((id) => JSON.stringify(answer.body).includes(id));
      expect({ route: route.name, named: named(stranger) }).toEqual({
        route: route.name,
        named: [],
      });
    }
    if (lists.length > 0)
      console.log(`Lists checked: ${lists.map((route) => route.name).join(', ')}`);
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
    const keptPackage = packageWith();
    const kept = await submitAndFinish(OWNER, keptPackage, patientId);
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
    const db = t.app.get(DatabaseSession);
    await db.query('DELETE FROM "jobs" WHERE "id" = :id', { id: purged.location.split('/').pop() });
    // A job processed then kept its payload (payloads are erased at completion since).
    await db.query('UPDATE "jobs" SET "payload" = :payload WHERE "id" = :id', {
      id: kept.location.split('/').pop(),
      payload: JSON.stringify({ patient_id: patientId, package: keptPackage }),
    });
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
