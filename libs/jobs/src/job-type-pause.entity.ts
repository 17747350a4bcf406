import { InstantColumn } from '@app/database';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A job type an operator paused: no worker claims its jobs; submissions are still accepted. */
@Entity({ name: 'job_type_pauses' })
export class JobTypePause {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  type: string;

  @InstantColumn({ name: 'paused_at' })
  pausedAt: Date;

  /** The operator's client id. */
  @Column({ name: 'paused_by', type: 'varchar', length: 200 })
  pausedBy: string;
}
