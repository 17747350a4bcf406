import { InstantColumn } from '@app/database';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One operator action, written in the transaction of the action itself. */
@Entity({ name: 'job_admin_audit' })
export class OperatorAction {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @InstantColumn()
  at: Date;

  /** The operator's client id, from the token. */
  @Column({ type: 'varchar', length: 200 })
  operator: string;

  /** `job.retry`, `queue.pause` or `queue.resume`. */
  @Column({ type: 'varchar', length: 40 })
  action: string;

  /** The job id or the job type acted on. */
  @Column({ type: 'varchar', length: 200 })
  target: string;

  @Column({ name: 'request_id', type: 'varchar', length: 200 })
  requestId: string;
}
