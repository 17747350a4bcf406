import { InstantColumn } from '@app/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { StatusReason } from './episode.entity';

/** One entry of an episode's status history: its creation, then each close or cancel. */
@Entity({ name: 'episode_status_history' })
export class EpisodeStatusChange {
  @PrimaryColumn({ name: 'episode_id', type: 'varchar', length: 36 })
  episodeId: string;

  /** 1 for the creation, then 2, 3, ... in the order the changes committed. */
  @PrimaryColumn({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ name: 'status_reason', type: 'simple-json', nullable: true })
  statusReason: StatusReason | null;

  @InstantColumn({ name: 'inserted_at' })
  insertedAt: Date;

  /** The client (legal entity) whose job made the change. */
  @Column({ name: 'inserted_by', type: 'varchar', length: 200 })
  insertedBy: string;
}
