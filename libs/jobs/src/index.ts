export { JobsModule } from './jobs.module';
export { JOB_TYPE_PATTERN, JobFilterQuery } from './dto/job-list-query.dto';
export { JOB_SCOPES } from './scopes';
export { JobsService, JOB_NOT_FOUND } from './jobs.service';
export type { EnqueueOptions, EnqueuedJob } from './jobs.service';
export { JobHandler } from './engine/job-handler.decorator';
export { JobOutcome, JobFailure, TransientJobError } from './engine/job-outcome';
export type { JobContext, JobFailureStatus, Persist } from './engine/job-outcome';
export { presentJob, renderEnqueued, retryAfterSeconds, jobHref } from './job.presenter';
export type { JobView } from './job.presenter';
export type { JobResult } from './job-result';
export { JobLink, PendingJob } from './job-data.schema';
export type { JobData } from './job-data.schema';
export {
  JOB_STATES,
  PENDING_STATES,
  FINISHED_STATES,
  isPending,
  publicStatusOf,
  PUBLIC_JOB_STATUSES,
  statesOf,
} from './job-state';
export type { JobState, PublicJobStatus } from './job-state';
export { Job } from './job.entity';
export { newJobId, isJobId } from './job-id';
// The database ports, for tools and tests that act as a worker; modules use JobsService.
export { JobsRepository } from './jobs.repository';
export type { JobStatus, JobSubmission } from './jobs.repository';
export { JobStore } from './engine/job-store';
export type { Claim, ClaimedJob, Completion } from './engine/job-store';
export { JobEvents, ALL_JOBS } from './engine/job-events';
export { JobWorker } from './engine/job-worker';
export { WorkersRepository, WORKER_LIVE_MS } from './engine/workers.repository';
export { JobRetention } from './engine/job-retention';
export { JobWaiters } from './engine/job-waiters';
export { EtaEstimator } from './engine/eta-estimator';
export { PAUSED_ETA } from './engine/eta';
export { JobTypePause } from './job-type-pause.entity';
export { MAX_STORED_RESPONSE_BYTES, capStoredError } from './engine/response-cap';
export { ApiEnqueuedResponses, ApiJobStatusResponses } from './job.openapi';
export { decodeFinished, encodeFinished } from './engine/finish-event';
export type { FinishedJob } from './engine/finish-event';
