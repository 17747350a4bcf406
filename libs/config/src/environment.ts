import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MinLength,
  validateSync,
} from 'class-validator';
import { Flag, IntegerBetween } from './variable-rules';

/** The environment variables the service reads, each with its rule. Empty strings count as unset. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IntegerBetween(1, 65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR?: string;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  @Flag()
  DATABASE_MIGRATIONS_RUN?: boolean;

  @IntegerBetween(1, 600)
  DATABASE_STATEMENT_TIMEOUT_SECONDS?: number;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL' },
  )
  AUTH_JWKS_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters long' })
  AUTH_JWT_SECRET?: string;

  @IsOptional()
  @IsString()
  AUTH_ISSUER?: string;

  @IsOptional()
  @IsString()
  AUTH_AUDIENCE?: string;

  @Flag()
  AUTH_ACCEPT_ANY_AUDIENCE?: boolean;

  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL' },
  )
  @Matches(/^[^?#]*$/, { message: 'must have no query string or fragment' })
  PUBLIC_URL?: string;

  @Flag()
  TRUST_PROXY?: boolean;

  @Flag()
  WORKER_ENABLED?: boolean;

  @IntegerBetween(1, 256)
  WORKER_CONCURRENCY?: number;

  @IntegerBetween(5, 3600)
  JOB_LEASE_SECONDS?: number;

  @IntegerBetween(1, 100)
  JOB_MAX_ATTEMPTS?: number;

  @IntegerBetween(1, 3650)
  JOB_TTL_DAYS?: number;

  @IntegerBetween(1, 300)
  JOB_POLL_INTERVAL_SECONDS?: number;

  @IntegerBetween(0, 600)
  JOB_SHUTDOWN_GRACE_SECONDS?: number;

  @IntegerBetween(0, 100000)
  LONG_POLL_MAX_WAITERS?: number;

  @IntegerBetween(0, 100000)
  LONG_POLL_MAX_WAITERS_PER_CLIENT?: number;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters long' })
  METRICS_TOKEN?: string;

  @IntegerBetween(1024, 104857600)
  BODY_LIMIT_BYTES?: number;

  @IntegerBetween(1, 600)
  REQUEST_TIMEOUT_SECONDS?: number;

  @IntegerBetween(1, 600)
  REQUEST_RECEIVE_TIMEOUT_SECONDS?: number;

  @IntegerBetween(1, 1000000)
  RATE_LIMIT_SUBMIT_PER_MINUTE?: number;

  @IntegerBetween(1, 1000000)
  RATE_LIMIT_POLL_PER_MINUTE?: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  return parseVariables(EnvironmentVariables, env);
}

/**
 * The variables a class declares (each property an environment variable with its class-validator
 * rules), read from `env` and checked: a wrong value throws a `ConfigError` naming every variable
 * at fault. Empty strings count as unset.
 */
export function parseVariables<T extends object>(
  Variables: new () => T,
  env: NodeJS.ProcessEnv,
): T {
  const declared = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Variables, '', true, false)
      .map((rule) => rule.propertyName),
  );
  const present = Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => declared.has(name) && value !== undefined && value.trim() !== '',
    ),
  );
  const variables = plainToInstance(Variables, present);
  const errors = validateSync(variables, { skipMissingProperties: false });
  if (errors.length > 0) {
    const details = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).map((reason) =>
        reason.startsWith(`${error.property} `) ? reason.slice(error.property.length + 1) : reason,
      );
      return `${error.property} ${[...new Set(reasons)].join(', ')}`;
    });
    throw new ConfigError(`Invalid configuration: ${details.join('; ')}.`);
  }
  return variables;
}
