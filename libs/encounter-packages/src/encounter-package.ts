import { EncounterPackageDto } from './dto/encounter-package.dto';

export const ENCOUNTER_PACKAGE_JOB = 'encounter_package.create';

/** What the job carries: the patient and the package exactly as validated at submission. */
export interface EncounterPackagePayload extends Record<string, unknown> {
  patient_id: string;
  package: EncounterPackageDto;
}

export function encounterHref(patientId: string, id: string): string {
  return `/api/patients/${patientId}/encounters/${id}`;
}

export function conditionHref(patientId: string, id: string): string {
  return `/api/patients/${patientId}/conditions/${id}`;
}

export function visitHref(patientId: string, id: string): string {
  return `/api/patients/${patientId}/visits/${id}`;
}
