import {
  ApiErrorResponse,
  errorExample,
  REQUEST_ID_RESPONSE_HEADER,
  successEnvelopeSchema,
} from '@app/http';
import { AuditedRead } from '@app/observability';
import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { PATIENT_NOT_FOUND } from './patient-id';

/** The patient the route is about (`:patient_id`), documented. */
export const ApiPatientIdParam = () =>
  ApiParam({
    name: 'patient_id',
    description: `The patient (a UUID). Any other value answers 404 \`${PATIENT_NOT_FOUND}\``,
    schema: { type: 'string', format: 'uuid', example: '2f9c3a4e-6d1b-4e8f-a0c7-5b3d9e1f7a24' },
  });

export interface RecordReadOptions {
  /** The kind of record, as audit events and the document name it: `encounter`. */
  recordType: string;
  /** The class of what the route answers in `data`. */
  model: Type<unknown>;
  /** The 404 message for a record the patient does not have. */
  notFound: string;
  exampleId: string;
}

/**
 * A route reading one record of a patient (`:patient_id`, `:id`), owned by the client that stored
 * it: every read writes an audit event and answers `Cache-Control: no-store`; the document gets the
 * parameters, the 200 with the record, and the 404 that an unknown id and another client's record
 * share.
 */
export function PatientRecordRead(options: RecordReadOptions): MethodDecorator {
  const { recordType, model, notFound, exampleId } = options;
  return applyDecorators(
    AuditedRead(recordType),
    ApiExtraModels(model),
    ApiPatientIdParam(),
    ApiParam({
      name: 'id',
      description: `The ${recordType} id (a UUID; any other value answers 404).`,
      schema: { type: 'string', format: 'uuid', example: exampleId },
    }),
    ApiOkResponse({
      description: `The ${recordType}, as it was submitted.`,
      schema: successEnvelopeSchema(model),
      headers: REQUEST_ID_RESPONSE_HEADER,
    }),
    ApiErrorResponse(404, {
      description:
        `not_found: the patient id is not a UUID, or the patient has no such ${recordType} ` +
        'stored by this client (another client’s answers the same).',
      examples: { not_found: errorExample(`No such ${recordType}`, 404, 'not_found', notFound) },
    }),
  );
}
