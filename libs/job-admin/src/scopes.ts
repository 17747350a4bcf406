/** The operators' scope: every client's jobs through `/api/admin`, never their clinical data. */
export const JOB_ADMIN_SCOPES = {
  admin: 'job:admin',
} as const;
