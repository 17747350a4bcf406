import { InstantColumn } from '@app/database';
import { Column, Entity, Index } from 'typeorm';
import { PatientRecord } from '@app/patients';

/** A visit: the patient's stay during which encounters happen. */
@Entity({ name: 'visits' })
@Index('visits_patient_id', ['patientId'])
export class Visit extends PatientRecord {
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
