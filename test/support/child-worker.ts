import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { childEnv, ROOT, tsNodeArgs } from './run-entry';
import { TEST_SECRET, TestApp } from './test-app';
import { TEST_DATABASE_URL } from './test-database';

export interface ChildWorker {
  process: ChildProcess;
  id: string;
  /** Resolves with the exit code (or the signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** A worker process's environment: the test app's database, schema, data folder and secret. */
export function workerEnvFor(t: TestApp, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: TEST_DATABASE_URL,
    TEST_SCHEMA: t.schema,
    DATA_DIR: t.config.dataDir,
    AUTH_JWT_SECRET: TEST_SECRET,
    NODE_ENV: 'test',
    JOB_POLL_INTERVAL_SECONDS: '1',
    ...env,
  };
}

/** Starts `test/support/worker-process.ts` in its own process and waits until it claims jobs. */
export async function startChildWorker(env: NodeJS.ProcessEnv): Promise<ChildWorker> {
  const child = spawn(process.execPath, tsNodeArgs('test/support/worker-process.ts'), {
    cwd: ROOT,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(
    ([code, signal]) => (code ?? signal) as number | NodeJS.Signals | null,
  );
  let output = '';
  for await (const chunk of child.stdout) {
    output += String(chunk);
    const ready = /READY (\S+)/.exec(output);
    if (ready) return { process: child, id: ready[1], exited };
  }
  throw new Error(`The worker process ended before it was ready: ${output}`);
}
