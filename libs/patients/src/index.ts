export { PatientRecord } from './patient-record';
export { assertPatientId, isRecordId, PATIENT_NOT_FOUND } from './patient-id';
export { ApiPatientIdParam, PatientRecordRead } from './patient-record.openapi';
export type { RecordReadOptions } from './patient-record.openapi';
