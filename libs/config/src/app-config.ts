import { resolve, join } from 'node:path';
import { ConfigError, parseEnvironment } from './environment';

export type DatabaseConfig =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** The longest a statement may run; a connection silent for longer is closed. */
      readonly statementTimeoutMs: number;
    }
  | { readonly kind: 'sqlite'; readonly file: string };

/** Where the key that verifies bearer tokens comes from. */
export type AuthKeyConfig =
  | { readonly kind: 'jwks'; readonly url: string }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'generated-secret'; readonly file: string };

/** How this process runs jobs and keeps them. */
export interface JobsConfig {
  /** Whether this process claims and runs jobs (the worker app always does). */
  readonly workerEnabled: boolean;
  readonly concurrency: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly ttlDays: number;
  readonly pollIntervalMs: number;
  readonly shutdownGraceMs: number;
  readonly longPollMaxWaiters: number;
  readonly longPollMaxWaitersPerClient: number;
}

/** How the service is observed and protected. */
export interface OperationsConfig {
  readonly logLevel: string;
  /** Bearer token `/metrics` requires; the route answers 404 without one configured. */
  readonly metricsToken: string | undefined;
  readonly bodyLimitBytes: number;
  readonly requestTimeoutMs: number;
  /** How long a client may take to send a whole request (headers and body); 408 after. */
  readonly requestReceiveTimeoutMs: number;
  readonly submitPerMinute: number;
  readonly pollPerMinute: number;
}

export interface AuthConfig {
  readonly key: AuthKeyConfig;
  readonly issuer?: string;
  readonly audience?: string;
}

/** The validated configuration of the service, built once from the environment. */
export class AppConfig {
  readonly nodeEnv: 'development' | 'test' | 'production';
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly migrationsRun: boolean;
  readonly auth: AuthConfig;
  /**
   * The address callers reach the service at (`scheme://host[:port][/prefix]`, no trailing slash):
   * `meta.url` is built from it, never from a `Host` header the client chose.
   */
  readonly publicUrl: string;
  readonly trustProxy: boolean;
  readonly jobs: JobsConfig;
  readonly operations: OperationsConfig;
  /** The environment it was loaded from: feature settings read their own variables from it. */
  readonly environment: Readonly<NodeJS.ProcessEnv>;

  constructor(values: Omit<AppConfig, 'isProduction'>) {
    Object.assign(this, values);
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }
}

const GENERATED_SECRET_FILE = 'auth-secret';
const SQLITE_FILE = 'mis-jobs.sqlite';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const vars = parseEnvironment(env);
  const nodeEnv = (vars.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const dataDir = resolve(vars.DATA_DIR ?? './data');
  const host = vars.HOST ?? '0.0.0.0';
  const port = vars.PORT ?? 3000;

  return new AppConfig({
    environment: { ...env },
    nodeEnv,
    host,
    port,
    dataDir,
    database: vars.DATABASE_URL
      ? {
          kind: 'postgres',
          url: vars.DATABASE_URL,
          statementTimeoutMs: (vars.DATABASE_STATEMENT_TIMEOUT_SECONDS ?? 15) * 1000,
        }
      : { kind: 'sqlite', file: join(dataDir, SQLITE_FILE) },
    migrationsRun: vars.DATABASE_MIGRATIONS_RUN ?? true,
    auth: authConfig(vars, nodeEnv, dataDir),
    publicUrl: (vars.PUBLIC_URL ?? listenUrl(host, port)).replace(/\/+$/, ''),
    trustProxy: vars.TRUST_PROXY ?? false,
    jobs: {
      // The embedded default is one process: it runs its jobs itself unless told otherwise.
      workerEnabled: vars.WORKER_ENABLED ?? !vars.DATABASE_URL,
      concurrency: vars.WORKER_CONCURRENCY ?? 4,
      leaseMs: (vars.JOB_LEASE_SECONDS ?? 30) * 1000,
      maxAttempts: vars.JOB_MAX_ATTEMPTS ?? 5,
      ttlDays: vars.JOB_TTL_DAYS ?? 7,
      pollIntervalMs: (vars.JOB_POLL_INTERVAL_SECONDS ?? 5) * 1000,
      shutdownGraceMs: (vars.JOB_SHUTDOWN_GRACE_SECONDS ?? 10) * 1000,
      longPollMaxWaiters: vars.LONG_POLL_MAX_WAITERS ?? 1000,
      longPollMaxWaitersPerClient: vars.LONG_POLL_MAX_WAITERS_PER_CLIENT ?? 100,
    },
    operations: {
      logLevel: vars.LOG_LEVEL ?? 'info',
      metricsToken: vars.METRICS_TOKEN,
      bodyLimitBytes: vars.BODY_LIMIT_BYTES ?? 1024 * 1024,
      requestTimeoutMs: (vars.REQUEST_TIMEOUT_SECONDS ?? 30) * 1000,
      requestReceiveTimeoutMs: (vars.REQUEST_RECEIVE_TIMEOUT_SECONDS ?? 30) * 1000,
      submitPerMinute: vars.RATE_LIMIT_SUBMIT_PER_MINUTE ?? 120,
      pollPerMinute: vars.RATE_LIMIT_POLL_PER_MINUTE ?? 1200,
    },
  });
}

/** The listen address as a URL; every interface (0.0.0.0, ::) is reached locally as localhost. */
function listenUrl(host: string, port: number): string {
  const name = ['0.0.0.0', '::', ''].includes(host)
    ? 'localhost'
    : host.includes(':')
      ? `[${host}]`
      : host;
  return `http://${name}:${port}`;
}

/**
 * The token key, and the issuer and audience tokens must carry. In production with an identity
 * provider's key set, both are required: without them a token the same provider minted for another
 * application, with the same scope names, would be accepted here. `AUTH_ACCEPT_ANY_AUDIENCE`
 * accepts that knowingly.
 */
function authConfig(
  vars: ReturnType<typeof parseEnvironment>,
  nodeEnv: AppConfig['nodeEnv'],
  dataDir: string,
): AuthConfig {
  const key = authKey(vars.AUTH_JWKS_URL, vars.AUTH_JWT_SECRET, nodeEnv, dataDir);
  const missing = [
    vars.AUTH_ISSUER ? undefined : 'AUTH_ISSUER',
    vars.AUTH_AUDIENCE ? undefined : 'AUTH_AUDIENCE',
  ].filter((name): name is string => name !== undefined);
  if (
    nodeEnv === 'production' &&
    key.kind === 'jwks' &&
    missing.length > 0 &&
    !vars.AUTH_ACCEPT_ANY_AUDIENCE
  ) {
    throw new ConfigError(
      `Refusing to start: with AUTH_JWKS_URL in production, set ${missing.join(' and ')} so that ` +
        'only tokens your identity provider issued for this service are accepted (or set ' +
        'AUTH_ACCEPT_ANY_AUDIENCE=true to accept tokens it issued for any application).',
    );
  }
  return { key, issuer: vars.AUTH_ISSUER, audience: vars.AUTH_AUDIENCE };
}

function authKey(
  jwksUrl: string | undefined,
  secret: string | undefined,
  nodeEnv: AppConfig['nodeEnv'],
  dataDir: string,
): AuthKeyConfig {
  if (jwksUrl && secret) {
    throw new ConfigError(
      'Invalid configuration: set either AUTH_JWKS_URL or AUTH_JWT_SECRET, not both.',
    );
  }
  if (jwksUrl) return { kind: 'jwks', url: jwksUrl };
  if (secret) return { kind: 'secret', secret };
  if (nodeEnv === 'production') {
    throw new ConfigError(
      'Refusing to start: NODE_ENV is production but no token key is configured; set AUTH_JWKS_URL or AUTH_JWT_SECRET.',
    );
  }
  return { kind: 'generated-secret', file: join(dataDir, GENERATED_SECRET_FILE) };
}
