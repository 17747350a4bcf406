import { AuthenticatedClient, CurrentClient, Scopes, SCOPES } from '@app/auth';
import { ApiException } from '@app/http';
import { JobData, JobsService, renderEnqueued } from '@app/jobs';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isUUID } from 'class-validator';
import { EncounterPackageDto } from './dto/encounter-package.dto';
import { ENCOUNTER_PACKAGE_JOB } from './encounter-package';

export const PATIENT_NOT_FOUND = 'Patient not found.';

export function assertPatientId(patientId: string): void {
  if (!isUUID(patientId)) throw ApiException.notFound(PATIENT_NOT_FOUND);
}

@Controller('api/patients/:patient_id')
export class EncounterPackagesController {
  constructor(private readonly jobs: JobsService) {}

  /**
   * Submits an encounter package: its shape is checked now (422, nothing enqueued), its clinical
   * rules by the job. 202 with the pending job, or 200 with the identical package's pending job.
   */
  @Post('encounter_package')
  @Scopes(SCOPES.encounterWrite)
  async submit(
    @Param('patient_id') patientId: string,
    @Body() body: EncounterPackageDto,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    assertPatientId(patientId);
    const payload = { patient_id: patientId, package: JSON.parse(JSON.stringify(body)) as unknown };
    const enqueued = await this.jobs.enqueue(ENCOUNTER_PACKAGE_JOB, payload, {
      clientId: client.clientId,
    });
    return renderEnqueued(reply, enqueued);
  }
}
