import { Column, PrimaryColumn } from 'typeorm';

/** What every stored record of a patient has: its id, the patient, and the client that owns it. */
export abstract class PatientRecord {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'patient_id', type: 'varchar', length: 36 })
  patientId: string;

  /** The client (MIS) whose job stored it: the only one that can read it. */
  @Column({ name: 'client_id', type: 'varchar', length: 200 })
  clientId: string;
}
