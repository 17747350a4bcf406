import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DataSourceExtras } from '@app/database';
import { EncounterPackagesModule } from '@app/encounter-packages';
import { HttpConventionsModule } from '@app/http';
import { JobsModule } from '@app/jobs';
import { LoggingModule, LoggingOptions, MetricsModule } from '@app/observability';
import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  database?: DataSourceExtras;
  logging?: LoggingOptions;
}

/** The HTTP service: composes the libraries and holds no business logic of its own. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logging),
        HttpConventionsModule,
        DatabaseModule.forRoot(options.database),
        JobsModule,
        EncounterPackagesModule,
        MetricsModule,
        HealthModule,
      ],
    };
  }
}
