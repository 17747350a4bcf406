import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv, ROOT, tsNodeArgs } from './run-entry';
import { TEST_SECRET } from './test-app';
import { createSchema, dropSchema, TEST_DATABASE_URL } from './test-database';

export type Entry = 'api' | 'worker';

/** How the entry runs: its TypeScript source (ts-node), or the build the README's commands run. */
export type EntryForm = 'source' | 'built';

export interface ServiceProcessOptions {
  entry: Entry;
  form?: EntryForm;
  /** Run it under a pseudo-terminal (`script`), as a person typing the command would. */
  terminal?: boolean;
  /** Variables beyond the defaults below (an `undefined` value unsets one). */
  env?: NodeJS.ProcessEnv;
}

export interface ServiceProcess {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  dataDir: string;
  /** The suite's PostgreSQL URL for this process (search_path on its own schema), else undefined. */
  databaseUrl: string | undefined;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first line of output matching `pattern`, waiting up to `ms` for it. */
  line(pattern: RegExp, ms?: number): Promise<string>;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  /** Sends `signal` to the process (to the terminal's whole group under `terminal`). */
  signal(signal: NodeJS.Signals): void;
  /** Stops it (SIGTERM, then SIGKILL after 10 s) and removes its data folder and schema. */
  close(): Promise<void>;
}

export const BUILT_ENTRIES: Record<Entry, string> = {
  api: 'dist/apps/api/src/main.js',
  worker: 'dist/apps/worker/src/main.js',
};
const SOURCE_ENTRIES: Record<Entry, string> = {
  api: 'apps/api/src/main.ts',
  worker: 'apps/worker/src/main.ts',
};

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The suite's PostgreSQL with its search_path on `schema`: a separate process's database. */
export function databaseUrlFor(schema: string): string {
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (name.endsWith('.ts')) newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * Builds the apps (`npm run build`) unless the build is newer than every source file, so a test of
 * the documented `node dist/...` commands never runs a stale build.
 */
export function ensureBuilt(): void {
  const built = Object.values(BUILT_ENTRIES).map((file) => join(ROOT, file));
  const sources = Math.max(
    newestSourceMtime(join(ROOT, 'apps')),
    newestSourceMtime(join(ROOT, 'libs')),
  );
  if (built.every((file) => existsSync(file) && statSync(file).mtimeMs > sources)) return;
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'ignore', timeout: 180_000 });
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Starts the API or the worker as its own process, on a fresh data folder (and on PostgreSQL a
 * fresh schema), and waits until the API answers `/health/live` (the worker: until it logs that it
 * started). Defaults: development, the test secret, info logs.
 */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const form = options.form ?? 'source';
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'mis-jobs-process-'));
  const schema = TEST_DATABASE_URL ? await createSchema(TEST_DATABASE_URL) : undefined;
  const databaseUrl = schema ? databaseUrlFor(schema) : undefined;
  const env = childEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: TEST_SECRET,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    ...options.env,
  });
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];

  const args =
    form === 'built'
      ? [join(ROOT, BUILT_ENTRIES[options.entry])]
      : tsNodeArgs(SOURCE_ENTRIES[options.entry]);
  const child = options.terminal
    ? spawn('script', ['-qfec', [process.execPath, ...args].map(quote).join(' '), '/dev/null'], {
        cwd: ROOT,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  const exited = once(child, 'exit').then(
    ([code, signal]) => (code ?? signal) as number | NodeJS.Signals,
  );
  const signal = (name: NodeJS.Signals) => {
    if (options.terminal) process.kill(-child.pid!, name);
    else child.kill(name);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const service: ServiceProcess = {
    child,
    port,
    baseUrl,
    dataDir,
    databaseUrl,
    output: () => output,
    line: async (pattern, ms = 15_000) => {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = output.split(/\r?\n/).find((line) => pattern.test(line));
        if (found !== undefined) return found;
        if (Date.now() > deadline) {
          throw new Error(`No line matched ${pattern} in ${ms} ms; got:\n${output.slice(-3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    exited,
    signal,
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        signal('SIGTERM');
        const timer = setTimeout(() => signal('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) await dropSchema(TEST_DATABASE_URL!, schema);
    },
  };

  const deadline = Date.now() + 90_000;
  let ended = false;
  void exited.then(() => (ended = true));
  for (;;) {
    if (options.entry === 'worker' ? /Worker \S+ started/.test(output) : await answers(baseUrl)) {
      return service;
    }
    if (ended || Date.now() > deadline) {
      await service.close();
      throw new Error(`The ${options.entry} did not come up; it wrote:\n${output.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function answers(baseUrl: string): Promise<boolean> {
  try {
    return (await fetch(`${baseUrl}/health/live`)).status === 200;
  } catch {
    return false;
  }
}
