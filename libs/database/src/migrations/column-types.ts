import { QueryRunner } from 'typeorm';

/** A point in time: `timestamptz` on PostgreSQL, `datetime` (stored as UTC) on SQLite. */
export function instantType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}
