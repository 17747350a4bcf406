export { LoggingModule, REDACTED_PATHS } from './logging.module';
export type { LoggingOptions } from './logging.module';
export { MetricsModule } from './metrics.module';
export { recordHttpMetrics } from './http-metrics';
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
