import { ErrorBody } from '@app/http';

/** A link to what a processed job created: `{"entity":"encounter","href":"/api/patients/.../encounters/..."}`. */
export interface JobLink {
  entity: string;
  href: string;
}

/** What a finished job stored, as callers will read it back. */
export type JobResult =
  | { kind: 'links'; links: JobLink[] }
  | { kind: 'data'; response_data: Record<string, unknown> | string }
  | { kind: 'error'; error: ErrorBody };
