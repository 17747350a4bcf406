import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DataSourceExtras } from '@app/database';
import { HttpConventionsModule } from '@app/http';
import { JobsModule } from '@app/jobs';
import { LoggingModule, LoggingOptions, MetricsModule } from '@app/observability';
import { DynamicModule, Module } from '@nestjs/common';
import { FEATURE_MODULES } from '../../features';
import { HealthModule } from './health/health.module';

export interface AppModuleOptions {
  database?: DataSourceExtras;
  logging?: LoggingOptions;
  /** Modules beside the features (the tests add a probe controller and job types). */
  imports?: NonNullable<DynamicModule['imports']>;
}

/** The HTTP service: composes the libraries and the feature modules, and holds no business logic. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    const modules = [JobsModule, ...FEATURE_MODULES, ...(options.imports ?? [])];
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logging),
        HttpConventionsModule,
        DatabaseModule.forRoot({ ...options.database, modules }),
        ...modules,
        MetricsModule,
        HealthModule,
      ],
    };
  }
}
