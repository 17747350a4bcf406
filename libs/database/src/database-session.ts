import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Mutex } from 'async-mutex';
import type { Pool } from 'pg';
import {
  ConnectionIsNotSetError,
  DataSource,
  EntityManager,
  ObjectLiteral,
  QueryFailedError,
} from 'typeorm';
import type { Database as SqliteConnection, Statement as SqliteStatement } from 'better-sqlite3';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * Parameters as `query` binds them on SQLite (TypeORM's rules): a date as the UTC text entities are
 * written with, a boolean as 0 or 1, a whole number as an integer.
 */
function sqliteValues(parameters: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) {
    if (value instanceof Date) values[name] = value.toISOString().replace('T', ' ').slice(0, 23);
    else if (typeof value === 'boolean') values[name] = value ? 1 : 0;
    else if (typeof value === 'number' && Number.isSafeInteger(value)) values[name] = BigInt(value);
    else values[name] = value;
  }
  return values;
}

/**
 * The one way the service writes in transactions and runs hand-written SQL on either database.
 *
 * SQLite (better-sqlite3) has a single connection shared by every query: two transactions open at
 * once would nest into one another. On SQLite every transaction and every write outside one
 * therefore goes through one mutex; on PostgreSQL they run concurrently, each on its own connection.
 */
@Injectable()
export class DatabaseSession {
  readonly isPostgres: boolean;
  private readonly writes: Mutex | undefined;

  constructor(@InjectDataSource() readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
    this.writes = this.isPostgres ? undefined : new Mutex();
  }

  /** Runs `work` in a transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serialized(() => this.dataSource.transaction(work));
  }

  /** Runs a write outside a transaction, one at a time on SQLite. */
  serialized<T>(work: () => Promise<T>): Promise<T> {
    return this.writes ? this.writes.runExclusive(work) : work();
  }

  /**
   * Runs SQL written with `:name` parameters (`:...list` for lists) on either database, and returns
   * the rows it returned (`RETURNING` included). A `Date` parameter becomes what the column holds:
   * the driver binds it as a timestamp on PostgreSQL and, on SQLite, as the UTC text TypeORM
   * writes for entities (`YYYY-MM-DD HH:MM:SS.mmm`), so raw comparisons match entity writes.
   */
  async query<T extends ObjectLiteral>(
    sql: string,
    parameters: Record<string, unknown>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<T[]> {
    const [statement, bound] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters);
    const runner = manager.queryRunner ?? this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(statement, bound, true);
      return (result.records as T[] | undefined) ?? [];
    } finally {
      if (!manager.queryRunner) await runner.release();
    }
  }

  /**
   * A statement the service runs often, written with `:name` parameters like `query` (no `:...`
   * lists), prepared once. On PostgreSQL its SQL is compiled once and it runs as a named prepared
   * statement, so each connection parses and plans it once rather than on every call (the worker's
   * statements plan for longer than they run); on SQLite it is prepared once on the connection and
   * run there directly, without a query runner or a rewrite of its SQL per call (the poll's read).
   * Parameters are bound, and failures reported (`QueryFailedError`), as `query` does. Outside a
   * transaction only.
   */
  prepare<T extends ObjectLiteral>(
    name: string,
    sql: string,
  ): (parameters: Record<string, unknown>) => Promise<T[]> {
    if (!this.isPostgres) return this.prepareOnSqlite<T>(sql);
    const names: string[] = [];
    const text = sql.replace(/(?<!:):([A-Za-z_][A-Za-z0-9_]*)/g, (_, parameter: string) => {
      const at = names.indexOf(parameter);
      if (at >= 0) return `$${at + 1}`;
      names.push(parameter);
      return `$${names.length}`;
    });
    return async (parameters) => {
      const values = names.map((parameter) => {
        if (!(parameter in parameters)) throw new Error(`${name}: no value for :${parameter}`);
        return parameters[parameter];
      });
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool | undefined;
      // The data source was closed: refused as TypeORM refuses `query` then (a 503, not a 500).
      if (!pool) throw new ConnectionIsNotSetError('postgres');
      try {
        const result = await pool.query<T>({ name, text, values });
        return result.rows;
      } catch (error) {
        // As `query` reports it: the driver's error, its code and the statement, in TypeORM's error.
        throw new QueryFailedError(text, values, error as Error);
      }
    };
  }

  /** `prepare` on SQLite: better-sqlite3 binds `:name` parameters itself. */
  private prepareOnSqlite<T extends ObjectLiteral>(
    sql: string,
  ): (parameters: Record<string, unknown>) => Promise<T[]> {
    let prepared: { on: SqliteConnection; statement: SqliteStatement } | undefined;
    return async (parameters) => {
      const connection = (this.dataSource.driver as BetterSqlite3Driver).databaseConnection as
        SqliteConnection | undefined;
      if (!connection) throw new ConnectionIsNotSetError('better-sqlite3');
      const values = sqliteValues(parameters);
      try {
        // The driver opens a new connection if it reconnects: its statements go with the old one.
        if (prepared?.on !== connection) {
          prepared = { on: connection, statement: connection.prepare(sql) };
        }
        const { statement } = prepared;
        if (!statement.reader) {
          statement.run(values);
          return [];
        }
        return statement.all(values) as T[];
      } catch (error) {
        // As `query` reports it: the driver's error, its code and the statement, in TypeORM's error.
        throw new QueryFailedError(sql, [values], error as Error);
      }
    };
  }

  /** A date read back from raw SQL: SQLite returns its UTC text. */
  fromDatabase(value: unknown): Date | null {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value;
    if (typeof value !== 'string') throw new TypeError(`Not a stored date: ${typeof value}`);
    const text = value;
    return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  }
}
