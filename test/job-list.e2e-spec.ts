import { Job } from '@app/jobs';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { NewJobRow } from './support/job-rows';

describe('GET /api/jobs: the caller’s own jobs, paged', () => {
  let t: TestApp;
  let token: string;
  const list = (query = '', bearer = token) =>
    request(t.app.getHttpServer())
      .get(`/api/jobs${query}`)
      .set('authorization', `Bearer ${bearer}`);
  let clock = Date.parse('2026-11-20T09:00:00.000Z');
  /** Jobs inserted one minute apart, so "newest first" has one answer. */
  const insert = (job: Partial<NewJobRow> = {}): Promise<Job> => {
    clock += 60_000;
    return t.jobs.insert({
      type: 'test.data',
      clientId: 'mis-list',
      payload: { secret: 'payload-marker' },
      eta: new Date(clock + 30_000),
      createdAt: new Date(clock),
      updatedAt: new Date(clock),
      ...job,
    });
  };
  const ids = (body: { data: { id: string }[] }) => body.data.map((item) => item.id);
  let jobs: Record<string, Job>;

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token({ client_id: 'mis-list', scope: 'job:read' });
    jobs = {
      waiting: await insert(),
      running: await insert({ state: 'running', type: 'test.links' }),
      processed: await insert({
        state: 'processed',
        statusCode: 200,
        result: { kind: 'data', response_data: { secret: 'result-marker' } },
      }),
      failed: await insert({
        state: 'failed',
        statusCode: 409,
        type: 'test.conflict',
        result: { kind: 'error', error: { type: 'request_conflict', message: 'Exists.' } },
      }),
      theirs: await insert({ clientId: 'mis-other' }),
    };
  });
  afterAll(() => t.close());

  it('lists the caller’s jobs newest first, with paging, their links and no data', async () => {
    const res = await list().expect(200);
    expect(ids(res.body)).toEqual([
      jobs.failed.id,
      jobs.processed.id,
      jobs.running.id,
      jobs.waiting.id,
    ]);
    expect(res.body.meta).toMatchObject({ code: 200, type: 'list' });
    expect(res.body.paging).toEqual({
      page_number: 1,
      page_size: 50,
      total_entries: 4,
      total_pages: 1,
    });
    expect(res.body.data[0]).toEqual({
      id: jobs.failed.id,
      type: 'test.conflict',
      status: 'failed',
      status_code: 409,
      inserted_at: jobs.failed.createdAt.toISOString(),
      updated_at: jobs.failed.updatedAt.toISOString(),
      links: [{ entity: 'job', href: `/api/jobs/${jobs.failed.id}` }],
    });
    expect(res.body.data[3]).toMatchObject({ status: 'pending', status_code: null });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(JSON.stringify(res.body)).not.toMatch(/payload-marker|result-marker|Exists/);
  });

  it('filters by public status, type and submission time, combined', async () => {
    expect(ids((await list('?status=pending').expect(200)).body)).toEqual([
      jobs.running.id,
      jobs.waiting.id,
    ]);
    expect(ids((await list('?status=pending&type=test.links').expect(200)).body)).toEqual([
      jobs.running.id,
    ]);
    expect(ids((await list('?status=failed_with_error').expect(200)).body)).toEqual([]);
    const from = jobs.running.createdAt.toISOString();
    const to = jobs.processed.createdAt.toISOString();
    const window = await list(`?inserted_from=${from}&inserted_to=${to}`).expect(200);
    expect(ids(window.body)).toEqual([jobs.processed.id, jobs.running.id]);
    expect(window.body.paging.total_entries).toBe(2);
  });

  it('pages: page 2 of 3 holds the next items, and a page past the end is empty', async () => {
    const second = await list('?page=2&page_size=3').expect(200);
    expect(ids(second.body)).toEqual([jobs.waiting.id]);
    expect(second.body.paging).toEqual({
      page_number: 2,
      page_size: 3,
      total_entries: 4,
      total_pages: 2,
    });
    const beyond = await list('?page=9&page_size=3').expect(200);
    expect(beyond.body.data).toEqual([]);
    expect(beyond.body.meta.type).toBe('list');
  });

  it('never lists another client’s jobs', async () => {
    const other = await t.token({ client_id: 'mis-other', scope: 'job:read' });
    expect(ids((await list('', other).expect(200)).body)).toEqual([jobs.theirs.id]);
    const nobody = await t.token({ client_id: 'mis-nobody', scope: 'job:read' });
    const empty = await list('', nobody).expect(200);
    expect(empty.body.data).toEqual([]);
    expect(empty.body.paging.total_entries).toBe(0);
  });

  it.each([
    ['page_size=301', 'page_size', 'number'],
    ['page=0', 'page', 'number'],
    ['page=x', 'page', 'cast'],
    ['status=waiting', 'status', 'inclusion'],
    ['inserted_from=yesterday', 'inserted_from', 'datetime'],
    ['colour=red', 'colour', 'schema'],
    ['type=a%00b', 'type', 'format'],
  ])('refuses %s with 422 naming the query parameter', async (query, entry, rule) => {
    const res = await list(`?${query}`).expect(422);
    expect(res.body.error.invalid).toEqual([
      expect.objectContaining({
        entry_type: 'query_parameter',
        entry,
        rules: expect.arrayContaining([expect.objectContaining({ rule })]),
      }),
    ]);
  });

  it('needs a token with job:read', async () => {
    await request(t.app.getHttpServer()).get('/api/jobs').expect(401);
    const noScope = await t.token({ client_id: 'mis-list', scope: 'encounter:read' });
    await list('', noScope).expect(403);
  });
});
