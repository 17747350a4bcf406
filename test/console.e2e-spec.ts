import { CONSOLE_CSP } from '@app/job-admin';
import { isPending, JobsService, JobWorker } from '@app/jobs';
import { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchChromium, PageTroubles, watchedPage } from './support/browser';
import { everyScope } from './support/declared-routes';
import { startTestApp, TestApp } from './support/test-app';
import { TestGates } from './support/test-jobs.module';
import { waitFor } from './support/wait-for';

/** Every payload of this suite carries it: it must never reach the page. */
const MARKER = 'Shevchenko-Taras-1814-03-09';
/** `CONSOLE_SCREENSHOTS=docs/console` saves the README's screenshots there. */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS;
const STEP_MS = 20_000;

describe('the operators’ console at /admin, in Chromium', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  let troubles: PageTroubles;
  let operatorToken: string;
  const jobs = () => t.app.get(JobsService);
  const enqueue = (type: string, payload: Record<string, unknown>, clientId = 'mis-1') =>
    jobs().enqueue(type, { ...payload, note: MARKER }, { clientId });
  const finished = (id: string) =>
    waitFor(async () => {
      const job = await t.jobs.findById(id);
      return job && !isPending(job.state) ? job : undefined;
    }, STEP_MS);
  const api = (path: string) =>
    request(t.app.getHttpServer()).get(path).set('authorization', `Bearer ${operatorToken}`);

  const signIn = async (token: string) => {
    await page.goto(`${base}/admin`);
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const row = (type: string) => page.locator(`tr[data-type="${type}"]`);
  const cell = (type: string, field: string) => row(type).locator(`[data-field="${field}"]`);
  const confirm = () => page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  const screenshot = async (name: string) => {
    if (!SCREENSHOTS) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
  };
  /** Nothing of any payload anywhere in the page: its HTML, its text, its attribute values. */
  const expectNoPayload = async () => {
    expect(await page.content()).not.toContain(MARKER);
    expect(await page.locator('body').innerText()).not.toContain(MARKER);
  };

  beforeAll(async () => {
    t = await startTestApp({ WORKER_ENABLED: 'true', JOB_POLL_INTERVAL_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    operatorToken = await t.token({ client_id: 'ops-1', scope: 'job:admin' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t.close();
  }, 30_000);
  beforeEach(async () => {
    ({ page, troubles } = await watchedPage(browser));
  });
  afterEach(async () => {
    // Whatever the step did, the page broke no rule of its policy and threw nothing.
    expect(troubles).toEqual({ violations: [], errors: [] });
    await page.context().close();
  });

  it('is served from the API under its own strict policy, with no other origin', async () => {
    const answer = await request(t.app.getHttpServer()).get('/admin').expect(200);
    expect(answer.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(answer.text).not.toMatch(/https?:\/\//);
    await request(t.app.getHttpServer()).get('/admin/console.js').expect(200);
    await request(t.app.getHttpServer()).get('/admin/console.css').expect(200);
    const requested: string[] = [];
    page.on('request', (sent) => requested.push(sent.url()));
    await page.goto(`${base}/admin`);
    await page.getByLabel('Bearer token').waitFor();
    await screenshot('sign-in');
    expect(requested.filter((url) => !url.startsWith(base))).toEqual([]);
  });

  it('shows the 403 message to a token without job:admin, whatever else it holds', async () => {
    const allButAdmin = everyScope(t.app)
      .split(' ')
      .filter((scope) => scope !== 'job:admin')
      .join(' ');
    await signIn(await t.token({ client_id: 'mis-1', scope: allButAdmin }));
    await expect(page.getByRole('alert').textContent()).resolves.toBe(
      'Your scope does not allow to access this resource. Missing allowances: job:admin',
    );
    await screenshot('forbidden');
    // An invalid token signs out, with the service's word for it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Bearer token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Invalid access token');
    await page.getByLabel('Bearer token').waitFor();
  }, 60_000);

  it('shows the queues with the numbers the API gives', async () => {
    // A steady picture: jobs held running by a gate, a paused type with jobs waiting, crashes.
    const gate = `overview-${Date.now()}`;
    const held = [
      await enqueue('test.gate', { gate, n: 1 }),
      await enqueue('test.gate', { gate, n: 2 }),
    ];
    await waitFor(async () => {
      const states = await Promise.all(held.map(({ job }) => t.jobs.findById(job.id)));
      return states.every((job) => job?.state === 'running') ? true : undefined;
    }, STEP_MS);
    await request(t.app.getHttpServer())
      .post('/api/admin/queues/test.data/actions/pause')
      .set('authorization', `Bearer ${operatorToken}`)
      .expect(200);
    for (const n of [1, 2, 3]) await enqueue('test.data', { n });
    for (const n of [1, 2]) await finished((await enqueue('test.crash', { n })).job.id);
    for (const n of [1, 2, 3, 4]) await finished((await enqueue('test.count', { n })).job.id);

    // Nothing moves until the gate opens, so the page and the API see the same queues.
    await signIn(operatorToken);
    await cell('test.gate', 'running').filter({ hasText: /^2$/ }).waitFor();
    const overview = (await api('/api/admin/queues').expect(200)).body.data;
    for (const queue of overview.types as Record<string, number | string>[]) {
      for (const field of ['waiting', 'running', 'retry_scheduled', 'failed_with_error_24h']) {
        expect({
          type: queue.type,
          field,
          shown: await cell(String(queue.type), field).innerText(),
        }).toEqual({ type: queue.type, field, shown: String(queue[field]) });
      }
    }
    expect(await cell('test.gate', 'running').innerText()).toBe('2');
    expect(await cell('test.data', 'waiting').innerText()).toBe('3');
    expect(await cell('test.data', 'state').innerText()).toBe('paused by ops-1');
    expect(
      Number(await cell('test.crash', 'failed_with_error_24h').innerText()),
    ).toBeGreaterThanOrEqual(2);
    await page.locator('.chart canvas').first().waitFor();
    await screenshot('queues');
    await expectNoPayload();

    t.app.get(TestGates).open(gate);
    await request(t.app.getHttpServer())
      .post('/api/admin/queues/test.data/actions/resume')
      .set('authorization', `Bearer ${operatorToken}`)
      .expect(200);
    for (const { job } of held) await finished(job.id);
  }, 90_000);

  it('retries a job that failed with an error from its page, and it ends processed', async () => {
    const gate = `retry-${Date.now()}`;
    const { job } = await enqueue('test.flaky', { gate });
    await finished(job.id);
    t.app.get(TestGates).open(gate);

    await signIn(operatorToken);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.locator(`tr[data-job="${job.id}"]`).waitFor();
    await screenshot('failed-jobs');
    await page.getByRole('link', { name: job.id }).click();
    // The job's page, once loaded (the list's rows have status cells too).
    await page
      .locator('table.detail [data-field="status"]', { hasText: 'failed_with_error' })
      .waitFor({ timeout: STEP_MS });
    await page.getByRole('button', { name: 'Retry' }).click();
    await screenshot('retry-confirmation');
    await confirm();
    await page
      .locator('[data-field="status"]', { hasText: 'processed' })
      .waitFor({ timeout: STEP_MS });
    expect(await page.locator('[data-field="outcome"]').allInnerTexts()).toEqual([
      'failed_with_error',
      'processed',
    ]);
    await screenshot('job-detail');
    await expectNoPayload();
    const audit = (await api('/api/admin/audit').expect(200)).body.data;
    expect(audit[0]).toMatchObject({ operator: 'ops-1', action: 'job.retry', target: job.id });
  }, 90_000);

  it('pauses a type from the page: its jobs wait; resuming lets them finish', async () => {
    await signIn(operatorToken);
    await row('test.count').getByRole('button', { name: 'Pause' }).click();
    await confirm();
    await cell('test.count', 'state').filter({ hasText: 'paused by ops-1' }).waitFor();

    const waiting = [
      await enqueue('test.count', { n: 10 }),
      await enqueue('test.count', { n: 11 }),
    ];
    const other = await enqueue('test.links', { n: 12 });
    await finished(other.job.id);
    for (const { job } of waiting) expect((await t.jobs.findById(job.id))?.state).toBe('waiting');
    await cell('test.count', 'waiting').filter({ hasText: /^2$/ }).waitFor({ timeout: STEP_MS });

    await row('test.count').getByRole('button', { name: 'Resume' }).click();
    await confirm();
    await cell('test.count', 'state').filter({ hasText: 'active' }).waitFor();
    for (const { job } of waiting) expect((await finished(job.id)).state).toBe('processed');
    await cell('test.count', 'waiting').filter({ hasText: /^0$/ }).waitFor({ timeout: STEP_MS });
    await expectNoPayload();
  }, 90_000);

  it('never shows a payload, on any view of any job', async () => {
    await signIn(operatorToken);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.locator('table.audit tbody tr').first().waitFor();
    await screenshot('audit');
    await expectNoPayload();
    for (const status of ['pending', 'processed', 'failed', 'failed_with_error']) {
      await page.goto(`${base}/admin#/jobs?status=${status}`);
      await page.locator('table.jobs').waitFor();
      await expectNoPayload();
    }
    const all = (await api('/api/admin/jobs?page_size=300').expect(200)).body.data;
    expect(all.length).toBeGreaterThan(10);
    for (const job of all.slice(0, 25)) {
      await page.goto(`${base}/admin#/jobs/${job.id}`);
      // A job that ended processed or failed lost its payload at completion; others keep it.
      // Waiting for this job's own answer: going from one job's page to the next changes only
      // the URL's fragment, and the previous job shows until the next one is loaded.
      const erased = job.state === 'processed' || job.state === 'failed';
      await page
        .locator('table.detail [data-field="payload"]', {
          hasText: erased ? 'none stored' : /SHA-256 [0-9a-f]{64}/,
        })
        .waitFor({ timeout: STEP_MS });
      await expectNoPayload();
    }
    expect(t.app.get(JobWorker).isRunning).toBe(true);
  }, 120_000);

  it('renders the OpenAPI UI at /api/docs under the service’s policy', async () => {
    const response = await page.goto(`${base}/api/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await page.locator('.opblock').first().waitFor({ timeout: STEP_MS });
    const operations = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(operations).toEqual(
      expect.arrayContaining(['/api/jobs/{id}', '/api/jobs', '/api/admin/queues']),
    );
  }, 60_000);
});
