import { AppConfig, AppConfigModule } from '@app/config';
import { DatabaseModule, DataSourceExtras } from '@app/database';
import { JobsModule } from '@app/jobs';
import { LoggingModule } from '@app/observability';
import { DynamicModule, Module } from '@nestjs/common';
import { FEATURE_MODULES } from '../../features';

export interface WorkerModuleOptions {
  database?: DataSourceExtras;
  /** Modules beside the features (the tests add job types of their own). */
  imports?: NonNullable<DynamicModule['imports']>;
}

/**
 * The background worker: the same libraries and feature modules as the API, whose job handlers it
 * runs, without an HTTP listener.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, options: WorkerModuleOptions = {}): DynamicModule {
    const modules = [JobsModule, ...FEATURE_MODULES, ...(options.imports ?? [])];
    return {
      module: WorkerModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(),
        DatabaseModule.forRoot({ ...options.database, modules }),
        ...modules,
      ],
    };
  }
}
