import type { FastifyReply } from 'fastify';
import { JobData } from './job-data.schema';
import { JobListItem } from './job-list-item.schema';
import { JobListRow, JobStatus } from './jobs.repository';
import { publicStatusOf } from './job-state';

/** A job as `GET /api/jobs/{id}` answers it: the HTTP status, the headers and `data`. */
export interface JobView {
  httpStatus: 200 | 303;
  headers: Record<string, string>;
  data: JobData;
}

const MAX_RETRY_AFTER_SECONDS = 60;

export function jobHref(id: string): string {
  return `/api/jobs/${id}`;
}

/** Seconds a client should wait before polling a pending job again: 1 to 60, from its eta. */
export function retryAfterSeconds(eta: Date, now: Date): number {
  const seconds = Math.ceil((eta.getTime() - now.getTime()) / 1000);
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}

/** Maps a job to its answer, one branch per row of the status table (SPEC section 4). */
export function presentJob(job: JobStatus, now: Date = new Date()): JobView {
  const eta = job.eta.toISOString();
  const status = publicStatusOf(job.state);

  if (status === 'pending') {
    return {
      httpStatus: 200,
      headers: {
        'retry-after': String(retryAfterSeconds(job.eta, now)),
        'cache-control': 'no-store',
      },
      data: { status, eta, links: [{ entity: 'job', href: jobHref(job.id) }] },
    };
  }

  const result = job.result;
  const statusCode = job.statusCode ?? (status === 'processed' ? 200 : 500);
  if (status === 'processed' && result?.kind === 'links' && result.links.length > 0) {
    return {
      httpStatus: 303,
      headers: { location: result.links[0].href },
      data: { status, status_code: statusCode, eta, links: result.links },
    };
  }
  if (status === 'processed' && result?.kind === 'data') {
    return {
      httpStatus: 200,
      headers: {},
      data: { status, status_code: statusCode, eta, response_data: result.response_data },
    };
  }
  if (status !== 'processed' && result?.kind === 'error') {
    return {
      httpStatus: 200,
      headers: {},
      data: { status, status_code: statusCode, eta, error: result.error },
    };
  }
  throw new Error(`Job ${job.id} is ${job.state} but its stored result does not fit that state`);
}

/**
 * The answer every module gives once it enqueued: 202 with the pending job and `Location` for a new
 * job, 200 with the earlier identical job still pending (SPEC section 5).
 */
export function renderEnqueued(
  reply: FastifyReply,
  enqueued: { job: JobStatus; created: boolean },
  now: Date = new Date(),
): JobData {
  const view = presentJob(enqueued.job, now);
  void reply
    .code(enqueued.created ? 202 : 200)
    .headers({ ...view.headers, location: jobHref(enqueued.job.id) });
  return view.data;
}

/** A job as `GET /api/jobs` lists it: its status and address, never its data. */
export function presentListItem(job: JobListRow): JobListItem {
  return {
    id: job.id,
    type: job.type,
    status: publicStatusOf(job.state),
    status_code: job.statusCode,
    inserted_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    links: [{ entity: 'job', href: jobHref(job.id) }],
  };
}
