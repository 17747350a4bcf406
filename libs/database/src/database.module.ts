import { AppConfig } from '@app/config';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSourceExtras, dataSourceOptions } from './data-source-options';
import { DatabaseSession } from './database-session';

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
      providers: [DatabaseSession],
      exports: [DatabaseSession],
    };
  }
}
