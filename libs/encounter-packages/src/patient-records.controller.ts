import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import {
  ApiErrorResponse,
  ApiException,
  ApiRoute,
  exampleEnvelope,
  REQUEST_ID_RESPONSE_HEADER,
  successEnvelopeSchema,
} from '@app/http';
import { applyDecorators, Controller, Get, Param, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiParam, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { AuditedRead } from '@app/observability';
import { ClinicalRecordsRepository } from './clinical-records.repository';
import { ConditionDto, EncounterDto, VisitDto } from './dto/encounter-package.dto';
import { ApiPatientIdParam, assertPatientId } from './encounter-packages.controller';
import { ENCOUNTER_SCOPES } from './scopes';

/** Documents a read of one record: 200 with it as submitted, 404 when the patient has none. */
function ApiRecordResponses(
  entity: string,
  model: Type<unknown>,
  notFound: string,
  exampleId: string,
) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiPatientIdParam(),
    ApiParam({
      name: 'id',
      description: `The ${entity} id (a UUID; any other value answers 404).`,
      schema: { type: 'string', format: 'uuid', example: exampleId },
    }),
    ApiOkResponse({
      description: `The ${entity}, as the encounter package submitted it.`,
      schema: successEnvelopeSchema({ $ref: getSchemaPath(model) }),
      headers: REQUEST_ID_RESPONSE_HEADER,
    }),
    ApiErrorResponse(404, {
      description:
        `not_found: the patient id is not a UUID, or the patient has no such ${entity} ` +
        'stored by this client (another client’s answers the same).',
      examples: {
        not_found: {
          summary: `No such ${entity}`,
          value: exampleEnvelope(404, '/api/patients/...', {
            error: { type: 'not_found', message: notFound },
          }),
        },
      },
    }),
  );
}

/**
 * Reads what an encounter package created, so every link of its job resolves. A record is visible
 * only to the client whose job stored it: another client's id answers the same 404 as an unknown one.
 */
@ApiTags('patient records')
@Controller('api/patients/:patient_id')
export class PatientRecordsController {
  constructor(private readonly records: ClinicalRecordsRepository) {}

  @Get('encounters/:id')
  @Scopes(ENCOUNTER_SCOPES.encounterRead)
  @AuditedRead('encounter')
  @ApiRoute({
    summary: 'Get an encounter',
    description: 'One link of a processed encounter package job.',
    scopes: [ENCOUNTER_SCOPES.encounterRead],
  })
  @ApiRecordResponses(
    'encounter',
    EncounterDto,
    'Encounter not found.',
    '0f0d7c4e-2f5b-4b8e-9d47-6a3c1e2b9c10',
  )
  async encounter(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ) {
    assertPatientId(patientId);
    const encounter = await this.records.findEncounter(
      { clientId: client.clientId, patientId },
      id,
    );
    if (!encounter) throw ApiException.notFound('Encounter not found.');
    return encounter.resource;
  }

  @Get('conditions/:id')
  @Scopes(ENCOUNTER_SCOPES.conditionRead)
  @AuditedRead('condition')
  @ApiRoute({
    summary: 'Get a condition',
    description: 'One link of a processed encounter package job.',
    scopes: [ENCOUNTER_SCOPES.conditionRead],
  })
  @ApiRecordResponses(
    'condition',
    ConditionDto,
    'Condition not found.',
    'c3f5a2d1-7e8b-4c6a-9f0e-1d2b3c4a5e60',
  )
  async condition(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ) {
    assertPatientId(patientId);
    const condition = await this.records.findCondition(
      { clientId: client.clientId, patientId },
      id,
    );
    if (!condition) throw ApiException.notFound('Condition not found.');
    return condition.resource;
  }

  @Get('visits/:id')
  @Scopes(ENCOUNTER_SCOPES.visitRead)
  @AuditedRead('visit')
  @ApiRoute({
    summary: 'Get a visit',
    description: 'One link of a processed encounter package job.',
    scopes: [ENCOUNTER_SCOPES.visitRead],
  })
  @ApiRecordResponses('visit', VisitDto, 'Visit not found.', '6a0c1b0e-4b53-4d0c-9c2a-3f1f1e7b2a01')
  async visit(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ) {
    assertPatientId(patientId);
    const visit = await this.records.findVisit({ clientId: client.clientId, patientId }, id);
    if (!visit) throw ApiException.notFound('Visit not found.');
    return visit.resource;
  }
}
