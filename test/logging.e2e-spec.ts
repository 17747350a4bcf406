import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('request logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    t = await startTestApp(
      { LOG_LEVEL: 'info' },
      { logging: { stream: { write: (line: string) => lines.push(line) } } },
    );
  });
  afterAll(() => t.close());

  it('logs one JSON line per request with request_id, client, route, status and duration', async () => {
    const token = await t.token({ client_id: 'mis-logs' });
    const requestId = 'log-test-request-0001';
    await request(t.app.getHttpServer())
      .get('/api/jobs/NBXk9EyErUZv1RhXgyvgg?expand=1')
      .set('authorization', `Bearer ${token}`)
      .set('x-request-id', requestId)
      .expect(404);
    const line = entries().find((entry) => entry.request_id === requestId);
    expect(line).toMatchObject({
      request_id: requestId,
      client_id: 'mis-logs',
      route: '/api/jobs/:id',
      req: { method: 'GET', url: '/api/jobs/NBXk9EyErUZv1RhXgyvgg?expand=1' },
      res: { status: 404 },
    });
    expect(typeof line?.duration_ms).toBe('number');
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token.split('.')[1]);
  });

  it('binds the request_id to lines the service logs while serving the request', async () => {
    const requestId = 'log-test-request-0002';
    await request(t.app.getHttpServer())
      .get('/api/probe/crash')
      .set('x-request-id', requestId)
      .expect(500);
    const serving = entries().filter((entry) => entry.request_id === requestId);
    expect(serving).toEqual([
      expect.objectContaining({ level: 50, context: 'ApiExceptionFilter' }),
      // The line that closes the request: a 5xx is logged as an error, with its status.
      expect.objectContaining({ level: 50, res: { status: 500 }, route: '/api/probe/crash' }),
    ]);
  });

  it('never logs a request body or the Authorization header', async () => {
    const token = await t.token();
    await request(t.app.getHttpServer())
      .post('/api/probe/echo')
      .set('authorization', `Bearer ${token}`)
      .send({ name: 'Shevchenko Taras Hryhorovych', items: [{ role: 'primary' }] })
      .expect(201);
    const all = lines.join('\n');
    expect(all).not.toContain('Shevchenko');
    expect(all).not.toMatch(/authorization/i);
    expect(all).not.toContain(token);
  });
});
