import { InstantColumn } from '@app/database';
import { Column, Entity, Index } from 'typeorm';
import { PatientRecord } from '@app/patients';

/** A condition (diagnosis) of the patient, coded in ICD-10. */
@Entity({ name: 'conditions' })
@Index('conditions_patient_id', ['patientId'])
export class Condition extends PatientRecord {
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
