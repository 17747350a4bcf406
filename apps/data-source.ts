import { loadConfig, readDotEnv } from '@app/config';
import { dataSourceOptions, tablesOf } from '@app/database';
import { JobsModule } from '@app/jobs';
import { DataSource } from 'typeorm';
import { FEATURE_MODULES } from './features';

readDotEnv();

/**
 * The data source of the TypeORM CLI (`npm run migration:*`): the configured database, with the
 * tables of the jobs library and of every feature module, as the service opens it.
 */
export default new DataSource({
  ...dataSourceOptions(loadConfig(), tablesOf([JobsModule, ...FEATURE_MODULES])),
  migrationsRun: false,
});
