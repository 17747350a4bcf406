import { QueryRunner } from 'typeorm';

/** A point in time: `timestamptz` on PostgreSQL, `datetime` (stored as UTC) on SQLite. */
export function instantType(queryRunner: QueryRunner): string {
  return queryRunner.dataSource.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}

/** "Now" as a column default, spelled as each database reports it back (so schemas compare equal). */
export function nowDefault(queryRunner: QueryRunner): string {
  return queryRunner.dataSource.options.type === 'postgres' ? 'now()' : 'CURRENT_TIMESTAMP';
}
