import { ApiException, ErrorBody, toInvalidEntries } from '@app/http';
import { ValidationError } from 'class-validator';
import { JobFailure } from './job-outcome';
import { isTransient } from './transient-errors';

/** How a handler's exception ends its run. */
export type ErrorVerdict =
  | { kind: 'failed'; statusCode: number; error: ErrorBody }
  | { kind: 'transient' }
  | { kind: 'crashed' };

/**
 * `JobFailure`, class-validator errors (`validateOrReject`) and the service's own 4xx
 * `ApiException` fail the job with their status; conditions that pass are retried; anything else is
 * a crash.
 */
export function judgeError(error: unknown): ErrorVerdict {
  const failure = isValidationErrors(error)
    ? JobFailure.validation(toInvalidEntries(error))
    : error;
  if (failure instanceof JobFailure) {
    return { kind: 'failed', statusCode: failure.statusCode, error: failure.error };
  }
  if (error instanceof ApiException && error.getStatus() < 500) {
    return { kind: 'failed', statusCode: error.getStatus(), error: error.toErrorBody() };
  }
  if (isTransient(error)) return { kind: 'transient' };
  return { kind: 'crashed' };
}

function isValidationErrors(error: unknown): error is ValidationError[] {
  return (
    Array.isArray(error) &&
    error.length > 0 &&
    error.every((item) => item instanceof ValidationError)
  );
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60 * 1000;

/** Exponential backoff with jitter: about 1 s, 2 s, 4 s ... up to 5 minutes, each 50-100 %. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}
