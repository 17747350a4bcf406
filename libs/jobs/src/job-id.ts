import { nanoid } from 'nanoid';

const JOB_ID = /^[A-Za-z0-9_-]{21}$/;

/** A new job id: 21 characters of `A-Za-z0-9_-` (126 random bits from the system's CSPRNG). */
export function newJobId(): string {
  return nanoid(21);
}

export function isJobId(value: string): boolean {
  return JOB_ID.test(value);
}
