import { EncounterPackagesModule } from '@app/encounter-packages';
import { EpisodesModule } from '@app/episodes';
import { JobAdminModule } from '@app/job-admin';

/**
 * The feature modules of the service, in one list the API and the worker share: the API serves
 * their routes, the worker runs their job handlers, and the database holds their tables (each
 * declares its entities and migrations with `DatabaseModule.forFeature`). A new module is one
 * line here.
 */
export const FEATURE_MODULES = [JobAdminModule, EncounterPackagesModule, EpisodesModule];
