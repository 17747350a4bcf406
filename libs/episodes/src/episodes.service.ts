import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EpisodeStatus } from './episode';
import { EpisodeOwner, EpisodesRepository } from './episodes.repository';

/** An episode as a module storing a record in it needs to see it. */
export interface EpisodeForRecord {
  status: EpisodeStatus;
  /** Whether the caller is the episode's managing organization. */
  managedByCaller: boolean;
}

/**
 * What other modules may ask of episodes (they never read its tables): the encounter packages
 * check the episode an encounter names, then record the encounter in it with their own writes.
 */
@Injectable()
export class EpisodesService {
  constructor(private readonly episodes: EpisodesRepository) {}

  /**
   * The episode `episodeId` of the owner's patient, or null when this client stored no such
   * episode for this patient (another client's counts as absent, as an unknown id does).
   */
  async findForRecord(owner: EpisodeOwner, episodeId: string): Promise<EpisodeForRecord | null> {
    const episode = await this.episodes.findOwned(owner, episodeId);
    if (!episode) return null;
    return {
      status: episode.status as EpisodeStatus,
      managedByCaller: episode.managingOrganization === owner.clientId,
    };
  }

  /**
   * Records in the caller's transaction that the encounter was stored in the episode. False when
   * the episode is no longer active (it was closed or cancelled since it was checked): the caller
   * then stores nothing. While that transaction is open, the episode cannot be cancelled.
   */
  addEncounter(
    manager: EntityManager,
    owner: EpisodeOwner,
    episodeId: string,
    encounterId: string,
  ): Promise<boolean> {
    return this.episodes.addEncounter(manager, owner, episodeId, encounterId);
  }
}
