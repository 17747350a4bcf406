import { randomUUID } from 'node:crypto';
import { packageWith } from './support/encounter-package';
import { ensureBuilt, ServiceProcess, startServiceProcess } from './support/service-process';
import { signTestToken } from './support/test-app';
import { waitFor } from './support/wait-for';

const METRICS_TOKEN = 'metrics-token-0123456789';
const HELD_POLLS = 100;

/**
 * The production commands the README documents (`node dist/apps/api/src/main.js`, and the same for
 * the worker) receive the orchestrator's SIGTERM themselves, and stop within a kill grace period
 * whatever clients hold.
 */
describe('stopping the documented production commands', () => {
  let service: ServiceProcess | undefined;
  beforeAll(() => ensureBuilt(), 240_000);
  afterEach(() => service?.close(), 30_000);

  async function heldPolls(baseUrl: string): Promise<number> {
    const res = await fetch(`${baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const line = /^jobs_long_poll_waiters (\d+)$/m.exec(await res.text());
    return Number(line?.[1] ?? 0);
  }

  it(`the API answers ${HELD_POLLS} held long polls at once on SIGTERM, then exits 0`, async () => {
    service = await startServiceProcess({
      entry: 'api',
      form: 'built',
      env: {
        NODE_ENV: 'production',
        WORKER_ENABLED: 'false',
        METRICS_TOKEN,
        LONG_POLL_MAX_WAITERS_PER_CLIENT: String(HELD_POLLS),
      },
    });
    const { baseUrl } = service;
    const token = await signTestToken({ scope: 'encounter:write job:read' });
    const submitted = await fetch(`${baseUrl}/api/patients/${randomUUID()}/encounter_package`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(packageWith()),
    });
    expect(submitted.status).toBe(202);
    const job = submitted.headers.get('location')!;

    const polls = Array.from({ length: HELD_POLLS }, async () => {
      const res = await fetch(`${baseUrl}${job}`, {
        headers: { authorization: `Bearer ${token}`, prefer: 'wait=60' },
      });
      return {
        at: Date.now(),
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: (await res.json()) as { data?: { status: string } },
      };
    });
    await waitFor(
      async () => ((await heldPolls(baseUrl)) === HELD_POLLS ? true : undefined),
      20_000,
      `${HELD_POLLS} long polls to be held`,
    );

    const signalledAt = Date.now();
    service.signal('SIGTERM');
    const answers = await Promise.all(polls);
    const code = await service.exited;
    const exitedAfterMs = Date.now() - signalledAt;

    expect(code).toBe(0);
    expect(exitedAfterMs).toBeLessThan(5_000);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.data?.status).toBe('pending');
      expect(answer.retryAfter).toMatch(/^\d+$/);
      expect(answer.at - signalledAt).toBeLessThan(3_000);
    }
  }, 120_000);

  it('the worker exits 0 on SIGTERM', async () => {
    service = await startServiceProcess({
      entry: 'worker',
      form: 'built',
      env: { NODE_ENV: 'production' },
    });
    service.signal('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.output()).toMatch(/SIGTERM received: shutting down/);
  }, 120_000);
});
