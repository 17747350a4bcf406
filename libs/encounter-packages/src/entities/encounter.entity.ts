import { InstantColumn } from '@app/database';
import { Column, Entity, Index } from 'typeorm';
import { PatientRecord } from '@app/patients';

/** An encounter between the patient and a performer, with its diagnoses. */
@Entity({ name: 'encounters' })
@Index('encounters_patient_id', ['patientId'])
export class Encounter extends PatientRecord {
  @Column({ name: 'visit_id', type: 'varchar', length: 36 })
  visitId: string;

  /** The episode of care it belongs to, when it names one. */
  @Column({ name: 'episode_id', type: 'varchar', length: 36, nullable: true })
  episodeId: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ name: 'class_code', type: 'varchar', length: 20 })
  classCode: string;

  @InstantColumn()
  date: Date;

  /** The encounter as submitted. */
  @Column({ type: 'simple-json' })
  resource: Record<string, unknown>;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
