export { DatabaseModule } from './database.module';
export {
  dataSourceOptions,
  POSTGRES_CONNECT_TIMEOUT_MS,
  POSTGRES_KEEPALIVE,
} from './data-source-options';
export type { DataSourceExtras } from './data-source-options';
export type { DatabaseRootOptions } from './database.module';
export { tablesOf } from './feature-tables';
export type { EntityClass, FeatureTables, MigrationClass } from './feature-tables';
export { instantType, nowDefault } from './column-types';
export { DatabaseSession } from './database-session';
export { isDatabaseUnavailable, isUniqueViolation } from './unavailable-errors';
export { InstantColumn, CreatedAtColumn, UpdatedAtColumn } from './instant-column';
