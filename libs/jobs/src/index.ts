export { JobsModule } from './jobs.module';
export { JobsService, JOB_NOT_FOUND } from './jobs.service';
export type { EnqueueOptions, EnqueuedJob } from './jobs.service';
export { JobHandler } from './engine/job-handler.decorator';
export { JobOutcome, JobFailure, TransientJobError } from './engine/job-outcome';
export type { JobContext, JobFailureStatus, Persist } from './engine/job-outcome';
export { presentJob, renderEnqueued, retryAfterSeconds, jobHref } from './job.presenter';
export type { JobData, JobView } from './job.presenter';
export type { JobLink, JobResult } from './job-result';
export {
  JOB_STATES,
  PENDING_STATES,
  FINISHED_STATES,
  isPending,
  publicStatusOf,
} from './job-state';
export type { JobState, PublicJobStatus } from './job-state';
export { Job } from './job.entity';
export { newJobId, isJobId } from './job-id';
// For tests, tools and operations; modules use JobsService.
export { JobsRepository } from './jobs.repository';
export type { NewJob } from './jobs.repository';
export { JobWorker } from './engine/job-worker';
export { WorkersRepository, WORKER_LIVE_MS } from './engine/workers.repository';
export { JobRetention } from './engine/job-retention';
export { JobWaiters } from './engine/job-waiters';
export { MAX_STORED_RESPONSE_BYTES, capStoredError } from './engine/response-cap';
export {
  ApiEnqueuedResponses,
  ApiJobStatusResponses,
  FailedJobSchema,
  FailedWithErrorJobSchema,
  JOB_OPENAPI_MODELS,
  JobLinkSchema,
  PendingJobSchema,
  ProcessedJobWithDataSchema,
  ProcessedJobWithLinksSchema,
} from './job.openapi';
export { decodeFinished, encodeFinished } from './engine/finish-event';
export type { FinishedJob } from './engine/finish-event';
