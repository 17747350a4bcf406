export { EpisodesModule } from './episodes.module';
export { EPISODE_SCOPES } from './scopes';
export {
  EPISODE_JOBS,
  EPISODE_STATUSES,
  EPISODE_DICTIONARIES,
  EPISODE_MESSAGES,
  episodeHref,
  statusRefusal,
} from './episode';
export type { EpisodeStatus } from './episode';
export { EpisodesService } from './episodes.service';
export type { EpisodeForRecord } from './episodes.service';
export type { EpisodeOwner } from './episodes.repository';
export { EXAMPLE_EPISODE, EXAMPLE_UPDATE, EXAMPLE_CLOSE, EXAMPLE_CANCEL } from './episode.examples';
export {
  CreateEpisodeDto,
  UpdateEpisodeDto,
  CloseEpisodeDto,
  CancelEpisodeDto,
} from './dto/episode.dto';
export { EpisodeView } from './episode-view.schema';
export type {
  CreateEpisodePayload,
  UpdateEpisodePayload,
  CloseEpisodePayload,
  CancelEpisodePayload,
} from './episode.jobs';
export { Episode } from './entities/episode.entity';
export type { StatusReason } from './entities/episode.entity';
export { EpisodeStatusChange } from './entities/episode-status-change.entity';
export { EpisodeEncounter } from './entities/episode-encounter.entity';
export { EpisodeDictionaryCode } from './entities/episode-dictionary-code.entity';
