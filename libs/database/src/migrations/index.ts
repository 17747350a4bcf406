import { CreateJobs1764300000000 } from './1764300000000-create-jobs';
import { JobEngine1764310000000 } from './1764310000000-job-engine';
import { EncounterPackages1764320000000 } from './1764320000000-encounter-packages';
import { RecordOwners1764330000000 } from './1764330000000-record-owners';

/** Every migration, oldest first. A new migration is added at the end of this list. */
export const MIGRATIONS = [
  CreateJobs1764300000000,
  JobEngine1764310000000,
  EncounterPackages1764320000000,
  RecordOwners1764330000000,
];
