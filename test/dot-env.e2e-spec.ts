import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEntry } from './support/run-entry';

describe('.env in the working directory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mis-jobs-dotenv-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const token = (env: NodeJS.ProcessEnv) =>
    runEntry('apps/api/src/token.ts', ['--client-id', 'mis-1'], env, dir);

  it('is read at start-up, and a bad value in it is refused by name', async () => {
    writeFileSync(join(dir, '.env'), 'AUTH_JWT_SECRET=too-short\n');
    const refused = await token({});
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('AUTH_JWT_SECRET must be at least 32 characters long');

    writeFileSync(join(dir, '.env'), `AUTH_JWT_SECRET=${'s'.repeat(40)}\n`);
    const minted = await token({});
    expect(minted.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  }, 60_000);

  it('does not override a variable already set', async () => {
    writeFileSync(join(dir, '.env'), 'AUTH_JWT_SECRET=too-short\n');
    const minted = await token({ AUTH_JWT_SECRET: 'e'.repeat(40) });
    expect(minted.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  }, 60_000);
});
