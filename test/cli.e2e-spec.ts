import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { runEntry } from './support/run-entry';
import { startTestApp } from './support/test-app';

describe('command line', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'mis-jobs-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('npm run token prints, as its last line, a token the service on the same data folder accepts', async () => {
    const minted = await runEntry(
      'apps/api/src/token.ts',
      ['--client-id', 'mis-7', '--scope', 'job:read'],
      { DATA_DIR: dataDir },
    );
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim().split('\n').pop()!;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(statSync(join(dataDir, 'auth-secret')).mode & 0o777).toBe(0o600);

    const t = await startTestApp({ DATA_DIR: dataDir, AUTH_JWT_SECRET: undefined });
    try {
      const job = await t.jobs.insert({
        type: 'test.job',
        clientId: 'mis-7',
        payload: {},
        eta: new Date(Date.now() + 5_000),
      });
      const res = await request(t.app.getHttpServer())
        .get(`/api/jobs/${job.id}`)
        .set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('pending');
    } finally {
      await t.close();
    }
  }, 90_000);

  it('npm run token mints an operator token (job:admin) that opens /api/admin and nothing else', async () => {
    const minted = await runEntry(
      'apps/api/src/token.ts',
      ['--client-id', 'ops-1', '--scope', 'job:admin'],
      { DATA_DIR: dataDir },
    );
    expect(minted.code).toBe(0);
    const token = minted.stdout.trim().split('\n').pop()!;
    const t = await startTestApp({ DATA_DIR: dataDir, AUTH_JWT_SECRET: undefined });
    try {
      const get = (path: string) =>
        request(t.app.getHttpServer()).get(path).set('authorization', `Bearer ${token}`);
      expect((await get('/api/admin/queues')).status).toBe(200);
      expect((await get('/api/jobs')).status).toBe(403);
    } finally {
      await t.close();
    }
  }, 90_000);

  it('refuses to start in production without a token key, in one sentence', async () => {
    const started = await runEntry('apps/api/src/main.ts', [], {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
    });
    expect(started.code).toBe(1);
    const lines = started.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/AUTH_JWKS_URL.*AUTH_JWT_SECRET/);
  }, 90_000);

  it('refuses to start in production with a JWKS but no audience or issuer, naming both', async () => {
    const started = await runEntry('apps/api/src/main.ts', [], {
      NODE_ENV: 'production',
      DATA_DIR: dataDir,
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    });
    expect(started.code).toBe(1);
    const lines = started.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/AUTH_ISSUER and AUTH_AUDIENCE/);
  }, 90_000);

  it('refuses to start with an invalid variable, naming it', async () => {
    const started = await runEntry('apps/api/src/main.ts', [], {
      PORT: 'eighty',
      DATA_DIR: dataDir,
    });
    expect(started.code).toBe(1);
    expect(started.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid configuration: PORT /),
    ]);
  }, 90_000);

  it('refuses to start with an invalid feature setting, naming it (the worker too)', async () => {
    for (const entry of ['apps/api/src/main.ts', 'apps/worker/src/main.ts']) {
      const started = await runEntry(entry, [], {
        ENCOUNTER_CLOCK_SKEW_SECONDS: 'soon',
        DATA_DIR: dataDir,
      });
      expect(started.code).toBe(1);
      expect(started.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^Invalid configuration: ENCOUNTER_CLOCK_SKEW_SECONDS /),
      ]);
    }
  }, 180_000);
});
