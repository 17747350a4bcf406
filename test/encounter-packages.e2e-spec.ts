import { DatabaseSession } from '@app/database';
import { isPending, JobWorker } from '@app/jobs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ClinicalRecordsRepository } from '../libs/encounter-packages/src/clinical-records.repository';
import { ExamplePackage, packageWith } from './support/encounter-package';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

type Package = ExamplePackage;
const WRITE = 'encounter:write job:read encounter:read condition:read visit:read';

const invalidEntry = (entry: string) => ({
  entry_type: 'json_data_property',
  entry,
  rules: [{ rule: 'invalid', params: [], description: expect.any(String) }],
});

describe('encounter packages, submitted through jobs', () => {
  let t: TestApp;
  let token: string;
  const patientId: string = randomUUID();
  const http = () => request(t.app.getHttpServer());
  const submit = (pkg: unknown, patient = patientId, bearer = token) =>
    http()
      .post(`/api/patients/${patient}/encounter_package`)
      .set('authorization', `Bearer ${bearer}`)
      .send(pkg as object);
  /** Submits, expects 202, and long-polls the job until it is no longer pending. */
  const process = async (pkg: unknown) => {
    const accepted = await submit(pkg).expect(202);
    const location: string = accepted.headers.location;
    const id = location.split('/').pop()!;
    const job = await waitFor(async () => {
      const current = await t.jobs.findById(id);
      return current && !isPending(current.state) ? current : undefined;
    });
    const res = await http().get(location).set('authorization', `Bearer ${token}`);
    return { id, job, res };
  };
  const failedWith = async (pkg: unknown) => {
    const { res } = await process(pkg);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('failed');
    return res.body.data;
  };

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' });
    token = await t.token({ scope: WRITE });
  });
  afterAll(() => t.close(), 30_000);

  it('the example package: 202, the job answers 303, and every link resolves', async () => {
    const pkg = packageWith();
    const accepted = await submit(pkg).expect(202);
    expect(accepted.body.data.status).toBe('pending');
    const location = accepted.headers.location;
    expect(location).toMatch(/^\/api\/jobs\/[\w-]{21}$/);

    const done = await http()
      .get(location)
      .set('authorization', `Bearer ${token}`)
      .set('prefer', 'wait=10');
    expect(done.status).toBe(303);
    const links = done.body.data.links;
    expect(links).toEqual([
      { entity: 'encounter', href: `/api/patients/${patientId}/encounters/${pkg.encounter.id}` },
      {
        entity: 'condition',
        href: `/api/patients/${patientId}/conditions/${pkg.conditions[0].id}`,
      },
      { entity: 'visit', href: `/api/patients/${patientId}/visits/${pkg.visit.id}` },
    ]);
    expect(done.headers.location).toBe(links[0].href);

    const encounter = await http()
      .get(links[0].href)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(encounter.body.data).toEqual(pkg.encounter);
    const condition = await http()
      .get(links[1].href)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(condition.body.data).toEqual(pkg.conditions[0]);
    const visit = await http()
      .get(links[2].href)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(visit.body.data).toEqual(pkg.visit);

    // Another patient's path, an unknown id: 404.
    const otherPatient = links[0].href.replace(patientId, randomUUID());
    await http().get(otherPatient).set('authorization', `Bearer ${token}`).expect(404);
    await http()
      .get(`/api/patients/${patientId}/encounters/${randomUUID()}`)
      .set('authorization', `Bearer ${token}`)
      .expect(404);
    // Each read needs its own scope.
    const jobOnly = await t.token({ scope: 'job:read' });
    const denied = await http()
      .get(links[1].href)
      .set('authorization', `Bearer ${jobOnly}`)
      .expect(403);
    expect(denied.body.error.message).toContain('condition:read');
  });

  it('refers to a visit and a condition stored earlier for the patient', async () => {
    const first = packageWith();
    expect((await process(first)).res.status).toBe(303);
    const second = packageWith((pkg) => {
      delete (pkg as Record<string, unknown>).visit;
      pkg.encounter.visit.identifier.value = first.visit.id;
      pkg.encounter.diagnoses[0].condition.identifier.value = first.conditions[0].id;
      pkg.conditions = [];
    });
    const { res } = await process(second);
    expect(res.status).toBe(303);
    expect(res.body.data.links).toEqual([
      { entity: 'encounter', href: `/api/patients/${patientId}/encounters/${second.encounter.id}` },
    ]);
  });

  describe('the clinical rules, each alone with its exact entry', () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    it.each<[string, (pkg: Package) => void]>([
      ['$.encounter.date', (pkg) => (pkg.encounter.date = future)],
      ['$.encounter.date', (pkg) => (pkg.encounter.date = '2026-11-20T10:30:00.000Z')],
      ['$.visit.period.end', (pkg) => (pkg.visit.period.end = '2026-11-20T08:00:00.000Z')],
      [
        '$.encounter.visit.identifier.value',
        (pkg) => (pkg.encounter.visit.identifier.value = randomUUID()),
      ],
      [
        '$.encounter.diagnoses.[0].condition.identifier.value',
        (pkg) => (pkg.encounter.diagnoses[0].condition.identifier.value = randomUUID()),
      ],
      [
        '$.encounter.diagnoses',
        (pkg) => pkg.encounter.diagnoses.push(structuredClone(pkg.encounter.diagnoses[0])),
      ],
      [
        '$.encounter.diagnoses',
        (pkg) => (pkg.encounter.diagnoses[0].role.coding[0].code = 'secondary'),
      ],
      ['$.encounter.priority', (pkg) => (pkg.encounter.class.code = 'INPATIENT')],
      [
        '$.encounter.reasons',
        (pkg) => {
          pkg.encounter.class.code = 'PHC';
          pkg.encounter.reasons = [];
        },
      ],
      [
        '$.conditions.[0].code.coding.[0].code',
        (pkg) => (pkg.conditions[0].code.coding[0].code = 'J06.99'),
      ],
      [
        '$.conditions.[0].context.identifier.value',
        (pkg) => (pkg.conditions[0].context.identifier.value = randomUUID()),
      ],
    ])('%s', async (entry, change) => {
      const data = await failedWith(packageWith(change));
      expect(data.status_code).toBe(422);
      expect(data.error.type).toBe('validation_failed');
      expect(data.error.invalid).toEqual([invalidEntry(entry)]);
    });

    it('lists every violation at once', async () => {
      const data = await failedWith(
        packageWith((pkg) => {
          pkg.encounter.date = future;
          pkg.encounter.class.code = 'INPATIENT';
          pkg.conditions[0].code.coding[0].code = 'NOT.A.CODE';
          pkg.conditions[0].context.identifier.value = randomUUID();
        }),
      );
      expect(data.error.invalid).toEqual([
        invalidEntry('$.encounter.date'),
        invalidEntry('$.encounter.priority'),
        invalidEntry('$.conditions.[0].code.coding.[0].code'),
        invalidEntry('$.conditions.[0].context.identifier.value'),
      ]);
    });

    it('passes the class rules when their data is there', async () => {
      const inpatient = packageWith((pkg) => {
        pkg.encounter.class.code = 'INPATIENT';
        (pkg.encounter as Record<string, unknown>).priority = {
          coding: [{ system: 'eHealth/encounter_priority', code: 'EM' }],
        };
      });
      expect((await process(inpatient)).res.status).toBe(303);
      const primaryCare = packageWith((pkg) => (pkg.encounter.class.code = 'PHC'));
      expect((await process(primaryCare)).res.status).toBe(303);
    });
  });

  describe('ids that already exist: failed 409 naming the entity', () => {
    it.each<[string, (stored: Package) => (pkg: Package) => void]>([
      ['Encounter', (stored) => (pkg) => (pkg.encounter.id = stored.encounter.id)],
      [
        'Condition',
        (stored) => (pkg) => {
          pkg.conditions[0].id = stored.conditions[0].id;
          pkg.encounter.diagnoses[0].condition.identifier.value = stored.conditions[0].id;
        },
      ],
      [
        'Visit',
        (stored) => (pkg) => {
          pkg.visit.id = stored.visit.id;
          pkg.encounter.visit.identifier.value = stored.visit.id;
        },
      ],
    ])('%s', async (entity, reuse) => {
      const stored = packageWith();
      expect((await process(stored)).res.status).toBe(303);
      const duplicate = packageWith(reuse(stored));
      if (entity === 'Encounter')
        duplicate.conditions[0].context.identifier.value = stored.encounter.id;
      const data = await failedWith(duplicate);
      expect(data.status_code).toBe(409);
      expect(data.error.type).toBe('request_conflict');
      const id =
        entity === 'Encounter'
          ? stored.encounter.id
          : entity === 'Condition'
            ? stored.conditions[0].id
            : stored.visit.id;
      expect(data.error.message).toBe(`${entity} ${id} already exists.`);
    });
  });

  it('refuses a malformed package at submission with every path, and enqueues nothing', async () => {
    const countJobs = async () =>
      Number(
        (
          await t.app
            .get(DatabaseSession)
            .query<{ n: string }>('SELECT COUNT(*) AS n FROM jobs', {})
        )[0].n,
      );
    const before = await countJobs();
    const pkg = packageWith((p) => {
      p.encounter.id = 'not-a-uuid';
      p.encounter.diagnoses[0].role.coding[0].code = 'main';
      p.conditions[0].onset_date = 'yesterday';
      delete (p.encounter as Record<string, unknown>).performer;
      (p.visit as Record<string, unknown>).colour = 'blue';
      p.encounter.class.code = 'EMERGENCY';
    });
    const res = await submit(pkg).expect(422);
    expect(res.body.error.type).toBe('validation_failed');
    const rules = Object.fromEntries(
      res.body.error.invalid.map((entry: { entry: string; rules: { rule: string }[] }) => [
        entry.entry,
        entry.rules.map((rule) => rule.rule).sort(),
      ]),
    );
    expect(rules).toEqual({
      '$.visit.colour': ['schema'],
      '$.encounter.id': ['format'],
      '$.encounter.class.code': ['inclusion'],
      '$.encounter.performer': ['required'],
      '$.encounter.diagnoses.[0].role.coding.[0].code': ['inclusion'],
      '$.conditions.[0].onset_date': ['datetime'],
    });
    expect(await countJobs()).toBe(before);
  });

  it('answers 404 for a patient id that is not a UUID', async () => {
    await submit(packageWith(), 'patient-1').expect(404);
  });

  it('resubmission while pending answers 200 with the same job; another client sees 404', async () => {
    const worker = t.app.get(JobWorker);
    await worker.stop();
    try {
      const pkg = packageWith();
      const first = await submit(pkg).expect(202);
      const again = await submit(pkg).expect(200);
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.body.data).toEqual(first.body.data);
      const stranger = await t.token({ client_id: 'mis-2', scope: WRITE });
      await http()
        .get(first.headers.location)
        .set('authorization', `Bearer ${stranger}`)
        .expect(404);
      // Another client submitting the same package gets a job of its own.
      const theirs = await submit(pkg, patientId, stranger).expect(202);
      expect(theirs.headers.location).not.toBe(first.headers.location);
    } finally {
      await worker.start();
    }
  });

  it('a crash midway leaves failed_with_error and nothing half-written', async () => {
    const records = t.app.get(ClinicalRecordsRepository);
    const store = records.store.bind(records);
    const pkg = packageWith();
    // Only this package's job crashes, after its writes and before its completion commits.
    const spy = jest.spyOn(records, 'store').mockImplementation(async (manager, owner, stored) => {
      await store(manager, owner, stored);
      if (stored.encounter.id === pkg.encounter.id)
        throw new Error('disk full while writing conditions');
    });
    try {
      const { res } = await process(pkg);
      expect(res.body.data.status).toBe('failed_with_error');
      expect(res.body.data.status_code).toBe(500);
      expect(JSON.stringify(res.body)).not.toContain('disk full');
      const owner = { clientId: 'mis-1', patientId };
      expect(await records.findVisit(owner, pkg.visit.id)).toBeNull();
      expect(await records.findEncounter(owner, pkg.encounter.id)).toBeNull();
      expect(await records.findCondition(owner, pkg.conditions[0].id)).toBeNull();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('ENCOUNTER_CLOCK_SKEW_SECONDS: an encounter date a little ahead of the clock', () => {
  const patientId = randomUUID();
  /** A package dated a minute ahead, in a visit that runs from an hour ago to five minutes ahead. */
  const aheadByAMinute = () =>
    packageWith((pkg) => {
      const now = Date.now();
      pkg.visit.period.start = new Date(now - 3_600_000).toISOString();
      pkg.visit.period.end = new Date(now + 300_000).toISOString();
      pkg.encounter.date = new Date(now + 60_000).toISOString();
    });
  const outcomeOn = async (t: TestApp, pkg: unknown) => {
    const token = await t.token({ scope: WRITE });
    const accepted = await request(t.app.getHttpServer())
      .post(`/api/patients/${patientId}/encounter_package`)
      .set('authorization', `Bearer ${token}`)
      .send(pkg as object)
      .expect(202);
    const id = accepted.headers.location.split('/').pop()!;
    await waitFor(async () => {
      const job = await t.jobs.findById(id);
      return job && !isPending(job.state) ? job : undefined;
    });
    return request(t.app.getHttpServer())
      .get(accepted.headers.location)
      .set('authorization', `Bearer ${token}`);
  };

  it.each([
    ['unset: refused as in the future', {}, 422],
    ['120: accepted', { ENCOUNTER_CLOCK_SKEW_SECONDS: '120' }, 303],
  ])(
    '%s',
    async (_, env, expected) => {
      const t = await startTestApp({
        ...env,
        WORKER_ENABLED: 'true',
        JOB_POLL_INTERVAL_SECONDS: '1',
      });
      try {
        const res = await outcomeOn(t, aheadByAMinute());
        if (expected === 303) {
          expect(res.status).toBe(303);
        } else {
          expect(res.status).toBe(200);
          expect(res.body.data.status_code).toBe(422);
          expect(res.body.data.error.invalid).toEqual([invalidEntry('$.encounter.date')]);
        }
      } finally {
        await t.close();
      }
    },
    60_000,
  );
});
