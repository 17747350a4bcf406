export { LoggingModule, REDACTED_PATHS, SERVICE_LOGGER } from './logging.module';
export type { LoggingOptions } from './logging.module';
export { MetricsModule } from './metrics.module';
export { observeRequests } from './request-log';
export { metricsRegistry } from './metrics';
export { AuditedRead } from './audited-read';
export type { ReadAuditEvent, ReadOutcome } from './audited-read';
