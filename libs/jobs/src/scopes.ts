/** The scopes of the jobs library: reading the status of one's own jobs. */
export const JOB_SCOPES = {
  read: 'job:read',
} as const;
