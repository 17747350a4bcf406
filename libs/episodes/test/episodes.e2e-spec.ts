import { DatabaseSession } from '@app/database';
import {
  EpisodesService,
  EXAMPLE_CANCEL,
  EXAMPLE_CLOSE,
  EXAMPLE_EPISODE,
  EXAMPLE_UPDATE,
} from '@app/episodes';
import { JobWorker } from '@app/jobs';
import { randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import { packageWith } from '../../../test/support/encounter-package';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { EpisodesRepository } from '../src/episodes.repository';

/**
 * Episodes of care end to end, on SQLite or on PostgreSQL (`TEST_DATABASE_URL`): every route, every
 * rule of its job alone with its exact entry, the state changes and the status history, the list,
 * the scopes, another client's episodes, and encounters joining episodes.
 */

const OWNER = 'mis-1';
const STRANGER = 'mis-2';
const SCOPES = 'episode:write episode:read job:read encounter:write encounter:read';

type Body = Record<string, unknown>;
type Episode = typeof EXAMPLE_EPISODE;

/** The example episode with a fresh id, for `OWNER`, changed by `change`. */
function episodeWith(change: (episode: Episode) => void = () => undefined): Episode {
  const episode = structuredClone(EXAMPLE_EPISODE);
  episode.id = randomUUID();
  change(episode);
  return episode;
}

const invalid = (entry: string, description: string) => ({
  entry_type: 'json_data_property',
  entry,
  rules: [{ rule: 'invalid', params: [], description }],
});

/** The entries of a 422 as `[entry, rules]`. */
const entriesOf = (res: Response) =>
  res.body.error.invalid.map((entry: { entry: string; rules: { rule: string }[] }) => [
    entry.entry,
    entry.rules.map((rule) => rule.rule),
  ]);

/** One entry at `entry` that breaks (at least) `rule`. */
const oneEntry = (entry: string, rule: string) => [[entry, expect.arrayContaining([rule])]];

const notInDictionary = (entry: string, codes: string[]) => ({
  entry_type: 'json_data_property',
  entry,
  rules: [{ rule: 'inclusion', params: codes, description: 'value is not allowed in enum' }],
});

describe('episodes of care, written through jobs', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const http = () => request(t.app.getHttpServer());
  const send = (method: string, path: string, body?: unknown, client = OWNER) => {
    const sent = http()[method as 'get'](path).set('authorization', `Bearer ${tokens[client]}`);
    return body === undefined ? sent : sent.send(body as object);
  };
  const episodesOf = (patientId: string) => `/api/patients/${patientId}/episodes`;
  const episodeAt = (patientId: string, id: string) => `${episodesOf(patientId)}/${id}`;

  /** The job's last answer, long-polled until it is no longer pending. */
  const outcome = async (accepted: Response, client = OWNER): Promise<Response> => {
    expect({ status: accepted.status, body: accepted.body }).toMatchObject({
      status: 202,
      body: { data: { status: 'pending' } },
    });
    for (let polls = 0; polls < 10; polls++) {
      const answer = await send('get', accepted.headers.location, undefined, client).set(
        'prefer',
        'wait=20',
      );
      if (answer.status !== 200 || answer.body.data.status !== 'pending') return answer;
    }
    throw new Error(`${accepted.headers.location} still pending`);
  };
  /** Submits a write and answers its job's outcome. */
  const write = async (method: string, path: string, body: unknown, client = OWNER) =>
    outcome(await send(method, path, body, client), client);
  /** The job ended `failed`: its status code and error. */
  const failure = (answer: Response) => {
    expect({ status: answer.status, job: answer.body.data?.status }).toEqual({
      status: 200,
      job: 'failed',
    });
    return { status_code: answer.body.data.status_code, error: answer.body.data.error };
  };
  const conflict = (message: string) => ({
    status_code: 409,
    error: { type: 'request_conflict', message },
  });
  const validationFailed = (...entries: unknown[]) => ({
    status_code: 422,
    error: expect.objectContaining({ type: 'validation_failed', invalid: entries }),
  });
  const NOT_FOUND = {
    status_code: 404,
    error: { type: 'not_found', message: 'Episode not found.' },
  };

  /** Creates an episode for the patient and answers it as read back. */
  const created = async (patientId: string, episode: Episode = episodeWith()) => {
    const done = await write('post', episodesOf(patientId), episode);
    expect(done.status).toBe(303);
    return (await send('get', episodeAt(patientId, episode.id)).expect(200)).body.data;
  };
  const closed = async (patientId: string, id: string) => {
    expect(
      (await write('patch', `${episodeAt(patientId, id)}/actions/close`, EXAMPLE_CLOSE)).status,
    ).toBe(303);
  };
  const cancelled = async (patientId: string, id: string) => {
    expect(
      (await write('patch', `${episodeAt(patientId, id)}/actions/cancel`, EXAMPLE_CANCEL)).status,
    ).toBe(303);
  };
  const read = async (patientId: string, id: string) =>
    (await send('get', episodeAt(patientId, id)).expect(200)).body.data;
  const countJobs = async () =>
    Number(
      (
        await t.app.get(DatabaseSession).query<{ n: string }>('SELECT COUNT(*) AS n FROM jobs', {})
      )[0].n,
    );
  /** Makes the stored episode managed by another legal entity than its client (data from elsewhere). */
  const managedElsewhere = (id: string) =>
    t.app
      .get(DatabaseSession)
      .query('UPDATE "episodes" SET "managing_organization" = :org WHERE "id" = :id', {
        org: 'legal-entity-elsewhere',
        id,
      });

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_POLL_INTERVAL_SECONDS: '1',
      // One client writes far more here than a MIS would in a minute.
      RATE_LIMIT_SUBMIT_PER_MINUTE: '100000',
    });
    tokens[OWNER] = await t.token({ client_id: OWNER, scope: SCOPES });
    tokens[STRANGER] = await t.token({ client_id: STRANGER, scope: SCOPES });
  }, 60_000);
  afterAll(() => t.close(), 30_000);

  describe('POST /api/patients/{patient_id}/episodes (episode.create)', () => {
    it('the example: 202, the job answers 303 to the episode, which reads back as created', async () => {
      const patientId = randomUUID();
      const episode = episodeWith();
      const accepted = await send('post', episodesOf(patientId), episode);
      expect(accepted.status).toBe(202);
      expect(accepted.headers.location).toMatch(/^\/api\/jobs\/[\w-]{21}$/);
      const done = await outcome(accepted);
      const href = episodeAt(patientId, episode.id);
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(href);
      expect(done.body.data.links).toEqual([{ entity: 'episode', href }]);

      const res = await send('get', href).expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const { status_history: history, inserted_at: insertedAt, ...episodeNow } = res.body.data;
      expect(episodeNow).toEqual({ ...episode, updated_at: insertedAt });
      expect(history).toEqual([{ status: 'active', inserted_at: insertedAt, inserted_by: OWNER }]);
      expect(Date.parse(insertedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('an id that exists, also another client’s: failed 422 at $.id', async () => {
      const patientId = randomUUID();
      const episode = episodeWith();
      await created(patientId, episode);
      const again = failure(await write('post', episodesOf(patientId), episode));
      expect(again).toEqual(
        validationFailed(invalid('$.id', 'Episode with such id already exists')),
      );
      const theirs = structuredClone(episode);
      theirs.managing_organization.identifier.value = STRANGER;
      const other = failure(await write('post', episodesOf(randomUUID()), theirs, STRANGER));
      expect(other).toEqual(
        validationFailed(invalid('$.id', 'Episode with such id already exists')),
      );
    });

    it('a managing organization that is not the caller: failed 422 at its identifier value', async () => {
      const episode = episodeWith((e) => (e.managing_organization.identifier.value = STRANGER));
      expect(failure(await write('post', episodesOf(randomUUID()), episode))).toEqual(
        validationFailed(
          invalid(
            '$.managing_organization.identifier.value',
            "Managing_organization does not correspond to user's legal_entity",
          ),
        ),
      );
    });

    it('a type outside eHealth/episode_types: failed 422 inclusion, naming the codes', async () => {
      const episode = episodeWith((e) => (e.type.code = 'surgery'));
      expect(failure(await write('post', episodesOf(randomUUID()), episode))).toEqual(
        validationFailed(notInDictionary('$.type.code', ['primary_care', 'treatment'])),
      );
    });

    it('every rule broken at once: every entry, in the order of the body', async () => {
      const patientId = randomUUID();
      const stored = await created(patientId);
      const episode = episodeWith((e) => {
        e.id = stored.id;
        e.type.code = 'surgery';
        e.managing_organization.identifier.value = STRANGER;
      });
      const entries = failure(await write('post', episodesOf(patientId), episode)).error.invalid;
      expect(entries.map((entry: { entry: string }) => entry.entry)).toEqual([
        '$.id',
        '$.type.code',
        '$.managing_organization.identifier.value',
      ]);
    });

    it.each<[string, string, (episode: Body) => void]>([
      ['$.colour', 'schema', (e) => (e.colour = 'blue')],
      ['$.id', 'format', (e) => (e.id = 'episode-1')],
      ['$.status', 'inclusion', (e) => (e.status = 'closed')],
      ['$.name', 'length', (e) => (e.name = '')],
      ['$.name', 'required', (e) => delete e.name],
      ['$.type.system', 'inclusion', (e) => ((e.type as Body).system = 'eHealth/encounter_types')],
      ['$.type', 'required', (e) => delete e.type],
      [
        '$.managing_organization.identifier.type.coding.[0].code',
        'inclusion',
        (e) => ((e as Episode).managing_organization.identifier.type.coding[0].code = 'employee'),
      ],
      [
        '$.managing_organization.identifier.value',
        'length',
        (e) => ((e as Episode).managing_organization.identifier.value = ''),
      ],
      [
        '$.care_manager.identifier.value',
        'format',
        (e) => ((e as Episode).care_manager.identifier.value = 'doctor-7'),
      ],
      [
        '$.care_manager.identifier.type.coding.[0].code',
        'inclusion',
        (e) => ((e as Episode).care_manager.identifier.type.coding[0].code = 'legal_entity'),
      ],
      ['$.period.start', 'date', (e) => ((e as Episode).period.start = '2026-02-30')],
      ['$.period.start', 'date', (e) => ((e as Episode).period.start = '2026-11-20T09:00:00Z')],
      ['$.period', 'required', (e) => delete e.period],
      ['$.care_manager', 'required', (e) => delete e.care_manager],
    ])(
      'a malformed body (%s: %s) is 422 at submission, and nothing is enqueued',
      async (entry, rule, change) => {
        const before = await countJobs();
        const res = await send('post', episodesOf(randomUUID()), episodeWith(change)).expect(422);
        expect(res.body.error.type).toBe('validation_failed');
        expect(entriesOf(res)).toEqual(oneEntry(entry, rule));
        expect(await countJobs()).toBe(before);
      },
    );

    it('a patient id that is not a UUID: 404, nothing enqueued', async () => {
      const before = await countJobs();
      const res = await send('post', episodesOf('patient-1'), episodeWith()).expect(404);
      expect(res.body.error).toEqual({ type: 'not_found', message: 'Patient not found.' });
      expect(await countJobs()).toBe(before);
    });

    it.each<[string, (patientId: string, id: string) => [string, string, unknown]]>([
      [
        'a new name',
        (p) => ['post', episodesOf(p), episodeWith((e) => (e.name = 'Diabetes\u0000'))],
      ],
      ['a changed name', (p, id) => ['patch', episodeAt(p, id), { name: '\u0000' }]],
      [
        'a closing summary',
        (p, id) => [
          'patch',
          `${episodeAt(p, id)}/actions/close`,
          { ...EXAMPLE_CLOSE, closing_summary: 'a\u0000b' },
        ],
      ],
      [
        'an explanatory letter',
        (p, id) => [
          'patch',
          `${episodeAt(p, id)}/actions/cancel`,
          { ...EXAMPLE_CANCEL, explanatory_letter: '\u0000' },
        ],
      ],
    ])(
      'text holding a NUL byte (%s) is 422 at submission, not a crashed job',
      async (_, request) => {
        const patientId = randomUUID();
        const { id } = await created(patientId);
        const [method, path, body] = request(patientId, id);
        const res = await send(method, path, body);
        expect(res.status).toBe(422);
        expect(res.body.error.invalid).toEqual([
          expect.objectContaining({ rules: [expect.objectContaining({ rule: 'format' })] }),
        ]);
      },
    );

    it('the same body while its job is pending: 200 with the same job', async () => {
      const worker = t.app.get(JobWorker);
      await worker.stop();
      try {
        const episode = episodeWith();
        const patientId = randomUUID();
        const first = await send('post', episodesOf(patientId), episode).expect(202);
        const again = await send('post', episodesOf(patientId), episode).expect(200);
        expect(again.headers.location).toBe(first.headers.location);
      } finally {
        await worker.start();
      }
    });
  });

  describe('GET /api/patients/{patient_id}/episodes/{id}', () => {
    it('another client’s episode, another patient’s, an unknown id, a malformed id: the same 404', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const answers = [
        await send('get', episodeAt(patientId, id), undefined, STRANGER),
        await send('get', episodeAt(randomUUID(), id)),
        await send('get', episodeAt(patientId, randomUUID())),
        await send('get', episodeAt(patientId, 'episode-1')),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.body.error).toEqual({ type: 'not_found', message: 'Episode not found.' });
        expect(JSON.stringify(answer.body.error)).not.toContain(id);
      }
      const badPatient = await send('get', episodeAt('patient-1', id)).expect(404);
      expect(badPatient.body.error.message).toBe('Patient not found.');
    });
  });

  describe('PATCH /api/patients/{patient_id}/episodes/{id} (episode.update)', () => {
    it('the example: 303, the name and the care manager change, the status history does not', async () => {
      const patientId = randomUUID();
      const before = await created(patientId);
      const done = await write('patch', episodeAt(patientId, before.id), EXAMPLE_UPDATE);
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(episodeAt(patientId, before.id));
      const after = await read(patientId, before.id);
      expect(after).toEqual({
        ...before,
        name: EXAMPLE_UPDATE.name,
        care_manager: EXAMPLE_UPDATE.care_manager,
        updated_at: expect.any(String),
      });
      expect(Date.parse(after.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    });

    it('the name alone: the care manager stays', async () => {
      const patientId = randomUUID();
      const before = await created(patientId);
      expect(
        (await write('patch', episodeAt(patientId, before.id), { name: 'Hypertension' })).status,
      ).toBe(303);
      const after = await read(patientId, before.id);
      expect([after.name, after.care_manager]).toEqual(['Hypertension', before.care_manager]);
    });

    it.each([
      ['closed', closed],
      ['entered_in_error', cancelled],
    ])('an episode %s: failed 409', async (status, change) => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      await change(patientId, id);
      expect(failure(await write('patch', episodeAt(patientId, id), EXAMPLE_UPDATE))).toEqual(
        conflict(`Episode in status ${status} can not be updated`),
      );
      expect((await read(patientId, id)).name).toBe(EXAMPLE_EPISODE.name);
    });

    it.each<[string, unknown, string, string]>([
      ['an empty body', {}, '$', 'required'],
      ['an unknown property', { name: 'x', status: 'closed' }, '$.status', 'schema'],
      ['an empty name', { name: '' }, '$.name', 'length'],
      [
        'a care manager that is not a UUID',
        {
          care_manager: {
            ...EXAMPLE_UPDATE.care_manager,
            identifier: { ...EXAMPLE_UPDATE.care_manager.identifier, value: 'x' },
          },
        },
        '$.care_manager.identifier.value',
        'format',
      ],
    ])('%s: 422 at submission, nothing enqueued', async (_, body, entry, rule) => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const before = await countJobs();
      const res = await send('patch', episodeAt(patientId, id), body).expect(422);
      expect(entriesOf(res)).toEqual(oneEntry(entry, rule));
      expect(await countJobs()).toBe(before);
    });
  });

  describe('PATCH .../episodes/{id}/actions/close (episode.close)', () => {
    it('the example: 303, closed with its end, reason and summary, and the change in the history', async () => {
      const patientId = randomUUID();
      const before = await created(patientId);
      const done = await write(
        'patch',
        `${episodeAt(patientId, before.id)}/actions/close`,
        EXAMPLE_CLOSE,
      );
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe(episodeAt(patientId, before.id));
      const after = await read(patientId, before.id);
      expect(after).toEqual({
        ...before,
        status: 'closed',
        period: { start: EXAMPLE_EPISODE.period.start, end: EXAMPLE_CLOSE.period.end },
        status_reason: EXAMPLE_CLOSE.status_reason,
        closing_summary: EXAMPLE_CLOSE.closing_summary,
        status_history: [
          before.status_history[0],
          {
            status: 'closed',
            status_reason: EXAMPLE_CLOSE.status_reason,
            inserted_at: after.updated_at,
            inserted_by: OWNER,
          },
        ],
        updated_at: expect.any(String),
      });
    });

    it('an end on the start date is accepted', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const sameDay = { ...EXAMPLE_CLOSE, period: { end: EXAMPLE_EPISODE.period.start } };
      expect(
        (await write('patch', `${episodeAt(patientId, id)}/actions/close`, sameDay)).status,
      ).toBe(303);
    });

    it.each([
      ['closed', closed],
      ['entered_in_error', cancelled],
    ])('an episode %s: failed 409', async (status, change) => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      await change(patientId, id);
      const before = await read(patientId, id);
      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/close`, EXAMPLE_CLOSE)),
      ).toEqual(conflict(`Episode in status ${status} can not be closed`));
      expect(await read(patientId, id)).toEqual(before);
    });

    it('an end before the start: failed 422 at $.period.end', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const early = { ...EXAMPLE_CLOSE, period: { end: '2026-11-19' } };
      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/close`, early)),
      ).toEqual(
        validationFailed(
          invalid('$.period.end', 'End date must be greater or equal than start date'),
        ),
      );
      expect((await read(patientId, id)).status).toBe('active');
    });

    it('a reason outside eHealth/episode_closing_reasons: failed 422 inclusion at its code', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const body = structuredClone(EXAMPLE_CLOSE);
      body.status_reason.coding.push({ system: 'eHealth/episode_closing_reasons', code: 'bored' });
      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/close`, body)),
      ).toEqual(
        validationFailed(
          notInDictionary('$.status_reason.coding.[1].code', ['cured', 'legal_entity']),
        ),
      );
    });

    it.each<[string, (body: typeof EXAMPLE_CLOSE & Body) => void, string, string]>([
      [
        'a reason of another dictionary',
        (b) => (b.status_reason.coding[0].system = 'eHealth/cancellation_reasons'),
        '$.status_reason.coding.[0].system',
        'inclusion',
      ],
      ['no reason', (b) => delete (b as Body).status_reason, '$.status_reason', 'required'],
      ['no coding', (b) => (b.status_reason.coding = []), '$.status_reason.coding', 'length'],
      ['an end that is no date', (b) => (b.period.end = 'tomorrow'), '$.period.end', 'date'],
      ['no period', (b) => delete (b as Body).period, '$.period', 'required'],
      ['an unknown property', (b) => (b.status = 'closed'), '$.status', 'schema'],
    ])('%s: 422 at submission, nothing enqueued', async (_, change, entry, rule) => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const body = structuredClone(EXAMPLE_CLOSE) as typeof EXAMPLE_CLOSE & Body;
      change(body);
      const before = await countJobs();
      const res = await send('patch', `${episodeAt(patientId, id)}/actions/close`, body).expect(
        422,
      );
      expect(entriesOf(res)).toEqual(oneEntry(entry, rule));
      expect(await countJobs()).toBe(before);
    });
  });

  describe('PATCH .../episodes/{id}/actions/cancel (episode.cancel)', () => {
    it('an active episode: 303, entered_in_error with its reason and letter, and the change in the history', async () => {
      const patientId = randomUUID();
      const before = await created(patientId);
      const done = await write(
        'patch',
        `${episodeAt(patientId, before.id)}/actions/cancel`,
        EXAMPLE_CANCEL,
      );
      expect(done.status).toBe(303);
      const after = await read(patientId, before.id);
      expect(after).toEqual({
        ...before,
        status: 'entered_in_error',
        status_reason: EXAMPLE_CANCEL.status_reason,
        explanatory_letter: EXAMPLE_CANCEL.explanatory_letter,
        status_history: [
          before.status_history[0],
          {
            status: 'entered_in_error',
            status_reason: EXAMPLE_CANCEL.status_reason,
            inserted_at: after.updated_at,
            inserted_by: OWNER,
          },
        ],
        updated_at: expect.any(String),
      });
    });

    it('a closed episode: 303, and the history holds the creation, the close and the cancel', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      await closed(patientId, id);
      await cancelled(patientId, id);
      const after = await read(patientId, id);
      expect(after.status).toBe('entered_in_error');
      expect(after.status_reason).toEqual(EXAMPLE_CANCEL.status_reason);
      expect(after.closing_summary).toBe(EXAMPLE_CLOSE.closing_summary);
      expect(
        after.status_history.map((change: { status: string; inserted_by: string }) => [
          change.status,
          change.inserted_by,
        ]),
      ).toEqual([
        ['active', OWNER],
        ['closed', OWNER],
        ['entered_in_error', OWNER],
      ]);
    });

    it('a cancelled episode: failed 409', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      await cancelled(patientId, id);
      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/cancel`, EXAMPLE_CANCEL)),
      ).toEqual(conflict('Episode in status entered_in_error can not be canceled'));
      expect((await read(patientId, id)).status_history).toHaveLength(2);
    });

    it('a reason outside eHealth/cancellation_reasons: failed 422 inclusion at its code', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const body = structuredClone(EXAMPLE_CANCEL);
      body.status_reason.coding[0].code = 'typo';
      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/cancel`, body)),
      ).toEqual(
        validationFailed(notInDictionary('$.status_reason.coding.[0].code', ['misspelling'])),
      );
      expect((await read(patientId, id)).status).toBe('active');
    });

    it.each<[string, (body: Body) => void, string, string]>([
      [
        'a reason of another dictionary',
        (b) =>
          ((b as typeof EXAMPLE_CANCEL).status_reason.coding[0].system =
            'eHealth/episode_closing_reasons'),
        '$.status_reason.coding.[0].system',
        'inclusion',
      ],
      ['no reason', (b) => delete b.status_reason, '$.status_reason', 'required'],
      [
        'a letter that is no text',
        (b) => (b.explanatory_letter = 42),
        '$.explanatory_letter',
        'cast',
      ],
    ])('%s: 422 at submission, nothing enqueued', async (_, change, entry, rule) => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const body = structuredClone(EXAMPLE_CANCEL) as Body;
      change(body);
      const before = await countJobs();
      const res = await send('patch', `${episodeAt(patientId, id)}/actions/cancel`, body).expect(
        422,
      );
      expect(entriesOf(res)).toEqual(oneEntry(entry, rule));
      expect(await countJobs()).toBe(before);
    });
  });

  describe('a write on an unknown episode, another client’s or another patient’s', () => {
    it.each([
      ['update', '', EXAMPLE_UPDATE],
      ['close', '/actions/close', EXAMPLE_CLOSE],
      ['cancel', '/actions/cancel', EXAMPLE_CANCEL],
    ])(
      '%s: failed 404, the same for each, and the episode is unchanged',
      async (_, action, body) => {
        const patientId = randomUUID();
        const { id } = await created(patientId);
        const before = await read(patientId, id);
        const outcomes = [
          await write('patch', `${episodeAt(patientId, id)}${action}`, body, STRANGER),
          await write('patch', `${episodeAt(patientId, randomUUID())}${action}`, body),
          await write('patch', `${episodeAt(randomUUID(), id)}${action}`, body),
        ];
        for (const answer of outcomes) expect(failure(answer)).toEqual(NOT_FOUND);
        expect(await read(patientId, id)).toEqual(before);
      },
    );

    it.each(['', '/actions/close', '/actions/cancel'])(
      'a malformed episode or patient id (…%s): 404 at once, nothing enqueued',
      async (action) => {
        const before = await countJobs();
        const body = {
          '': EXAMPLE_UPDATE,
          '/actions/close': EXAMPLE_CLOSE,
          '/actions/cancel': EXAMPLE_CANCEL,
        }[action];
        const badEpisode = await send(
          'patch',
          `${episodeAt(randomUUID(), 'episode-1')}${action}`,
          body,
        ).expect(404);
        expect(badEpisode.body.error).toEqual({ type: 'not_found', message: 'Episode not found.' });
        const badPatient = await send(
          'patch',
          `${episodeAt('patient-1', randomUUID())}${action}`,
          body,
        ).expect(404);
        expect(badPatient.body.error).toEqual({ type: 'not_found', message: 'Patient not found.' });
        expect(await countJobs()).toBe(before);
      },
    );
  });

  describe('an episode its client does not manage (its managing organization is another)', () => {
    it.each([
      ['update', '', EXAMPLE_UPDATE],
      ['close', '/actions/close', EXAMPLE_CLOSE],
      ['cancel', '/actions/cancel', EXAMPLE_CANCEL],
    ])('%s: failed 409, the episode unchanged', async (_, action, body) => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      await managedElsewhere(id);
      const before = await read(patientId, id);
      expect(failure(await write('patch', `${episodeAt(patientId, id)}${action}`, body))).toEqual(
        conflict("Managing_organization does not correspond to user's legal_entity"),
      );
      expect(await read(patientId, id)).toEqual(before);
    });
  });

  describe('GET /api/patients/{patient_id}/episodes', () => {
    const patientId = randomUUID();
    const ids: string[] = [];
    const list = (query = '', client = OWNER) =>
      send('get', `${episodesOf(patientId)}${query}`, undefined, client);
    const idsOf = (res: Response) => res.body.data.map((episode: { id: string }) => episode.id);

    beforeAll(async () => {
      // Three episodes, created in this order (a, b, c); b is closed.
      for (let i = 0; i < 3; i++) ids.push((await created(patientId)).id);
      await closed(patientId, ids[1]);
    }, 60_000);

    it('the caller’s episodes of the patient, newest first, each as it reads alone, with paging', async () => {
      const res = await list().expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body.meta.type).toBe('list');
      expect(idsOf(res)).toEqual([ids[2], ids[1], ids[0]]);
      expect(res.body.paging).toEqual({
        page_number: 1,
        page_size: 50,
        total_entries: 3,
        total_pages: 1,
      });
      for (const episode of res.body.data)
        expect(episode).toEqual(await read(patientId, episode.id));
    });

    it.each([
      ['active', () => [ids[2], ids[0]]],
      ['closed', () => [ids[1]]],
      ['entered_in_error', () => []],
    ])('status=%s: only those, counted alone', async (status, expected) => {
      const res = await list(`?status=${status}`).expect(200);
      expect(idsOf(res)).toEqual(expected());
      expect(res.body.paging.total_entries).toBe(expected().length);
    });

    it('pages: page_size=2 gives two pages, a page past the end is empty', async () => {
      const first = await list('?page_size=2').expect(200);
      expect(idsOf(first)).toEqual([ids[2], ids[1]]);
      expect(first.body.paging).toEqual({
        page_number: 1,
        page_size: 2,
        total_entries: 3,
        total_pages: 2,
      });
      const second = await list('?page=2&page_size=2').expect(200);
      expect(idsOf(second)).toEqual([ids[0]]);
      expect(second.body.paging.page_number).toBe(2);
      const past = await list('?page=3&page_size=2').expect(200);
      expect(past.body.data).toEqual([]);
      expect(past.body.paging).toEqual({
        page_number: 3,
        page_size: 2,
        total_entries: 3,
        total_pages: 2,
      });
      const filtered = await list('?status=active&page=2&page_size=1').expect(200);
      expect(idsOf(filtered)).toEqual([ids[0]]);
    });

    it('another client’s list of the same patient names none of them', async () => {
      const res = await list('', STRANGER).expect(200);
      expect(res.body.data).toEqual([]);
      expect(res.body.paging).toEqual({
        page_number: 1,
        page_size: 50,
        total_entries: 0,
        total_pages: 1,
      });
    });

    it.each<[string, string, string]>([
      ['?page=0', 'page', 'number'],
      ['?page=x', 'page', 'cast'],
      ['?page_size=0', 'page_size', 'number'],
      ['?page_size=301', 'page_size', 'number'],
      ['?status=open', 'status', 'inclusion'],
      ['?sort=name', 'sort', 'schema'],
    ])('%s: 422 naming the query parameter', async (query, name, rule) => {
      const res = await list(query).expect(422);
      expect(res.body.error.invalid).toEqual([
        expect.objectContaining({
          entry_type: 'query_parameter',
          entry: name,
          rules: expect.arrayContaining([expect.objectContaining({ rule })]),
        }),
      ]);
    });

    it('a patient id that is not a UUID: 404', async () => {
      const res = await send('get', episodesOf('patient-1')).expect(404);
      expect(res.body.error.message).toBe('Patient not found.');
    });
  });

  describe('scopes', () => {
    const id = EXAMPLE_EPISODE.id;
    const patientId = randomUUID();
    const routes: [string, string, string, string, unknown][] = [
      ['POST', '/episodes', 'episode:write', episodesOf(patientId), EXAMPLE_EPISODE],
      ['PATCH', '/episodes/{id}', 'episode:write', episodeAt(patientId, id), EXAMPLE_UPDATE],
      [
        'PATCH',
        '/episodes/{id}/actions/close',
        'episode:write',
        `${episodeAt(patientId, id)}/actions/close`,
        EXAMPLE_CLOSE,
      ],
      [
        'PATCH',
        '/episodes/{id}/actions/cancel',
        'episode:write',
        `${episodeAt(patientId, id)}/actions/cancel`,
        EXAMPLE_CANCEL,
      ],
      ['GET', '/episodes/{id}', 'episode:read', episodeAt(patientId, id), undefined],
      ['GET', '/episodes', 'episode:read', episodesOf(patientId), undefined],
    ];

    it.each(routes)(
      '%s .../patients/{patient_id}%s: 401 without a token, 403 without %s',
      async (verb, _, scope, path, body) => {
        const method = verb.toLowerCase();
        const anonymous = http()[method as 'get'](path);
        const unauthenticated = await (body === undefined
          ? anonymous
          : anonymous.send(body as object));
        expect(unauthenticated.status).toBe(401);
        const other = scope === 'episode:write' ? 'episode:read' : 'episode:write';
        const token = await t.token({ client_id: OWNER, scope: `job:read ${other}` });
        const sent = http()[method as 'get'](path).set('authorization', `Bearer ${token}`);
        const denied = await (body === undefined ? sent : sent.send(body as object));
        expect(denied.status).toBe(403);
        expect(denied.body.error.message).toBe(
          `Your scope does not allow to access this resource. Missing allowances: ${scope}`,
        );
      },
    );
  });

  describe('encounters join episodes', () => {
    const episodeReference = (id: string) => ({
      identifier: {
        type: { coding: [{ system: 'eHealth/resources', code: 'episode' }] },
        value: id,
      },
    });
    const packageIn = (episodeId: string) =>
      packageWith((pkg) => Object.assign(pkg.encounter, { episode: episodeReference(episodeId) }));
    const submitPackage = (patientId: string, pkg: unknown, client = OWNER) =>
      write('post', `/api/patients/${patientId}/encounter_package`, pkg, client);
    const episodeRefused = (description: string) =>
      validationFailed(invalid('$.encounter.episode.identifier.value', description));
    const storedEpisodeOf = async (encounterId: string) =>
      (
        await t.app
          .get(DatabaseSession)
          .query<{ episode_id: string | null }>(
            'SELECT "episode_id" FROM "encounters" WHERE "id" = :id',
            {
              id: encounterId,
            },
          )
      )[0]?.episode_id;

    it('an encounter in an active episode of the patient: stored with its episode, which can then not be cancelled', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const pkg = packageIn(id);
      const done = await submitPackage(patientId, pkg);
      expect(done.status).toBe(303);
      const encounter = await send('get', done.body.data.links[0].href).expect(200);
      expect(encounter.body.data.episode).toEqual(episodeReference(id));
      expect(await storedEpisodeOf(pkg.encounter.id)).toBe(id);

      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/cancel`, EXAMPLE_CANCEL)),
      ).toEqual(conflict('Episode can not be canceled while it has not canceled encounters'));
      expect((await read(patientId, id)).status).toBe('active');
      // Closing is not held back by its encounters.
      await closed(patientId, id);
      expect(
        failure(await write('patch', `${episodeAt(patientId, id)}/actions/cancel`, EXAMPLE_CANCEL)),
      ).toEqual(conflict('Episode can not be canceled while it has not canceled encounters'));
    });

    it('an encounter without an episode is stored without one', async () => {
      const pkg = packageWith();
      expect((await submitPackage(randomUUID(), pkg)).status).toBe(303);
      expect(await storedEpisodeOf(pkg.encounter.id)).toBeNull();
    });

    it.each<[string, (patientId: string) => Promise<string>, string]>([
      ['an unknown episode', async () => randomUUID(), 'Episode with such ID is not found'],
      [
        'another patient’s episode',
        async () => (await created(randomUUID())).id,
        'Episode with such ID is not found',
      ],
      [
        'another client’s episode of the patient',
        async (patientId) => {
          const theirs = episodeWith((e) => (e.managing_organization.identifier.value = STRANGER));
          expect((await write('post', episodesOf(patientId), theirs, STRANGER)).status).toBe(303);
          return theirs.id;
        },
        'Episode with such ID is not found',
      ],
      [
        'a closed episode',
        async (patientId) => {
          const { id } = await created(patientId);
          await closed(patientId, id);
          return id;
        },
        'Episode is not active',
      ],
      [
        'a cancelled episode',
        async (patientId) => {
          const { id } = await created(patientId);
          await cancelled(patientId, id);
          return id;
        },
        'Episode is not active',
      ],
      [
        'an episode managed by another legal entity',
        async (patientId) => {
          const { id } = await created(patientId);
          await managedElsewhere(id);
          return id;
        },
        "Managing_organization does not correspond to user's legal_entity",
      ],
    ])(
      '%s: failed 422 at $.encounter.episode.identifier.value, nothing stored',
      async (_, episodeFor, message) => {
        const patientId = randomUUID();
        const pkg = packageIn(await episodeFor(patientId));
        expect(failure(await submitPackage(patientId, pkg))).toEqual(episodeRefused(message));
        expect(await storedEpisodeOf(pkg.encounter.id)).toBeUndefined();
      },
    );

    it('an episode closed after the check and before the encounter was stored: failed 422, nothing stored', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      await closed(patientId, id);
      // The check saw it active; the completion finds it closed.
      const spy = jest
        .spyOn(t.app.get(EpisodesService), 'findForRecord')
        .mockResolvedValueOnce({ status: 'active', managedByCaller: true });
      try {
        const pkg = packageIn(id);
        expect(failure(await submitPackage(patientId, pkg))).toEqual(
          episodeRefused('Episode is not active'),
        );
        expect(await storedEpisodeOf(pkg.encounter.id)).toBeUndefined();
      } finally {
        spy.mockRestore();
      }
    });

    it('an encounter joining after the cancel’s check and before its completion: the cancel fails 409', async () => {
      const patientId = randomUUID();
      const { id } = await created(patientId);
      const repository = t.app.get(EpisodesRepository);
      // The cancel's check counts none; meanwhile an encounter joins the episode.
      const spy = jest.spyOn(repository, 'encounterCount').mockImplementationOnce(async () => {
        expect((await submitPackage(patientId, packageIn(id))).status).toBe(303);
        return 0;
      });
      try {
        expect(
          failure(
            await write('patch', `${episodeAt(patientId, id)}/actions/cancel`, EXAMPLE_CANCEL),
          ),
        ).toEqual(conflict('Episode can not be canceled while it has not canceled encounters'));
        const after = await read(patientId, id);
        expect([after.status, after.status_history.length]).toEqual(['active', 1]);
      } finally {
        spy.mockRestore();
      }
    });

    it('an encounter naming a malformed episode id: 422 at submission', async () => {
      const pkg = packageIn('episode-1');
      const res = await send('post', `/api/patients/${randomUUID()}/encounter_package`, pkg).expect(
        422,
      );
      expect(res.body.error.invalid).toEqual([
        expect.objectContaining({ entry: '$.encounter.episode.identifier.value' }),
      ]);
    });
  });
});
