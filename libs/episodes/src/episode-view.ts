import { RESOURCES_SYSTEM, EPISODE_DICTIONARIES } from './episode';
import { EpisodeStatusChange } from './entities/episode-status-change.entity';
import { Episode, StatusReason } from './entities/episode.entity';
import { EpisodeStatusReasonView, EpisodeView } from './episode-view.schema';

const reference = (code: string, value: string) => ({
  identifier: { type: { coding: [{ system: RESOURCES_SYSTEM, code }] }, value },
});

const reasonView = (reason: StatusReason): EpisodeStatusReasonView => ({ ...reason });

/** The episode as the routes answer it, with its status history (oldest first). */
export function toEpisodeView(episode: Episode, history: EpisodeStatusChange[]): EpisodeView {
  return {
    id: episode.id,
    status: episode.status,
    type: { system: EPISODE_DICTIONARIES.types, code: episode.typeCode },
    name: episode.name,
    managing_organization: reference('legal_entity', episode.managingOrganization),
    care_manager: reference('employee', episode.careManagerId),
    period: episode.periodEnd
      ? { start: episode.periodStart, end: episode.periodEnd }
      : { start: episode.periodStart },
    ...(episode.statusReason ? { status_reason: reasonView(episode.statusReason) } : {}),
    ...(episode.closingSummary !== null ? { closing_summary: episode.closingSummary } : {}),
    ...(episode.explanatoryLetter !== null
      ? { explanatory_letter: episode.explanatoryLetter }
      : {}),
    status_history: history.map((change) => ({
      status: change.status,
      ...(change.statusReason ? { status_reason: reasonView(change.statusReason) } : {}),
      inserted_at: change.insertedAt.toISOString(),
      inserted_by: change.insertedBy,
    })),
    inserted_at: episode.createdAt.toISOString(),
    updated_at: episode.updatedAt.toISOString(),
  };
}
