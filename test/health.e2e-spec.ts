import { JobWorker } from '@app/jobs';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('health probes', () => {
  let t: TestApp;
  const probe = (path: string) => request(t.app.getHttpServer()).get(path);

  afterEach(() => t.close(), 30_000);

  it('live and ready answer 200 without a token when all is well', async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true' });
    const live = await probe('/health/live').expect(200);
    expect(live.body.data.status).toBe('ok');
    const ready = await probe('/health/ready').expect(200);
    expect(ready.body.data.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
      worker: { status: 'up' },
      workers: { status: 'up', live: 1 },
    });
  });

  it('ready stays 200 with no live worker anywhere, and says so', async () => {
    t = await startTestApp({ WORKER_ENABLED: 'false' });
    const ready = await probe('/health/ready').expect(200);
    expect(ready.body.data.details).toMatchObject({
      worker: { status: 'up', runs_here: false },
      workers: { status: 'up', live: 0 },
    });
  });

  it('ready is 503 while the database is unreachable, and 200 again once it is back', async () => {
    t = await startTestApp();
    const dataSource = t.app.get(DataSource);
    await dataSource.destroy();
    try {
      const down = await probe('/health/ready').expect(503);
      expect(down.body.error.type).toBe('service_unavailable');
      expect(down.body.error.message).toContain('database');
      expect(down.headers['retry-after']).toBe('5');
      await probe('/health/live').expect(200);
      // The API itself answers 503 too, never a 500 or the driver's words.
      const api = await probe('/api/jobs/NBXk9EyErUZv1RhXgyvgg').set(
        'authorization',
        `Bearer ${await t.token()}`,
      );
      expect(api.status).toBe(503);
      expect(api.body.error.type).toBe('service_unavailable');
      expect(api.headers['retry-after']).toBe('5');
    } finally {
      await dataSource.initialize();
    }
    await probe('/health/ready').expect(200);
  });

  it('ready is 503 while migrations are pending, and 200 once they ran', async () => {
    t = await startTestApp({ DATABASE_MIGRATIONS_RUN: 'false' });
    const pending = await probe('/health/ready').expect(503);
    expect(pending.body.error.message).toBe('Not ready: migrations.');
    await t.app.get(DataSource).runMigrations();
    await probe('/health/ready').expect(200);
  });

  it('ready is 503 when this process should run the worker and it does not', async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true' });
    await t.app.get(JobWorker).stop();
    const stopped = await probe('/health/ready').expect(503);
    expect(stopped.body.error.message).toBe('Not ready: worker.');
  });
});
