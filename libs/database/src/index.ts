export { DatabaseModule } from './database.module';
export {
  dataSourceOptions,
  POSTGRES_CONNECT_TIMEOUT_MS,
  POSTGRES_KEEPALIVE,
} from './data-source-options';
export type { DataSourceExtras } from './data-source-options';
export { MIGRATIONS } from './migrations';
export { DatabaseSession } from './database-session';
export { isDatabaseUnavailable } from './unavailable-errors';
export {
  InstantColumn,
  CreatedAtColumn,
  UpdatedAtColumn,
  useInstantTypeFor,
} from './instant-column';
