/**
 * The built service (`dist/`, built first when missing) as a child process, on a PostgreSQL schema
 * of its own (through `search_path` in `DATABASE_URL`). Its request logs are discarded (a busy pipe
 * would slow it down); errors show.
 */
import { SignJWT } from 'jose';
import { ChildProcess, execSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { childEnv, ROOT } from '../../test/support/run-entry';
import { sleep } from '../engine/bench-database';

const MAIN = join(ROOT, 'dist/apps/api/src/main.js');
export const SERVICE_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
export const BENCH_CLIENT = 'bench-client';
/** The client whose own jobs `GET /api/jobs` lists: `LISTED_JOBS` of them, whatever the size. */
export const BENCH_LISTER = 'bench-lister';

export interface Service {
  process: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/** `url` with every session of it working in `schema`. */
export function inSchema(url: string, schema: string): string {
  const address = new URL(url);
  address.searchParams.set('options', `-c search_path=${schema}`);
  return address.toString();
}

export async function startService(
  port: number,
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Service> {
  if (!existsSync(MAIN)) execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    env: childEnv({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      AUTH_JWT_SECRET: SERVICE_SECRET,
      WORKER_ENABLED: 'false',
      RATE_LIMIT_POLL_PER_MINUTE: '1000000',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; tries < 600; tries++) {
    if (child.exitCode !== null) break;
    const up = await fetch(`${url}/health/live`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) {
      return {
        process: child,
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      };
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`The service did not start on port ${port}`);
}

export function serviceToken(clientId: string = BENCH_CLIENT, scope = 'job:read'): Promise<string> {
  return new SignJWT({ client_id: clientId, scope })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('3h')
    .sign(new TextEncoder().encode(SERVICE_SECRET));
}
