import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ExamplePackage, packageWith } from './support/encounter-package';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const SCOPES = 'encounter:write job:read encounter:read condition:read visit:read';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Words of the package that are also ordinary words of the service's own lines (an enum or a
 * dictionary name, not patient data): a line may say "visit" or "finished" about anything.
 */
const ORDINARY_WORDS = new Set([
  'finished',
  'visit',
  'encounter',
  'condition',
  'employee',
  'primary',
  'active',
  'confirmed',
  'AMB',
  'eHealth/resources',
]);

/** Every string and number the package carries, except the ids that name its records. */
function clinicalValues(value: unknown): string[] {
  if (typeof value === 'string') return UUID.test(value) ? [] : [value];
  if (typeof value === 'number') return [];
  if (Array.isArray(value)) return value.flatMap(clinicalValues);
  if (value && typeof value === 'object') return Object.values(value).flatMap(clinicalValues);
  return [];
}

/**
 * What the service keeps and writes of clinical data: the audit trail of clinical reads, and no
 * clinical content in any log line, at `debug`, through a whole flow.
 */
describe('clinical data in logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const patient = randomUUID();
  let token: string;
  const http = () => request(t.app.getHttpServer());
  const get = (path: string, bearer = token) =>
    http().get(path).set('authorization', `Bearer ${bearer}`);

  /** Submits a package and waits for its job's answer (a 303 or a failure). */
  const run = async (pkg: ExamplePackage) => {
    const accepted = await http()
      .post(`/api/patients/${patient}/encounter_package`)
      .set('authorization', `Bearer ${token}`)
      .send(pkg)
      .expect(202);
    return waitFor(async () => {
      const res = await get(accepted.headers.location).set('prefer', 'wait=5');
      return res.body.data?.status === 'pending' ? undefined : res;
    }, 20_000);
  };

  beforeAll(async () => {
    t = await startTestApp(
      { WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1', LOG_LEVEL: 'debug' },
      { logging: { stream: { write: (line: string) => lines.push(line) } } },
    );
    token = await t.token({ client_id: 'mis-audit', scope: SCOPES });
  });
  afterAll(() => t.close(), 30_000);

  it('reads write one audit event each, found or not, with no-store, and nothing of the record', async () => {
    const pkg = packageWith();
    const processed = await run(pkg);
    expect(processed.status).toBe(303);
    const encounterPath = `/api/patients/${patient}/encounters/${pkg.encounter.id}`;
    const before = entries().length;

    const found = await get(encounterPath).expect(200);
    expect(found.headers['cache-control']).toBe('no-store');
    await get(`/api/patients/${patient}/conditions/${pkg.conditions[0].id}`).expect(200);
    const unknown = randomUUID();
    const missing = await get(`/api/patients/${patient}/visits/${unknown}`).expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const other = await t.token({ client_id: 'mis-other', scope: SCOPES });
    await get(encounterPath, other).expect(404);

    const audit = entries()
      .slice(before)
      .filter((entry) => entry.audit === true);
    const event = (client: string, type: string, id: string, outcome: string) => ({
      audit: true,
      event: 'clinical_record_read',
      client_id: client,
      patient_id: patient,
      record_type: type,
      record_id: id,
      outcome,
      request_id: expect.any(String),
      time: expect.any(Number),
    });
    const fieldsOf = (entry: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(entry).filter(([key]) => !['level', 'pid', 'hostname', 'msg'].includes(key)),
      );
    expect(audit.map(fieldsOf)).toEqual([
      event('mis-audit', 'encounter', pkg.encounter.id, 'found'),
      event('mis-audit', 'condition', pkg.conditions[0].id, 'found'),
      event('mis-audit', 'visit', unknown, 'not_found'),
      event('mis-other', 'encounter', pkg.encounter.id, 'not_found'),
    ]);
  }, 60_000);

  it('no log line carries a value of the package, through submit, process, a failed rule and reads', async () => {
    // Values of its own, so that a match can only be a leak.
    const pkg = packageWith((p) => {
      p.encounter.performer.identifier.type.coding[0].system = 'leak-probe/performer-system';
      p.encounter.reasons[0].coding[0].code = 'R05';
      p.conditions[0].code.coding[0].system = 'leak-probe/icd10-system';
      p.conditions[0].onset_date = '2026-11-18T07:41:13.000Z';
    });
    const broken = packageWith((p) => {
      p.conditions[0].code.coding[0].code = 'Z99.9-not-a-code';
      p.encounter.date = '2026-11-20T09:31:07.000Z';
    });
    const before = entries().length;
    expect((await run(pkg)).status).toBe(303);
    const failed = await run(broken);
    expect(failed.body.data.status).toBe('failed');
    for (const link of ['encounters', 'conditions', 'visits']) {
      const id =
        link === 'encounters'
          ? pkg.encounter.id
          : link === 'conditions'
            ? pkg.conditions[0].id
            : pkg.visit.id;
      await get(`/api/patients/${patient}/${link}/${id}`).expect(200);
    }

    const written = lines.slice(before).join('\n');
    // The flow was logged: its requests, the jobs the worker ran, the reads' audit events.
    expect(written).toContain('"outcome":"processed"');
    expect(written).toContain('"outcome":"failed"');
    expect(written).toContain('"audit":true');
    const leaked = [...new Set([...clinicalValues(pkg), ...clinicalValues(broken)])]
      .filter((value) => !ORDINARY_WORDS.has(value))
      .filter((value) => written.includes(value));
    expect(leaked).toEqual([]);
  }, 60_000);
});
