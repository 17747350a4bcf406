import { AppConfig } from '@app/config';
import { UnavailableErrors } from '@app/http';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceExtras, dataSourceOptions } from './data-source-options';
import { DatabaseSession } from './database-session';
import { isDatabaseUnavailable } from './unavailable-errors';

/** The TypeORM connection to the configured database; entities register with `forFeature`. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(extras: DataSourceExtras = {}): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config, extras),
            autoLoadEntities: true,
          }),
        }),
      ],
      providers: [
        DatabaseSession,
        // A lost connection or a timeout answers 503, not 500 (the shared filter asks this).
        { provide: UnavailableErrors, useValue: { isUnavailable: isDatabaseUnavailable } },
      ],
      exports: [DatabaseSession, UnavailableErrors],
    };
  }
}
