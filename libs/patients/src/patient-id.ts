import { ApiException } from '@app/http';
import { isUUID } from 'class-validator';

export const PATIENT_NOT_FOUND = 'Patient not found.';

/** Patients and their records are named by UUIDs: any other value names nothing. */
export function isRecordId(value: string): boolean {
  return isUUID(value);
}

/** A patient id that is not a UUID answers 404 `Patient not found.`, before any query. */
export function assertPatientId(patientId: string): void {
  if (!isRecordId(patientId)) throw ApiException.notFound(PATIENT_NOT_FOUND);
}
