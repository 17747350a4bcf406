import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig, loadConfig } from './app-config';
import { parseVariables } from './environment';

/** The module `AppConfigModule.forFeature` returns: its settings reach only the importing module. */
@Module({})
class FeatureSettingsModule {}

/**
 * Provides the validated `AppConfig` to every module, and each feature's own settings:
 * `AppConfigModule.forFeature(EncounterSettings)` in a feature module's imports provides an
 * `EncounterSettings` read from the same environment and checked at start-up.
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }

  /**
   * A feature's settings: a class whose properties are its environment variables with their
   * class-validator rules (`IntegerBetween`, `Flag`, or any other), and whose getters give the
   * values the feature uses. A wrong value stops start-up with a `ConfigError` naming it.
   */
  static forFeature(...settings: (new () => object)[]): DynamicModule {
    const providers = settings.map((Settings) => ({
      provide: Settings,
      useFactory: (config: AppConfig) => parseVariables(Settings, config.environment),
      inject: [AppConfig],
    }));
    return { module: FeatureSettingsModule, providers, exports: settings };
  }
}
