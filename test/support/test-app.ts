import { AppConfig, loadConfig } from '@app/config';
import { DatabaseSession } from '@app/database';
import { LoggingOptions } from '@app/observability';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/api/src/create-app';
import { JobRows } from './job-rows';
import { ProbeModule } from './probe.module';
import { TestJobsModule } from './test-jobs.module';
import { createSchema, dropSchema, TEST_DATABASE_URL } from './test-database';

export const TEST_SECRET = 'e2e-secret-0123456789abcdef0123456789abcdef';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  /** The suite's PostgreSQL schema (undefined on SQLite). */
  schema: string | undefined;
  /** The jobs table, read and written directly. */
  jobs: JobRows;
  /** A valid HS256 token for the test secret, with these claims merged over the defaults. */
  token(claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real application on the suite's own database: a fresh SQLite file in a temporary folder, or a
 * fresh schema of `TEST_DATABASE_URL`. The probe routes are mounted beside the service's own.
 * `env` overrides the test defaults (an `undefined` value unsets one).
 */
export interface TestAppOptions {
  logging?: LoggingOptions;
  /** Runs before the application is initialised (Fastify takes no new hook once ready). */
  beforeInit?: (app: NestFastifyApplication) => void;
}

export async function startTestApp(
  env: NodeJS.ProcessEnv = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'mis-jobs-e2e-'));
  const schema = TEST_DATABASE_URL ? await createSchema(TEST_DATABASE_URL) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUTH_JWT_SECRET: TEST_SECRET,
    DATABASE_URL: TEST_DATABASE_URL,
    // Suites that insert jobs by hand keep them pending; the engine suites turn the worker on.
    WORKER_ENABLED: 'false',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createApp(config, {
    database: { schema },
    // A suite that captures the logs gets the framework's lines too (they carry the request id).
    frameworkLogs: options.logging !== undefined,
    logging: options.logging,
    imports: [ProbeModule, TestJobsModule],
  });
  options.beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  return {
    app,
    config,
    schema,
    jobs: new JobRows(app.get(DatabaseSession)),
    token: (claims = {}) => signTestToken(claims),
    close: async () => {
      await app.close();
      if (TEST_DATABASE_URL && schema) await dropSchema(TEST_DATABASE_URL, schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function signTestToken(
  claims: Record<string, unknown> = {},
  secret: string = TEST_SECRET,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ client_id: 'mis-1', scope: 'job:read', exp: now + 300, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt(now)
    .sign(new TextEncoder().encode(secret));
}
