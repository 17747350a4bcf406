import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DataSourceExtras } from '@app/database';
import { HttpConventionsModule } from '@app/http';
import { EncounterPackagesModule } from '@app/encounter-packages';
import { JobsModule } from '@app/jobs';
import { DynamicModule, Module } from '@nestjs/common';

/** The HTTP service: composes the libraries and holds no business logic of its own. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, database: DataSourceExtras = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        HttpConventionsModule,
        DatabaseModule.forRoot(database),
        JobsModule,
        EncounterPackagesModule,
      ],
    };
  }
}
