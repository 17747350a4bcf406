import { isRecordId } from '@app/patients';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { EpisodeStatus } from './episode';
import { EpisodeDictionaryCode } from './entities/episode-dictionary-code.entity';
import { EpisodeEncounter } from './entities/episode-encounter.entity';
import { EpisodeStatusChange } from './entities/episode-status-change.entity';
import { Episode, StatusReason } from './entities/episode.entity';

/** Whose episodes: the client (legal entity) that manages them, and the patient they are about. */
export interface EpisodeOwner {
  clientId: string;
  patientId: string;
}

/** A change of status to record in the history. */
export interface StatusChange {
  status: EpisodeStatus;
  statusReason: StatusReason | null;
  by: string;
  at: Date;
}

export type EpisodeFields = Partial<
  Pick<
    Episode,
    'name' | 'careManagerId' | 'periodEnd' | 'statusReason' | 'closingSummary' | 'explanatoryLetter'
  >
>;

/** The named queries on episodes, their history, their encounters and their dictionaries. */
@Injectable()
export class EpisodesRepository {
  constructor(
    @InjectRepository(Episode) private readonly episodes: Repository<Episode>,
    @InjectRepository(EpisodeStatusChange)
    private readonly history: Repository<EpisodeStatusChange>,
    @InjectRepository(EpisodeEncounter) private readonly encounters: Repository<EpisodeEncounter>,
    @InjectRepository(EpisodeDictionaryCode)
    private readonly dictionaries: Repository<EpisodeDictionaryCode>,
  ) {}

  /** Whether an episode has this id, whoever manages it: ids are global. */
  exists(id: string): Promise<boolean> {
    return this.episodes.existsBy({ id });
  }

  /**
   * The owner's episode; another client's or another patient's is null, as an unknown id is.
   * Episode ids are UUIDs: any other id is null without a query.
   */
  findOwned(
    owner: EpisodeOwner,
    id: string,
    manager: EntityManager = this.episodes.manager,
  ): Promise<Episode | null> {
    if (!isRecordId(id)) return Promise.resolve(null);
    return manager.findOneBy(Episode, { ...owner, id });
  }

  /** One page of the owner's episodes, newest first, and how many there are in all. */
  async page(
    owner: EpisodeOwner,
    status: EpisodeStatus | undefined,
    page: { offset: number; page_size: number },
  ): Promise<{ episodes: Episode[]; total: number }> {
    const [episodes, total] = await this.episodes.findAndCount({
      where: { ...owner, ...(status ? { status } : {}) },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: page.offset,
      take: page.page_size,
    });
    return { episodes, total };
  }

  /** The status history of each episode, oldest change first. */
  async historyOf(episodeIds: string[]): Promise<Map<string, EpisodeStatusChange[]>> {
    const byEpisode = new Map<string, EpisodeStatusChange[]>(episodeIds.map((id) => [id, []]));
    if (episodeIds.length === 0) return byEpisode;
    const changes = await this.history.find({
      where: { episodeId: In(episodeIds) },
      order: { episodeId: 'ASC', position: 'ASC' },
    });
    for (const change of changes) byEpisode.get(change.episodeId)?.push(change);
    return byEpisode;
  }

  /** The codes of a dictionary, sorted. */
  async codesOf(dictionary: string): Promise<string[]> {
    const rows = await this.dictionaries.find({
      select: { code: true },
      where: { dictionary },
      order: { code: 'ASC' },
    });
    return rows.map((row) => row.code);
  }

  /** How many encounters were stored in the episode. */
  encounterCount(episodeId: string, manager: EntityManager = this.encounters.manager) {
    return manager.countBy(EpisodeEncounter, { episodeId });
  }

  /** Stores a new episode and the first entry of its history, in the caller's transaction. */
  async insert(manager: EntityManager, episode: Episode, created: StatusChange): Promise<void> {
    await manager.insert(Episode, episode);
    await this.appendHistory(manager, episode.id, created);
  }

  /**
   * Changes the owner's episode only while its status is one of `from` (what the job checked may
   * have changed since): false when it no longer is, or is gone. With `change`, the status moves
   * and the change joins the history. On PostgreSQL the row stays locked until the caller's
   * transaction ends, so changes of one episode (and the encounters joining it) take turns.
   */
  async change(
    manager: EntityManager,
    owner: EpisodeOwner,
    id: string,
    from: EpisodeStatus[],
    fields: EpisodeFields,
    change?: StatusChange,
  ): Promise<boolean> {
    const result = await manager.update(
      Episode,
      { ...owner, id, status: In(from) },
      {
        ...fields,
        ...(change ? { status: change.status } : {}),
        updatedAt: change?.at ?? new Date(),
      },
    );
    if (result.affected !== 1) return false;
    if (change) await this.appendHistory(manager, id, change);
    return true;
  }

  /**
   * Records that an encounter was stored in the owner's active episode, in the caller's
   * transaction; false when the episode is no longer active (or no longer the owner's).
   */
  async addEncounter(
    manager: EntityManager,
    owner: EpisodeOwner,
    episodeId: string,
    encounterId: string,
  ): Promise<boolean> {
    const at = new Date();
    if (!(await this.change(manager, owner, episodeId, ['active'], {}))) return false;
    await manager.insert(EpisodeEncounter, { encounterId, episodeId, createdAt: at });
    return true;
  }

  private async appendHistory(
    manager: EntityManager,
    episodeId: string,
    change: StatusChange,
  ): Promise<void> {
    const last = (await manager.maximum(EpisodeStatusChange, 'position', { episodeId })) ?? 0;
    await manager.insert(EpisodeStatusChange, {
      episodeId,
      position: last + 1,
      status: change.status,
      statusReason: change.statusReason,
      insertedAt: change.at,
      insertedBy: change.by,
    });
  }
}
