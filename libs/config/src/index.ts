export { AppConfig, loadConfig } from './app-config';
export type {
  AuthConfig,
  AuthKeyConfig,
  DatabaseConfig,
  JobsConfig,
  OperationsConfig,
} from './app-config';
export { ConfigError } from './environment';
export { AppConfigModule } from './config.module';
export { Flag, IntegerBetween } from './variable-rules';
export { closeOnSignals } from './shutdown';
export { readDotEnv } from './dot-env';
