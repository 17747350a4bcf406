import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import { ApiException } from '@app/http';
import { assertPatientId, PatientRecordRead } from '@app/patients';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClinicalRecordsRepository } from './clinical-records.repository';
import { ConditionDto, EncounterDto, VisitDto } from './dto/encounter-package.dto';
import { EXAMPLE_PACKAGE } from './encounter-package.examples';
import { ENCOUNTER_SCOPES } from './scopes';

/**
 * Reads what an encounter package created, so every link of its job resolves. A record is visible
 * only to the client whose job stored it: another client's id answers the same 404 as an unknown one.
 */
@ApiTags('patient records')
@Controller('api/patients/:patient_id')
export class PatientRecordsController {
  constructor(private readonly records: ClinicalRecordsRepository) {}

  /** One link of a processed encounter package job. */
  @Get('encounters/:id')
  @Scopes(ENCOUNTER_SCOPES.encounterRead)
  @ApiOperation({ summary: 'Get an encounter' })
  @PatientRecordRead({
    recordType: 'encounter',
    model: EncounterDto,
    notFound: 'Encounter not found.',
    exampleId: EXAMPLE_PACKAGE.encounter.id,
  })
  async encounter(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ) {
    assertPatientId(patientId);
    const owner = { clientId: client.clientId, patientId };
    const encounter = await this.records.findEncounter(owner, id);
    if (!encounter) throw ApiException.notFound('Encounter not found.');
    return encounter.resource;
  }

  /** One link of a processed encounter package job. */
  @Get('conditions/:id')
  @Scopes(ENCOUNTER_SCOPES.conditionRead)
  @ApiOperation({ summary: 'Get a condition' })
  @PatientRecordRead({
    recordType: 'condition',
    model: ConditionDto,
    notFound: 'Condition not found.',
    exampleId: EXAMPLE_PACKAGE.conditions[0].id,
  })
  async condition(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ) {
    assertPatientId(patientId);
    const owner = { clientId: client.clientId, patientId };
    const condition = await this.records.findCondition(owner, id);
    if (!condition) throw ApiException.notFound('Condition not found.');
    return condition.resource;
  }

  /** One link of a processed encounter package job. */
  @Get('visits/:id')
  @Scopes(ENCOUNTER_SCOPES.visitRead)
  @ApiOperation({ summary: 'Get a visit' })
  @PatientRecordRead({
    recordType: 'visit',
    model: VisitDto,
    notFound: 'Visit not found.',
    exampleId: EXAMPLE_PACKAGE.visit.id,
  })
  async visit(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ) {
    assertPatientId(patientId);
    const owner = { clientId: client.clientId, patientId };
    const visit = await this.records.findVisit(owner, id);
    if (!visit) throw ApiException.notFound('Visit not found.');
    return visit.resource;
  }
}
