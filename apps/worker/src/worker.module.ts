import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DataSourceExtras } from '@app/database';
import { EncounterPackagesModule } from '@app/encounter-packages';
import { JobsModule } from '@app/jobs';
import { LoggingModule } from '@app/observability';
import { DynamicModule, Module } from '@nestjs/common';

/**
 * The background worker: the same libraries as the API and the modules whose job handlers it runs,
 * without an HTTP listener. A module that declares `@JobHandler`s is imported here and in the API.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, database: DataSourceExtras = {}): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(),
        DatabaseModule.forRoot(database),
        JobsModule,
        EncounterPackagesModule,
      ],
    };
  }
}
