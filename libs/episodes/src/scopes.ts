/** The scopes of episodes of care: changing them (every write is a job), and reading them. */
export const EPISODE_SCOPES = {
  write: 'episode:write',
  read: 'episode:read',
} as const;
