import { AppConfig } from '@app/config';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { GuardedPgClient } from './guarded-pg-client';
import { FeatureTables } from './feature-tables';
import { useInstantTypeFor } from './instant-column';

/**
 * How long opening a PostgreSQL connection may take. Without a bound, connections opened while the
 * database is unreachable (packets dropped, not refused) wait for good: the pool stays full of them
 * and the service never recovers once the database is back.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

/**
 * TCP keepalive on every PostgreSQL connection, so an idle connection to a peer that vanished is
 * found out instead of kept.
 */
export const POSTGRES_KEEPALIVE = { keepAlive: true, keepAliveInitialDelayMillis: 10_000 } as const;

/**
 * How much longer than the server's `statement_timeout` the client waits for an answer before it
 * closes the connection: the server's own cancel (a clean error) comes first while it can answer.
 */
const CLIENT_TIMEOUT_MARGIN_MS = 2_000;

export interface DataSourceExtras {
  /** PostgreSQL schema to use instead of `public` (the tests give each suite its own). */
  schema?: string;
}

/**
 * TypeORM options for the configured database, with the libraries' tables (`tablesOf`);
 * `synchronize` stays off, migrations own the schema.
 */
export function dataSourceOptions(
  config: AppConfig,
  tables: FeatureTables,
  extras: DataSourceExtras = {},
): DataSourceOptions {
  const common = {
    entities: tables.entities,
    migrations: tables.migrations,
    migrationsRun: config.migrationsRun,
    migrationsTableName: 'migrations',
    synchronize: false,
  } as const;

  useInstantTypeFor(config.database.kind === 'postgres' ? 'postgres' : 'better-sqlite3');
  if (config.database.kind === 'postgres') {
    return {
      ...common,
      type: 'postgres',
      url: config.database.url,
      schema: extras.schema,
      extra: {
        max: 10,
        connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
        ...POSTGRES_KEEPALIVE,
        // The server cancels a statement running too long; the client gives up on a connection
        // that does not answer at all (silent, not reset), and closes it so its slot comes back.
        statement_timeout: config.database.statementTimeoutMs,
        query_timeout: config.database.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
        Client: GuardedPgClient,
        ...(extras.schema ? { options: `-c search_path=${extras.schema}` } : {}),
      },
    };
  }

  mkdirSync(dirname(config.database.file), { recursive: true });
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.database.file,
    // WAL lets the API read while a worker writes; writes wait for each other instead of failing.
    prepareDatabase: (db: { pragma(statement: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
    },
  };
}
