import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CHECK = join(__dirname, 'node-version-check.js');

/** Runs the check as an entry point would, with `version` in place of `process.versions.node`. */
function checkAs(version: string): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(
    process.execPath,
    ['-e', `require(${JSON.stringify(CHECK)}).exitUnlessSupported(${JSON.stringify(version)})`],
    { encoding: 'utf8', timeout: 30_000 },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const needed = 'Node.js 20.19 or later on 20.x, 22.13 or later on 22.x, or 24.11 or later';

describe('the Node.js version check', () => {
  it.each([
    '20.11.1', // process.loadEnvFile, but no require() of ES modules
    '20.18.3',
    'v18.20.4',
    '21.7.3',
    '22.12.0', // require(esm), but below TypeORM 1's 22.13
    '23.11.0',
    '24.10.0',
    'not-a-version',
  ])('on Node.js %s prints one line naming the versions needed, and exits 1', (version) => {
    const run = checkAs(version);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`The MIS jobs service needs ${needed}; this is Node.js ${version}.\n`);
  });

  it.each(['20.19.0', '20.20.2', '22.13.0', '22.22.1', '24.11.0', '25.0.0', '26.3.1'])(
    'on Node.js %s says nothing and lets the entry point go on',
    (version) => {
      expect(checkAs(version)).toEqual({ code: 0, stdout: '', stderr: '' });
    },
  );

  it('passes on the Node.js running these tests when run as `npm start` runs it', () => {
    const run = spawnSync(process.execPath, [CHECK], { encoding: 'utf8', timeout: 30_000 });

    expect({ code: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('runs before anything else in every entry point and in npm start', () => {
    for (const entry of ['api/src/main.ts', 'worker/src/main.ts', 'api/src/token.ts']) {
      const firstImport = /^import .*$/m.exec(readFileSync(join(__dirname, entry), 'utf8'));
      expect([entry, firstImport?.[0]]).toEqual([entry, "import '../../node-version-check';"]);
    }
    const scripts = (
      JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toMatch(/^node apps\/node-version-check\.js && /);
  });
});
