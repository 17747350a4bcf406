import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import { ApiErrorResponse, ApiErrorResponses, errorExample } from '@app/http';
import { ApiEnqueuedResponses, JobData, JobsService, renderEnqueued } from '@app/jobs';
import { ApiPatientIdParam, assertPatientId, PATIENT_NOT_FOUND } from '@app/patients';
import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EncounterPackageDto } from './dto/encounter-package.dto';
import { ENCOUNTER_PACKAGE_JOB } from './encounter-package';
import { EXAMPLE_PACKAGE } from './encounter-package.examples';
import { ENCOUNTER_SCOPES } from './scopes';

@ApiTags('encounter packages')
@Controller('api/patients/:patient_id')
export class EncounterPackagesController {
  constructor(private readonly jobs: JobsService) {}

  /**
   * Submits a visit (optional), an encounter and its conditions as one job. The shape is checked
   * now: a malformed package answers 422 and nothing is enqueued; unknown properties are refused
   * (rule `schema`). The clinical rules are checked by the job, which then ends `failed` with 422
   * (one `invalid` entry per violation) or 409 (an id already exists), or `processed` with links
   * to the encounter, its conditions and the visit.
   */
  @Post('encounter_package')
  @Scopes(ENCOUNTER_SCOPES.encounterWrite)
  @ApiOperation({ summary: 'Submit an encounter package' })
  @ApiPatientIdParam()
  @ApiConsumes('application/json')
  @ApiBody({
    type: EncounterPackageDto,
    examples: {
      package: { summary: 'A visit, an encounter and a condition', value: EXAMPLE_PACKAGE },
    },
  })
  @ApiEnqueuedResponses()
  @ApiErrorResponses(400, 413, 415, 422)
  @ApiErrorResponse(404, {
    description: 'not_found: the patient id is not a UUID.',
    examples: {
      patient_not_found: errorExample(
        'Malformed patient id',
        404,
        'not_found',
        PATIENT_NOT_FOUND,
        '/api/patients/42/encounter_package',
      ),
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
