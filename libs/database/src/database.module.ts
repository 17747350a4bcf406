import { AppConfig } from '@app/config';
import { UnavailableErrors } from '@app/http';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceExtras, dataSourceOptions } from './data-source-options';
import { DatabaseSession } from './database-session';
import { FeatureTables, featureTablesModule, tablesOf } from './feature-tables';
import { isDatabaseUnavailable } from './unavailable-errors';

export interface DatabaseRootOptions extends DataSourceExtras {
  /** The modules whose tables (`forFeature`, through their imports) the database holds. */
  modules: NonNullable<DynamicModule['imports']>;
}

/**
 * The TypeORM connection to the configured database. A library declares the tables it owns with
 * `DatabaseModule.forFeature({ entities, migrations })` among its module's imports (which also
 * gives it their repositories); the connection gathers them from the modules it is given.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot({ modules, ...extras }: DatabaseRootOptions): DynamicModule {
    const tables = tablesOf(modules);
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => dataSourceOptions(config, tables, extras),
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

  /** The entities a library owns and the migrations that make their tables, with repositories. */
  static forFeature(tables: FeatureTables): DynamicModule {
    return featureTablesModule(tables);
  }
}
