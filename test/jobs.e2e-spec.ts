import { ErrorBody, ErrorType } from '@app/http';
import { Job } from '@app/jobs';
import request from 'supertest';
import { NewJobRow } from './support/job-rows';
import { startTestApp, TestApp } from './support/test-app';

describe('GET /api/jobs/:id (SPEC section 4)', () => {
  let t: TestApp;
  let token: string;
  const get = (id: string, bearer = token) =>
    request(t.app.getHttpServer()).get(`/api/jobs/${id}`).set('authorization', `Bearer ${bearer}`);
  const insert = (job: Partial<NewJobRow> = {}): Promise<Job> =>
    t.jobs.insert({
      type: 'test.job',
      clientId: 'mis-1',
      payload: { n: 1 },
      eta: new Date(Date.now() + 30_000),
      ...job,
    });

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token();
  });
  afterAll(() => t.close());

  it.each(['waiting', 'running'] as const)(
    'answers a %s job as pending, with Retry-After from its eta and no caching',
    async (state) => {
      const job = await insert({ state, eta: new Date(Date.now() + 30_000) });
      const res = await get(job.id).expect(200);
      expect(res.body.data).toEqual({
        status: 'pending',
        eta: job.eta.toISOString(),
        links: [{ entity: 'job', href: `/api/jobs/${job.id}` }],
      });
      expect(res.body.data).not.toHaveProperty('status_code');
      expect(res.body.meta).toMatchObject({ code: 200, type: 'object' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(29);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(30);
      expect(res.headers['cache-control']).toBe('no-store');
    },
  );

  it('keeps Retry-After between 1 and 60 seconds whatever the eta', async () => {
    const late = await insert({ eta: new Date(Date.now() - 60_000) });
    const far = await insert({ eta: new Date(Date.now() + 3_600_000) });
    expect((await get(late.id).expect(200)).headers['retry-after']).toBe('1');
    expect((await get(far.id).expect(200)).headers['retry-after']).toBe('60');
  });

  it('answers a job processed into links with 303 and Location of the first link', async () => {
    const links = [
      { entity: 'encounter', href: '/api/patients/p1/encounters/e1' },
      { entity: 'condition', href: '/api/patients/p1/conditions/c1' },
    ];
    const job = await insert({
      state: 'processed',
      statusCode: 200,
      result: { kind: 'links', links },
    });
    const res = await get(job.id).expect(303);
    expect(res.headers.location).toBe(links[0].href);
    expect(res.body.data).toEqual({
      status: 'processed',
      status_code: 200,
      eta: job.eta.toISOString(),
      links,
    });
    expect(res.body.meta.code).toBe(303);
    expect(res.headers['retry-after']).toBeUndefined();
  });

  it.each([{ answer: 42, nested: { ok: true } }, 'a plain string answer'])(
    'answers a job processed into data with 200 and response_data %p',
    async (responseData) => {
      const job = await insert({
        state: 'processed',
        statusCode: 200,
        result: { kind: 'data', response_data: responseData },
      });
      const res = await get(job.id).expect(200);
      expect(res.body.data).toEqual({
        status: 'processed',
        status_code: 200,
        eta: job.eta.toISOString(),
        response_data: responseData,
      });
      expect(res.headers.location).toBeUndefined();
    },
  );

  it('answers a job failed with 422 with its invalid entries', async () => {
    const error: ErrorBody = {
      type: 'validation_failed',
      message: 'Validation failed.',
      invalid: [
        {
          entry_type: 'json_data_property' as const,
          entry: '$.encounter.date',
          rules: [{ rule: 'invalid', params: [], description: 'must be within the visit period' }],
        },
      ],
    };
    const job = await insert({
      state: 'failed',
      statusCode: 422,
      result: { kind: 'error', error },
    });
    const res = await get(job.id).expect(200);
    expect(res.body.data).toEqual({
      status: 'failed',
      status_code: 422,
      eta: job.eta.toISOString(),
      error,
    });
    expect(typeof res.body.data.status_code).toBe('number');
  });

  it.each<[number, ErrorType, string]>([
    [409, 'request_conflict', 'Encounter 7d5c0a0e-0000-4000-8000-000000000001 already exists.'],
    [403, 'forbidden', 'The patient has no declaration with this legal entity.'],
    [404, 'not_found', 'Patient not found.'],
  ])('answers a job failed with %i as failed with error type %s', async (code, type, message) => {
    const job = await insert({
      state: 'failed',
      statusCode: code,
      result: { kind: 'error', error: { type, message } },
    });
    const res = await get(job.id).expect(200);
    expect(res.body.data).toEqual({
      status: 'failed',
      status_code: code,
      eta: job.eta.toISOString(),
      error: { type, message },
    });
  });

  it('answers a crashed job as failed_with_error with status_code 500', async () => {
    const error: ErrorBody = {
      type: 'internal_error',
      message: 'Something went wrong. Error id: abc.',
    };
    const job = await insert({
      state: 'failed_with_error',
      statusCode: 500,
      result: { kind: 'error', error },
    });
    const res = await get(job.id).expect(200);
    expect(res.body.data).toEqual({
      status: 'failed_with_error',
      status_code: 500,
      eta: job.eta.toISOString(),
      error,
    });
  });

  describe('404 not_found, the same for every reason', () => {
    const notFound = async (id: string, bearer = token) => {
      const res = await get(id, bearer).expect(404);
      expect(res.body.error).toEqual({ type: 'not_found', message: expect.any(String) });
      expect(res.body.meta.code).toBe(404);
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|stack|at \w+ \(/i);
      return res.body.error as { type: string; message: string };
    };

    it('hides another client’s job exactly as an unknown id', async () => {
      const job = await insert({ clientId: 'mis-2' });
      const other = await notFound(job.id);
      const unknown = await notFound('NBXk9EyErUZv1RhXgyvgg');
      expect(other).toEqual(unknown);
      const owner = await t.token({ client_id: 'mis-2' });
      await get(job.id, owner).expect(200);
    });

    it.each([
      ['too long', 'NBXk9EyErUZv1RhXgyvggX'],
      ['too short', 'NBXk9EyErUZv1RhXgyvg'],
      ['24 hex characters (the production system answered 500)', '5b6a1c3e9f0d2a4b6c8e0f12'],
      ['full of ../ (encoded)', encodeURIComponent('../../etc/passwd')],
      ['with characters outside the alphabet', 'NBXk9EyErUZv1RhXgyv%20g'],
    ])('for an id that is %s', async (_, id) => {
      await notFound(id);
    });

    it('for a path with ../ segments', async () => {
      const res = await request(t.app.getHttpServer())
        .get('/api/jobs/../../etc/passwd')
        .set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(404);
      expect(res.body.error.type).toBe('not_found');
    });
  });
});
