/**
 * Every scope the service knows, as `resource:action`. A route declares the scopes it needs with
 * `@Scopes(...)`; a token carries the scopes it grants in its `scope` (RFC 9068) or `scp` claim.
 */
export const SCOPES = {
  jobRead: 'job:read',
  encounterWrite: 'encounter:write',
  encounterRead: 'encounter:read',
  conditionRead: 'condition:read',
  visitRead: 'visit:read',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
