import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('limits', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({
      RATE_LIMIT_POLL_PER_MINUTE: '3',
      RATE_LIMIT_SUBMIT_PER_MINUTE: '2',
      BODY_LIMIT_BYTES: '2048',
      REQUEST_TIMEOUT_SECONDS: '1',
    });
  });
  afterAll(() => t.close());

  it('polling beyond the client’s budget: 429 too_many_requests with Retry-After, others unaffected', async () => {
    const token = await t.token({ client_id: 'mis-poller' });
    const poll = (bearer: string) =>
      http().get('/api/jobs/NBXk9EyErUZv1RhXgyvgg').set('authorization', `Bearer ${bearer}`);
    for (let i = 0; i < 3; i++) await poll(token).expect(404);
    const refused = await poll(token).expect(429);
    expect(refused.body.error).toEqual({
      type: 'too_many_requests',
      message: expect.any(String),
    });
    expect(refused.body.meta.code).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The budget slides over the last minute: a burst at once is fully spent within two.
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(120);
    await poll(await t.token({ client_id: 'mis-other' })).expect(404);
  });

  it('the polling budget is the client’s, whichever route spends it', async () => {
    const token = await t.token({ client_id: 'mis-reader', scope: 'job:read encounter:read' });
    const get = (path: string) => http().get(path).set('authorization', `Bearer ${token}`);
    await get('/api/jobs/NBXk9EyErUZv1RhXgyvgg').expect(404);
    await get('/api/jobs/NBXk9EyErUZv1RhXgyvgh').expect(404);
    await get('/api/patients/p-1/encounters/e-1').expect(404);
    await get('/api/jobs/NBXk9EyErUZv1RhXgyvgg').expect(429);
  });

  it('submissions have a budget of their own', async () => {
    const token = await t.token({ client_id: 'mis-submitter' });
    const submit = (n: number) =>
      http()
        .post('/api/probe/things')
        .set('authorization', `Bearer ${token}`)
        .send({ name: `thing-${n}`, items: [{ role: 'primary' }] });
    await submit(1).expect(202);
    await submit(2).expect(202);
    const refused = await submit(3).expect(429);
    expect(refused.body.error.type).toBe('too_many_requests');
    expect(refused.headers['retry-after']).toBeDefined();
    // Reading is another budget.
    await http()
      .get('/api/jobs/NBXk9EyErUZv1RhXgyvgg')
      .set('authorization', `Bearer ${token}`)
      .expect(404);
  });

  it('a body over BODY_LIMIT_BYTES is 413 request_too_large', async () => {
    const res = await http()
      .post('/api/probe/echo')
      .send({ name: 'x'.repeat(3000), items: [{ role: 'primary' }] })
      .expect(413);
    expect(res.body.error.type).toBe('request_too_large');
  });

  it('a handler slower than REQUEST_TIMEOUT_SECONDS answers 503 service_unavailable, not a hang', async () => {
    const started = Date.now();
    const res = await http().get('/api/probe/slow').expect(503);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(res.body.error.type).toBe('service_unavailable');
    expect(res.headers['retry-after']).toBe('5');
  });
});
