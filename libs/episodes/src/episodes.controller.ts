import { AuthenticatedClient, CurrentClient, Scopes } from '@app/auth';
import {
  ApiErrorResponse,
  ApiErrorResponses,
  ApiException,
  ApiPagedResponse,
  errorExample,
  PagedList,
} from '@app/http';
import { ApiEnqueuedResponses, JobData, JobsService, renderEnqueued } from '@app/jobs';
import { AuditedRead } from '@app/observability';
import {
  ApiPatientIdParam,
  assertPatientId,
  isRecordId,
  PATIENT_NOT_FOUND,
  PatientRecordRead,
} from '@app/patients';
import {
  applyDecorators,
  Body,
  Controller,
  Get,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EpisodeListQueryDto } from './dto/episode-list-query.dto';
import {
  CancelEpisodeDto,
  CloseEpisodeDto,
  CreateEpisodeDto,
  UpdateEpisodeDto,
} from './dto/episode.dto';
import { EPISODE_JOBS, EPISODE_MESSAGES } from './episode';
import { EXAMPLE_CANCEL, EXAMPLE_CLOSE, EXAMPLE_EPISODE, EXAMPLE_UPDATE } from './episode.examples';
import { toEpisodeView } from './episode-view';
import { EpisodeView } from './episode-view.schema';
import { EpisodesRepository } from './episodes.repository';
import { EPISODE_SCOPES } from './scopes';

const EPISODES_PATH = `/api/patients/2f9c3a4e-6d1b-4e8f-a0c7-5b3d9e1f7a24/episodes`;

/** The episode a write is about (`:id`), documented. */
const ApiEpisodeIdParam = () =>
  ApiParam({
    name: 'id',
    description: 'The episode (a UUID). Any other value answers 404.',
    schema: { type: 'string', format: 'uuid', example: EXAMPLE_EPISODE.id },
  });

const PATIENT_NOT_FOUND_EXAMPLE = errorExample(
  'Malformed patient id',
  404,
  'not_found',
  PATIENT_NOT_FOUND,
  '/api/patients/42/episodes',
);

/** The 404 of a route on the patient's episodes: a patient id that is not a UUID. */
const PATIENT_404 = {
  description: 'not_found: the patient id is not a UUID.',
  examples: { patient_not_found: PATIENT_NOT_FOUND_EXAMPLE },
};

/** The 404 of a write on one episode, answered before any job. */
const EPISODE_WRITE_404 = {
  description:
    'not_found: the patient id or the episode id is not a UUID. An unknown episode, or ' +
    'another client’s, is accepted and its job ends `failed` with 404.',
  examples: {
    patient_not_found: PATIENT_NOT_FOUND_EXAMPLE,
    episode_not_found: errorExample(
      'Malformed episode id',
      404,
      'not_found',
      EPISODE_MESSAGES.notFound,
      `${EPISODES_PATH}/42`,
    ),
  },
};

/** What every write documents: its scope, its body, its job, the refusals at submission. */
function EpisodeWrite(
  summary: string,
  body: { type: new () => object; summary: string; example: object },
  onEpisode: boolean,
): MethodDecorator {
  return applyDecorators(
    Scopes(EPISODE_SCOPES.write),
    ApiOperation({ summary }),
    ApiPatientIdParam(),
    ...(onEpisode ? [ApiEpisodeIdParam()] : []),
    ApiConsumes('application/json'),
    ApiBody({
      type: body.type,
      examples: { example: { summary: body.summary, value: body.example } },
    }),
    ApiEnqueuedResponses(),
    ApiErrorResponses(400, 413, 415, 422),
  );
}

/**
 * Episodes of care of a patient. Every write is a job (202, then poll `GET /api/jobs/{id}`): its
 * shape is checked at once (422, nothing enqueued), the rules by the job, which ends `processed`
 * with a link to the episode (303) or `failed`. An episode belongs to the client that created it:
 * another client's answers as an unknown one, on reads, writes and lists.
 */
@ApiTags('episodes')
@Controller('api/patients/:patient_id/episodes')
export class EpisodesController {
  constructor(
    private readonly jobs: JobsService,
    private readonly episodes: EpisodesRepository,
  ) {}

  /**
   * Creates an episode (`episode.create`). The job refuses with 422 an id that exists, a type
   * outside `eHealth/episode_types`, and a managing organization that is not the caller.
   */
  @Post()
  @EpisodeWrite(
    'Create an episode of care',
    { type: CreateEpisodeDto, summary: 'An active primary care episode', example: EXAMPLE_EPISODE },
    false,
  )
  @ApiErrorResponse(404, PATIENT_404)
  async create(
    @Param('patient_id') patientId: string,
    @Body() body: CreateEpisodeDto,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    assertPatientId(patientId);
    return this.submit(reply, client, EPISODE_JOBS.create, {
      patient_id: patientId,
      episode: plain(body),
    });
  }

  /** The caller's episodes of the patient, newest first, a page at a time. */
  @Get()
  @Scopes(EPISODE_SCOPES.read)
  @ApiOperation({ summary: 'List the episodes of a patient' })
  @AuditedRead('episodes')
  @ApiPatientIdParam()
  @ApiPagedResponse(EpisodeView, 'A page of the episodes, newest first, and where it sits.')
  @ApiErrorResponses(422)
  @ApiErrorResponse(404, PATIENT_404)
  async list(
    @Param('patient_id') patientId: string,
    @Query() query: EpisodeListQueryDto,
    @CurrentClient() client: AuthenticatedClient,
  ): Promise<PagedList<EpisodeView>> {
    assertPatientId(patientId);
    const owner = { clientId: client.clientId, patientId };
    const { episodes, total } = await this.episodes.page(owner, query.status, query);
    const history = await this.episodes.historyOf(episodes.map((episode) => episode.id));
    const views = episodes.map((episode) => toEpisodeView(episode, history.get(episode.id) ?? []));
    return PagedList.of(views, total, query);
  }

  /** One episode, with its status history. */
  @Get(':id')
  @Scopes(EPISODE_SCOPES.read)
  @ApiOperation({ summary: 'Get an episode' })
  @PatientRecordRead({
    recordType: 'episode',
    model: EpisodeView,
    notFound: EPISODE_MESSAGES.notFound,
    exampleId: EXAMPLE_EPISODE.id,
  })
  async get(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @CurrentClient() client: AuthenticatedClient,
  ): Promise<EpisodeView> {
    assertPatientId(patientId);
    const episode = await this.episodes.findOwned({ clientId: client.clientId, patientId }, id);
    if (!episode) throw ApiException.notFound(EPISODE_MESSAGES.notFound);
    const history = await this.episodes.historyOf([episode.id]);
    return toEpisodeView(episode, history.get(episode.id) ?? []);
  }

  /**
   * Changes the name or the care manager of an active episode (`episode.update`); any other
   * status ends the job `failed` with 409.
   */
  @Patch(':id')
  @EpisodeWrite(
    'Update an episode',
    { type: UpdateEpisodeDto, summary: 'A new name and care manager', example: EXAMPLE_UPDATE },
    true,
  )
  @ApiErrorResponse(404, EPISODE_WRITE_404)
  async update(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @Body() body: UpdateEpisodeDto,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    assertEpisodePath(patientId, id);
    if (body.name === undefined && body.care_manager === undefined) {
      throw ApiException.validationFailed([
        {
          entry_type: 'json_data_property',
          entry: '$',
          rules: [
            {
              rule: 'required',
              params: ['name', 'care_manager'],
              description: 'name or care_manager must be present',
            },
          ],
        },
      ]);
    }
    return this.submit(reply, client, EPISODE_JOBS.update, {
      patient_id: patientId,
      episode_id: id,
      changes: plain(body),
    });
  }

  /**
   * Closes an active episode (`episode.close`). The job refuses with 422 an end before the start
   * and a reason outside `eHealth/episode_closing_reasons`; with 409 an episode not active.
   */
  @Patch(':id/actions/close')
  @EpisodeWrite(
    'Close an episode',
    { type: CloseEpisodeDto, summary: 'Closed: care goes on elsewhere', example: EXAMPLE_CLOSE },
    true,
  )
  @ApiErrorResponse(404, EPISODE_WRITE_404)
  async close(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @Body() body: CloseEpisodeDto,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    assertEpisodePath(patientId, id);
    return this.submit(reply, client, EPISODE_JOBS.close, {
      patient_id: patientId,
      episode_id: id,
      close: plain(body),
    });
  }

  /**
   * Cancels an active or closed episode entered in error (`episode.cancel`): its status becomes
   * `entered_in_error`. The job refuses with 422 a reason outside `eHealth/cancellation_reasons`;
   * with 409 an episode already cancelled, or one with encounters.
   */
  @Patch(':id/actions/cancel')
  @EpisodeWrite(
    'Cancel an episode',
    { type: CancelEpisodeDto, summary: 'Entered in error', example: EXAMPLE_CANCEL },
    true,
  )
  @ApiErrorResponse(404, EPISODE_WRITE_404)
  async cancel(
    @Param('patient_id') patientId: string,
    @Param('id') id: string,
    @Body() body: CancelEpisodeDto,
    @CurrentClient() client: AuthenticatedClient,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobData> {
    assertEpisodePath(patientId, id);
    return this.submit(reply, client, EPISODE_JOBS.cancel, {
      patient_id: patientId,
      episode_id: id,
      cancel: plain(body),
    });
  }

  private async submit(
    reply: FastifyReply,
    client: AuthenticatedClient,
    type: string,
    payload: Record<string, unknown>,
  ): Promise<JobData> {
    const enqueued = await this.jobs.enqueue(type, payload, { clientId: client.clientId });
    return renderEnqueued(reply, enqueued);
  }
}

/** A validated body as the plain JSON the job carries. */
function plain(body: object): unknown {
  return JSON.parse(JSON.stringify(body)) as unknown;
}

/** A patient id or an episode id that is not a UUID names nothing: 404 before any job. */
function assertEpisodePath(patientId: string, id: string): void {
  assertPatientId(patientId);
  if (!isRecordId(id)) throw ApiException.notFound(EPISODE_MESSAGES.notFound);
}
