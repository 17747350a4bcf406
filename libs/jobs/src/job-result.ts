import { ErrorBody } from '@app/http';
import { JobLink } from './job-data.schema';

/** What a finished job stored, as callers will read it back. */
export type JobResult =
  | { kind: 'links'; links: JobLink[] }
  | { kind: 'data'; response_data: Record<string, unknown> | string }
  | { kind: 'error'; error: ErrorBody };
