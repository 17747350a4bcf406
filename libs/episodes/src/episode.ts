/** The job types of episodes: every write is one of them. */
export const EPISODE_JOBS = {
  create: 'episode.create',
  update: 'episode.update',
  close: 'episode.close',
  cancel: 'episode.cancel',
} as const;

/** An episode is `active` from its creation, then `closed`, or cancelled (`entered_in_error`). */
export const EPISODE_STATUSES = ['active', 'closed', 'entered_in_error'] as const;
export type EpisodeStatus = (typeof EPISODE_STATUSES)[number];

/** The dictionaries the codes of episodes come from (reference data of this module). */
export const EPISODE_DICTIONARIES = {
  types: 'eHealth/episode_types',
  closingReasons: 'eHealth/episode_closing_reasons',
  cancellationReasons: 'eHealth/cancellation_reasons',
} as const;

/** The system of identifiers naming eHealth resources (a legal entity, an employee, an episode). */
export const RESOURCES_SYSTEM = 'eHealth/resources';

/** What callers are told, in eHealth's words where eHealth has them. */
export const EPISODE_MESSAGES = {
  notFound: 'Episode not found.',
  idTaken: 'Episode with such id already exists',
  notManaged: "Managing_organization does not correspond to user's legal_entity",
  endBeforeStart: 'End date must be greater or equal than start date',
  openEncounters: 'Episode can not be canceled while it has not canceled encounters',
  notInDictionary: 'value is not allowed in enum',
} as const;

/** `Episode in status closed can not be closed`. */
export function statusRefusal(status: string, action: 'updated' | 'closed' | 'canceled'): string {
  return `Episode in status ${status} can not be ${action}`;
}

export function episodeHref(patientId: string, id: string): string {
  return `/api/patients/${patientId}/episodes/${id}`;
}
