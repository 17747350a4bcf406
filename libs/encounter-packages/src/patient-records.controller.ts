import { Scopes, SCOPES } from '@app/auth';
import { ApiException } from '@app/http';
import { Controller, Get, Param } from '@nestjs/common';
import { ClinicalRecordsRepository } from './clinical-records.repository';
import { assertPatientId } from './encounter-packages.controller';

/** Reads what an encounter package created, so every link of its job resolves. */
@Controller('api/patients/:patient_id')
export class PatientRecordsController {
  constructor(private readonly records: ClinicalRecordsRepository) {}

  @Get('encounters/:id')
  @Scopes(SCOPES.encounterRead)
  async encounter(@Param('patient_id') patientId: string, @Param('id') id: string) {
    assertPatientId(patientId);
    const encounter = await this.records.findEncounter(patientId, id);
    if (!encounter) throw ApiException.notFound('Encounter not found.');
    return encounter.resource;
  }

  @Get('conditions/:id')
  @Scopes(SCOPES.conditionRead)
  async condition(@Param('patient_id') patientId: string, @Param('id') id: string) {
    assertPatientId(patientId);
    const condition = await this.records.findCondition(patientId, id);
    if (!condition) throw ApiException.notFound('Condition not found.');
    return condition.resource;
  }

  @Get('visits/:id')
  @Scopes(SCOPES.visitRead)
  async visit(@Param('patient_id') patientId: string, @Param('id') id: string) {
    assertPatientId(patientId);
    const visit = await this.records.findVisit(patientId, id);
    if (!visit) throw ApiException.notFound('Visit not found.');
    return visit.resource;
  }
}
