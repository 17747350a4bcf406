import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import { ApiErrorResponse, ApiErrorResponses, ApiException, ApiRoute } from '@app/http';
import { ApiEnqueuedResponses, JobData, JobsService, renderEnqueued } from '@app/jobs';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { isUUID } from 'class-validator';
import { EncounterPackageDto } from './dto/encounter-package.dto';
import { ENCOUNTER_PACKAGE_JOB } from './encounter-package';
import { ENCOUNTER_SCOPES } from './scopes';

export const PATIENT_NOT_FOUND = 'Patient not found.';

export function assertPatientId(patientId: string): void {
  if (!isUUID(patientId)) throw ApiException.notFound(PATIENT_NOT_FOUND);
}

/** Documents the `patient_id` path parameter of the patient routes. */
export const ApiPatientIdParam = () =>
  ApiParam({
    name: 'patient_id',
    description: 'The patient (a UUID). Any other value answers 404 `Patient not found.`',
    schema: { type: 'string', format: 'uuid', example: '2f9c3a4e-6d1b-4e8f-a0c7-5b3d9e1f7a24' },
  });

@ApiTags('encounter packages')
@Controller('api/patients/:patient_id')
export class EncounterPackagesController {
  constructor(private readonly jobs: JobsService) {}

  /**
   * Submits an encounter package: its shape is checked now (422, nothing enqueued), its clinical
   * rules by the job. 202 with the pending job, or 200 with the identical package's pending job.
   */
  @Post('encounter_package')
  @Scopes(ENCOUNTER_SCOPES.encounterWrite)
  @ApiRoute({
    summary: 'Submit an encounter package',
    description:
      'Submits a visit (optional), an encounter and its conditions as one job. The shape is ' +
      'checked now: a malformed package answers 422 and nothing is enqueued; unknown properties ' +
      'are refused (rule `schema`). The clinical rules are checked by the job, which then ends ' +
      '`failed` with 422 (one `invalid` entry per violation) or 409 (an id already exists), or ' +
      '`processed` with links to the encounter, its conditions and the visit.',
    scopes: [ENCOUNTER_SCOPES.encounterWrite],
  })
  @ApiPatientIdParam()
  @ApiConsumes('application/json')
  @ApiBody({ type: EncounterPackageDto })
  @ApiEnqueuedResponses()
  @ApiErrorResponses(400, 413, 415, 422)
  @ApiErrorResponse(404, {
    description: 'not_found: the patient id is not a UUID.',
    examples: {
      patient_not_found: {
        summary: 'Malformed patient id',
        value: {
          error: { type: 'not_found', message: PATIENT_NOT_FOUND },
          meta: {
            code: 404,
            url: 'http://localhost:3000/api/patients/42/encounter_package',
            type: 'object',
            request_id: '1b9e0c52-2f5b-4a86-9d4e-0f8a3e5f4c21',
          },
        },
      },
    },
  })
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
