import { InstantColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An encounter stored in an episode, as the encounter module reported it (`EpisodesService`): the
 * episodes module keeps its own record rather than reading the encounters' table.
 */
@Entity({ name: 'episode_encounters' })
@Index('episode_encounters_episode_id', ['episodeId'])
export class EpisodeEncounter {
  @PrimaryColumn({ name: 'encounter_id', type: 'varchar', length: 36 })
  encounterId: string;

  @Column({ name: 'episode_id', type: 'varchar', length: 36 })
  episodeId: string;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
