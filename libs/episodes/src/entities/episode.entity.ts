import { InstantColumn } from '@app/database';
import { PatientRecord } from '@app/patients';
import { Column, Entity, Index } from 'typeorm';

/** A reason for a change of status, as submitted: `{"coding": [...], "text": "..."}`. */
export interface StatusReason {
  coding: { system: string; code: string }[];
  text?: string;
}

/**
 * An episode of care of a patient, managed by a legal entity (the client that created it). Its
 * dates are the calendar dates submitted (`YYYY-MM-DD`), kept as written.
 */
@Entity({ name: 'episodes' })
@Index('episodes_patient_client', ['patientId', 'clientId', 'createdAt'])
export class Episode extends PatientRecord {
  /** A code of `eHealth/episode_types`. */
  @Column({ name: 'type_code', type: 'varchar', length: 100 })
  typeCode: string;

  @Column({ type: 'varchar', length: 20 })
  status: string;

  @Column({ type: 'text' })
  name: string;

  /** The managing legal entity's identifier value (its client id). */
  @Column({ name: 'managing_organization', type: 'varchar', length: 200 })
  managingOrganization: string;

  /** The care manager's employee id. */
  @Column({ name: 'care_manager_id', type: 'varchar', length: 36 })
  careManagerId: string;

  @Column({ name: 'period_start', type: 'varchar', length: 10 })
  periodStart: string;

  @Column({ name: 'period_end', type: 'varchar', length: 10, nullable: true })
  periodEnd: string | null;

  /** Why it was closed or cancelled. */
  @Column({ name: 'status_reason', type: 'simple-json', nullable: true })
  statusReason: StatusReason | null;

  @Column({ name: 'closing_summary', type: 'text', nullable: true })
  closingSummary: string | null;

  @Column({ name: 'explanatory_letter', type: 'text', nullable: true })
  explanatoryLetter: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;
}
