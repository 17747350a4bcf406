import { ColumnOptions, ColumnType, CreateDateColumn, UpdateDateColumn, Column } from 'typeorm';

let instantType: ColumnType = 'datetime';

/**
 * Points in time are `timestamptz` on PostgreSQL and `datetime` (UTC text) on SQLite; the data source
 * sets which before it builds entity metadata, so entities and migrations agree on both.
 */
export function useInstantTypeFor(driver: 'postgres' | 'better-sqlite3'): void {
  instantType = driver === 'postgres' ? 'timestamptz' : 'datetime';
}

/** Options whose `type` is read when the metadata is built, not when the entity file loads. */
function withInstantType<T extends ColumnOptions>(options: T): T {
  return Object.defineProperty({ ...options }, 'type', {
    enumerable: true,
    get: () => instantType,
  });
}

export const InstantColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  Column(withInstantType(options));

export const CreatedAtColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  CreateDateColumn(withInstantType({ default: () => 'CURRENT_TIMESTAMP', ...options }));

export const UpdatedAtColumn = (options: ColumnOptions = {}): PropertyDecorator =>
  UpdateDateColumn(withInstantType({ default: () => 'CURRENT_TIMESTAMP', ...options }));
