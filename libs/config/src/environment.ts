import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalized)) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** The environment variables the service reads, each with its rule. Empty strings count as unset. */
export class EnvironmentVariables {
  @IsOptional()
  @IsIn(['development', 'test', 'production'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt({ message: 'must be an integer between 1 and 65535' })
  @Min(1, { message: 'must be an integer between 1 and 65535' })
  @Max(65535, { message: 'must be an integer between 1 and 65535' })
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

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  DATABASE_MIGRATIONS_RUN?: boolean;

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

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'must be true or false' })
  TRUST_PROXY?: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function parseEnvironment(env: NodeJS.ProcessEnv): EnvironmentVariables {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const variables = plainToInstance(EnvironmentVariables, present, {
    excludeExtraneousValues: false,
  });
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
