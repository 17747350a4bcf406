import { isPending, JobsService } from '@app/jobs';
import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const METRICS_TOKEN = 'scraper-token-0123456789';

describe('GET /metrics', () => {
  let t: TestApp;
  const scrape = (authorization?: string) => {
    const req = request(t.app.getHttpServer()).get('/metrics');
    return authorization ? req.set('authorization', authorization) : req;
  };

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true', METRICS_TOKEN });
  });
  afterAll(() => t.close(), 30_000);

  it('answers 401 in the envelope without the configured token', async () => {
    const res = await scrape('Bearer wrong-token-0123456789').expect(401);
    expect(res.body.error.type).toBe('access_denied');
    await scrape().expect(401);
  });

  it('has every family after traffic', async () => {
    const jobs = t.app.get(JobsService);
    const ids = await Promise.all(
      [
        jobs.enqueue('test.data', { metrics: 1 }, { clientId: 'mis-1' }),
        jobs.enqueue('test.crash', { metrics: 2 }, { clientId: 'mis-1' }),
        jobs.enqueue('test.transient', { succeedAt: 2 }, { clientId: 'mis-1' }),
        jobs.enqueue('test.gate', { gate: 'metrics-never' }, { clientId: 'mis-1' }),
      ].map(async (enqueued) => (await enqueued).job.id),
    );
    await request(t.app.getHttpServer())
      .get(`/api/jobs/${ids[0]}`)
      .set('authorization', `Bearer ${await t.token()}`);
    await waitFor(async () => {
      const done = await Promise.all(ids.slice(0, 3).map((id) => t.jobs.findById(id)));
      return done.every((job) => job && !isPending(job.state)) ? true : undefined;
    });

    const res = await scrape(`Bearer ${METRICS_TOKEN}`).expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.text;
    for (const family of [
      /http_request_duration_seconds_bucket\{[^}]*route="\/api\/jobs\/:id"[^}]*status="200"/,
      /jobs_enqueued_total\{type="test.data"\} 1/,
      /jobs_finished_total\{type="test.data",outcome="processed"\} 1/,
      /jobs_finished_total\{type="test.crash",outcome="failed_with_error"\} 1/,
      /jobs_retried_total\{type="test.transient"\} 1/,
      /job_processing_duration_seconds_count\{type="test.data"\} 1/,
      /jobs_queue_depth\{type="test.gate"\} 1/,
      /jobs_oldest_pending_age_seconds\{type="test.gate"\} \d/,
      /job_leases_reclaimed_total \d/,
      /jobs_long_poll_waiters 0/,
      /jobs_live_workers 1/,
      /process_cpu_user_seconds_total \d/,
    ]) {
      expect(text).toMatch(family);
    }
  });
});

describe('GET /metrics without a configured token', () => {
  it('does not exist', async () => {
    const t = await startTestApp();
    try {
      await request(t.app.getHttpServer()).get('/metrics').expect(404);
    } finally {
      await t.close();
    }
  });
});
