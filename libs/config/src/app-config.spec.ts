import { join, resolve } from 'node:path';
import { loadConfig } from './app-config';
import { ConfigError } from './environment';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to refuse the environment');
}

describe('loadConfig', () => {
  describe('defaults', () => {
    const config = loadConfig({});

    it('listens on port 3000 of every interface in development', () => {
      expect(config.port).toBe(3000);
      expect(config.host).toBe('0.0.0.0');
      expect(config.nodeEnv).toBe('development');
      expect(config.isProduction).toBe(false);
    });

    it('keeps its data in ./data, resolved to an absolute path', () => {
      expect(config.dataDir).toBe(resolve(process.cwd(), 'data'));
    });

    it('uses a SQLite file inside the data folder', () => {
      expect(config.database.kind).toBe('sqlite');
      expect(config.database).toEqual({ kind: 'sqlite', file: expect.stringMatching(/\.sqlite$/) });
      expect(
        config.database.kind === 'sqlite' &&
          config.database.file.startsWith(join(config.dataDir, '/')),
      ).toBe(true);
    });

    it('runs migrations and does not trust a proxy', () => {
      expect(config.migrationsRun).toBe(true);
      expect(config.trustProxy).toBe(false);
    });

    it('is reached at its listen address, localhost for every interface', () => {
      expect(config.publicUrl).toBe('http://localhost:3000');
    });

    it('verifies tokens with a secret generated in the data folder, without issuer or audience', () => {
      expect(config.auth.key.kind).toBe('generated-secret');
      expect(
        config.auth.key.kind === 'generated-secret' &&
          config.auth.key.file.startsWith(config.dataDir),
      ).toBe(true);
      expect(config.auth.issuer).toBeUndefined();
      expect(config.auth.audience).toBeUndefined();
    });
  });

  it('reads every variable it is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '8080',
      DATA_DIR: '/var/lib/mis-jobs',
      DATABASE_MIGRATIONS_RUN: 'false',
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'mis-jobs',
      TRUST_PROXY: 'true',
    });

    expect(config).toMatchObject({
      nodeEnv: 'production',
      host: '127.0.0.1',
      port: 8080,
      dataDir: '/var/lib/mis-jobs',
      migrationsRun: false,
      auth: {
        key: { kind: 'secret', secret: SECRET },
        issuer: 'https://idp.example',
        audience: 'mis-jobs',
      },
      trustProxy: true,
    });
    expect(config.isProduction).toBe(true);
  });

  it.each([
    [{ HOST: '10.0.0.5', PORT: '8080' }, 'http://10.0.0.5:8080'],
    [{ HOST: '::1' }, 'http://[::1]:3000'],
    [{ PUBLIC_URL: 'https://mis.hospital.example/' }, 'https://mis.hospital.example'],
    [{ PUBLIC_URL: 'https://gateway.example/jobs-api' }, 'https://gateway.example/jobs-api'],
  ])('is reached at %j: %s', (env, publicUrl) => {
    expect(loadConfig(env).publicUrl).toBe(publicUrl);
  });

  it.each(['postgres://u:p@db:5432/mis', 'postgresql://db/mis'])(
    'selects PostgreSQL for DATABASE_URL=%s',
    (url) => {
      expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
        kind: 'postgres',
        url,
        statementTimeoutMs: 15_000,
      });
    },
  );

  it('bounds PostgreSQL statements by DATABASE_STATEMENT_TIMEOUT_SECONDS', () => {
    const database = loadConfig({
      DATABASE_URL: 'postgres://db/mis',
      DATABASE_STATEMENT_TIMEOUT_SECONDS: '4',
    }).database;
    expect(database.kind === 'postgres' && database.statementTimeoutMs).toBe(4_000);
  });

  it('selects a JWKS when AUTH_JWKS_URL is set', () => {
    const url = 'https://idp.example/.well-known/jwks.json';

    expect(loadConfig({ AUTH_JWKS_URL: url }).auth.key).toEqual({ kind: 'jwks', url });
  });

  describe('in production with a JWKS', () => {
    const jwks = {
      NODE_ENV: 'production',
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
    };

    it.each([
      ['neither', {}, /AUTH_ISSUER and AUTH_AUDIENCE/],
      ['no audience', { AUTH_ISSUER: 'https://idp.example' }, /set AUTH_AUDIENCE so/],
      ['no issuer', { AUTH_AUDIENCE: 'mis-jobs' }, /set AUTH_ISSUER so/],
    ])('refuses %s of issuer and audience, naming the variables', (_, set, naming) => {
      const { message } = configError({ ...jwks, ...set });
      expect(message).toMatch(naming);
      expect(message).toContain('AUTH_ACCEPT_ANY_AUDIENCE');
    });

    it('starts with both, and checks both', () => {
      const config = loadConfig({
        ...jwks,
        AUTH_ISSUER: 'https://idp.example',
        AUTH_AUDIENCE: 'mis-jobs',
      });
      expect(config.auth).toMatchObject({ issuer: 'https://idp.example', audience: 'mis-jobs' });
    });

    it('starts without them only when AUTH_ACCEPT_ANY_AUDIENCE says so', () => {
      const config = loadConfig({ ...jwks, AUTH_ACCEPT_ANY_AUDIENCE: 'true' });
      expect(config.auth.audience).toBeUndefined();
    });

    it('is not asked of a shared secret, which is this service’s own', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: SECRET })).not.toThrow();
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '0'],
    ['DATABASE_URL', 'mysql://x'],
    ['NODE_ENV', 'staging'],
    ['AUTH_JWT_SECRET', 'too-short'],
    ['TRUST_PROXY', 'maybe'],
    ['DATABASE_MIGRATIONS_RUN', 'sometimes'],
    ['DATABASE_STATEMENT_TIMEOUT_SECONDS', '0'],
    ['AUTH_JWKS_URL', 'not-a-url'],
    ['AUTH_JWKS_URL', 'idp.example/jwks.json'],
    ['AUTH_JWKS_URL', 'ftp://idp.example/jwks.json'],
    ['PUBLIC_URL', 'mis.example'],
    ['PUBLIC_URL', 'https://mis.example/?a=1'],
  ])('refuses %s=%s with a ConfigError naming the variable', (name, value) => {
    expect(configError({ [name]: value }).message).toContain(name);
  });

  it('names every invalid variable at once', () => {
    const { message } = configError({ PORT: 'abc', NODE_ENV: 'staging' });

    expect(message).toContain('PORT');
    expect(message).toContain('NODE_ENV');
  });

  it.each([
    ['no key at all', {}],
    ['keys set to empty strings', { AUTH_JWKS_URL: '', AUTH_JWT_SECRET: '   ' }],
  ])('refuses production with %s, in one sentence naming both key variables', (_, keys) => {
    const { message } = configError({ NODE_ENV: 'production', ...keys });

    expect(message).toContain('AUTH_JWKS_URL');
    expect(message).toContain('AUTH_JWT_SECRET');
    expect(message.trim().split(/[.;]\s+(?=[A-Z])/)).toHaveLength(1);
  });

  it('refuses both a JWKS and a secret', () => {
    const { message } = configError({
      AUTH_JWKS_URL: 'https://idp.example/jwks.json',
      AUTH_JWT_SECRET: SECRET,
    });

    expect(message).toContain('AUTH_JWKS_URL');
    expect(message).toContain('AUTH_JWT_SECRET');
  });

  it('counts empty strings as unset', () => {
    const config = loadConfig({
      PORT: '',
      DATA_DIR: '',
      DATABASE_URL: '',
      NODE_ENV: '',
      TRUST_PROXY: '  ',
      AUTH_JWKS_URL: '',
      AUTH_JWT_SECRET: SECRET,
    });

    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(resolve('data'));
    expect(config.database.kind).toBe('sqlite');
    expect(config.nodeEnv).toBe('development');
    expect(config.trustProxy).toBe(false);
    expect(config.auth.key).toEqual({ kind: 'secret', secret: SECRET });
  });
});
