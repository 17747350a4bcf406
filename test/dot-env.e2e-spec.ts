import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');

describe('.env in the working directory', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mis-jobs-dotenv-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const token = async (env: NodeJS.ProcessEnv) => {
    const result = await run(
      join(ROOT, 'node_modules', '.bin', 'ts-node'),
      [
        '--transpile-only',
        '-P',
        join(ROOT, 'tsconfig.json'),
        '-r',
        require.resolve('tsconfig-paths/register'),
        join(ROOT, 'apps/api/src/token.ts'),
        '--client-id',
        'mis-1',
      ],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          ...env,
        },
      },
    ).catch((error: { code: number; stderr: string }) => error);
    return result;
  };

  it('is read at start-up, and a bad value in it is refused by name', async () => {
    writeFileSync(join(dir, '.env'), 'AUTH_JWT_SECRET=too-short\n');
    const refused = await token({});
    expect('code' in refused ? refused.code : 0).toBe(1);
    expect(refused.stderr).toContain('AUTH_JWT_SECRET must be at least 32 characters long');

    writeFileSync(join(dir, '.env'), `AUTH_JWT_SECRET=${'s'.repeat(40)}\n`);
    const minted = await token({});
    expect('stdout' in minted ? minted.stdout.trim() : '').toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  }, 60_000);

  it('does not override a variable already set', async () => {
    writeFileSync(join(dir, '.env'), 'AUTH_JWT_SECRET=too-short\n');
    const minted = await token({ AUTH_JWT_SECRET: 'e'.repeat(40) });
    expect('stdout' in minted ? minted.stdout.trim() : '').toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  }, 60_000);
});
