import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(__dirname, '..', '..');
const PROJECT = join(ROOT, 'tsconfig.json');

/** Node arguments that run a TypeScript entry point of the repository from any working folder. */
export function tsNodeArgs(file: string): string[] {
  return [
    '-r',
    require.resolve('ts-node/register/transpile-only'),
    '-r',
    require.resolve('tsconfig-paths/register'),
    join(ROOT, file),
  ];
}

/** The environment of a child: PATH and HOME, this project's tsconfig, and exactly `env`. */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PATH, HOME } = process.env;
  return { PATH, HOME, TS_NODE_PROJECT: PROJECT, ...env };
}

export interface EntryResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an entry point (`apps/api/src/token.ts`, ...) to its end, as `npm run` would. */
export async function runEntry(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string = ROOT,
): Promise<EntryResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [...tsNodeArgs(file), ...args],
      { cwd, env: childEnv(env), timeout: 60_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as EntryResult;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
