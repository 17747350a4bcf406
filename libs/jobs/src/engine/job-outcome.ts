import { ERROR_MESSAGES, ErrorBody, InvalidEntry } from '@app/http';
import { EntityManager } from 'typeorm';
import { JobLink } from '../job-data.schema';

/** What a handler hands over to run in the completion's transaction (the module's own writes). */
export type Persist = (manager: EntityManager) => Promise<void>;

/** A handler's success: links to what it created (GET answers 303) or data (GET answers 200). */
export type JobOutcome =
  | { kind: 'links'; links: JobLink[]; persist?: Persist }
  | { kind: 'data'; response_data: Record<string, unknown> | string; persist?: Persist };

export const JobOutcome = {
  links: (links: JobLink[], persist?: Persist): JobOutcome => ({ kind: 'links', links, persist }),
  data: (data: Record<string, unknown> | string, persist?: Persist): JobOutcome => ({
    kind: 'data',
    response_data: data,
    persist,
  }),
};

/** The job, as its handler sees it. */
export interface JobContext<P = Record<string, unknown>> {
  readonly id: string;
  readonly type: string;
  readonly clientId: string;
  readonly payload: P;
  /** 1 on the first run; a retry or a reclaimed lease runs again with the next number. */
  readonly attempt: number;
  /** Aborted when this run lost its lease or the worker is shutting down past its grace period. */
  readonly signal: AbortSignal;
}

export type JobFailureStatus = 400 | 403 | 404 | 409 | 422;

/** A handler's refusal: the job ends `failed` with this status code and error. Never retried. */
export class JobFailure extends Error {
  constructor(
    readonly statusCode: JobFailureStatus,
    readonly error: ErrorBody,
  ) {
    super(error.message);
  }

  static validation(invalid: InvalidEntry[]): JobFailure {
    return new JobFailure(422, {
      type: 'validation_failed',
      message: ERROR_MESSAGES.validationFailed,
      invalid,
    });
  }

  static conflict(message: string = ERROR_MESSAGES.conflict): JobFailure {
    return new JobFailure(409, { type: 'request_conflict', message });
  }

  static notFound(message: string): JobFailure {
    return new JobFailure(404, { type: 'not_found', message });
  }

  static forbidden(message: string): JobFailure {
    return new JobFailure(403, { type: 'forbidden', message });
  }
}

/** Thrown by a handler whose dependency failed for now: the job is retried with backoff. */
export class TransientJobError extends Error {}
