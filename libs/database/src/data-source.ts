import { loadConfig } from '@app/config';
import { Condition, Encounter, Icd10Code, Visit } from '@app/encounter-packages';
import { Job } from '@app/jobs';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/** The standalone data source of the TypeORM CLI (`npm run migration:*`), from the same environment. */
export default new DataSource({
  ...dataSourceOptions(loadConfig()),
  migrationsRun: false,
  entities: [Job, Visit, Encounter, Condition, Icd10Code],
});
