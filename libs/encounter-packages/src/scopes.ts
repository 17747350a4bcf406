/** The scopes of encounter packages: submitting them, and reading what they stored. */
export const ENCOUNTER_SCOPES = {
  encounterWrite: 'encounter:write',
  encounterRead: 'encounter:read',
  conditionRead: 'condition:read',
  visitRead: 'visit:read',
} as const;
