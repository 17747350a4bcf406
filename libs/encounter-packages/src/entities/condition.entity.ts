import { InstantColumn } from '@app/database';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A condition (diagnosis) of the patient, coded in ICD-10. */
@Entity({ name: 'conditions' })
@Index('conditions_patient_id', ['patientId'])
export class Condition {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'patient_id', type: 'varchar', length: 36 })
  patientId: string;

  /** The client (MIS) whose job stored it: the only one that can read it. */
  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId: string;

  @Column({ name: 'encounter_id', type: 'varchar', length: 36 })
  encounterId: string;

  @Column({ type: 'varchar', length: 20 })
  code: string;

  /** The condition as submitted. */
  @Column({ type: 'simple-json' })
  resource: Record<string, unknown>;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
