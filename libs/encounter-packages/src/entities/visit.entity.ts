import { InstantColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A visit: the patient's stay during which encounters happen. */
@Entity({ name: 'visits' })
@Index('visits_patient_id', ['patientId'])
export class Visit {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'patient_id', type: 'varchar', length: 36 })
  patientId: string;

  /** The client (MIS) whose job stored it: the only one that can read it. */
  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId: string;

  @InstantColumn({ name: 'period_start' })
  periodStart: Date;

  @InstantColumn({ name: 'period_end', nullable: true })
  periodEnd: Date | null;

  /** The visit as submitted. */
  @Column({ type: 'simple-json' })
  resource: Record<string, unknown>;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
