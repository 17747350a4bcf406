export { LoggingModule, REDACTED_PATHS, SERVICE_LOGGER } from './logging.module';
export type { LoggingOptions } from './logging.module';
export { MetricsModule } from './metrics.module';
export { observeRequests } from './request-log';
export {
  metricsRegistry,
  jobsEnqueued,
  jobsFinished,
  jobsRetried,
  jobDuration,
  leasesReclaimed,
  measureQueueWith,
  measureWaitersWith,
  measureLiveWorkersWith,
} from './metrics';
export type { QueueSnapshotRow } from './metrics';
export { AuditedRead } from './audited-read';
export type { ReadAuditEvent, ReadOutcome } from './audited-read';
