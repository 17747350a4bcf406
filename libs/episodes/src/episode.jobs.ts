import { isUniqueViolation } from '@app/database';
import { InvalidEntry } from '@app/http';
import { JobContext, JobFailure, JobHandler, JobOutcome } from '@app/jobs';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  CancelEpisodeDto,
  CloseEpisodeDto,
  CreateEpisodeDto,
  UpdateEpisodeDto,
} from './dto/episode.dto';
import {
  EPISODE_DICTIONARIES,
  EPISODE_JOBS,
  EPISODE_MESSAGES,
  EpisodeStatus,
  episodeHref,
  statusRefusal,
} from './episode';
import { codingsNotIn, notInDictionary, violation } from './episode-rules';
import { Episode } from './entities/episode.entity';
import { EpisodeFields, EpisodeOwner, EpisodesRepository } from './episodes.repository';

/** What the jobs carry: the patient, the episode, and the body exactly as validated at submission. */
export interface CreateEpisodePayload extends Record<string, unknown> {
  patient_id: string;
  episode: CreateEpisodeDto;
}

export interface UpdateEpisodePayload extends Record<string, unknown> {
  patient_id: string;
  episode_id: string;
  changes: UpdateEpisodeDto;
}

export interface CloseEpisodePayload extends Record<string, unknown> {
  patient_id: string;
  episode_id: string;
  close: CloseEpisodeDto;
}

export interface CancelEpisodePayload extends Record<string, unknown> {
  patient_id: string;
  episode_id: string;
  cancel: CancelEpisodeDto;
}

type Action = 'updated' | 'closed' | 'canceled';

/** The statuses each action starts from. */
const ALLOWED_FROM: Record<Action, EpisodeStatus[]> = {
  updated: ['active'],
  closed: ['active'],
  canceled: ['active', 'closed'],
};

/**
 * Runs the writes of episodes: each checks its rules against the episode as it is, then changes
 * it in the job's completion transaction, and only while its status still allows the change. A
 * processed job links to the episode (303).
 */
@Injectable()
export class EpisodeJobs {
  constructor(private readonly episodes: EpisodesRepository) {}

  @JobHandler(EPISODE_JOBS.create)
  async create(job: JobContext<CreateEpisodePayload>): Promise<JobOutcome> {
    const { patient_id: patientId, episode: body } = job.payload;
    const invalid: InvalidEntry[] = [];
    if (await this.episodes.exists(body.id))
      invalid.push(violation('$.id', EPISODE_MESSAGES.idTaken));
    const types = await this.episodes.codesOf(EPISODE_DICTIONARIES.types);
    if (!types.includes(body.type.code)) invalid.push(notInDictionary('$.type.code', types));
    if (body.managing_organization.identifier.value !== job.clientId) {
      invalid.push(
        violation('$.managing_organization.identifier.value', EPISODE_MESSAGES.notManaged),
      );
    }
    if (invalid.length > 0) throw JobFailure.validation(invalid);

    return this.linked(patientId, body.id, async (manager) => {
      const at = new Date();
      const episode: Episode = {
        id: body.id,
        patientId,
        clientId: job.clientId,
        typeCode: body.type.code,
        status: 'active',
        name: body.name,
        managingOrganization: body.managing_organization.identifier.value,
        careManagerId: body.care_manager.identifier.value,
        periodStart: body.period.start,
        periodEnd: null,
        statusReason: null,
        closingSummary: null,
        explanatoryLetter: null,
        createdAt: at,
        updatedAt: at,
      };
      try {
        await this.episodes.insert(manager, episode, {
          status: 'active',
          statusReason: null,
          by: job.clientId,
          at,
        });
      } catch (error) {
        // Another episode with this id committed between the check and now.
        if (isUniqueViolation(error)) {
          throw JobFailure.validation([violation('$.id', EPISODE_MESSAGES.idTaken)]);
        }
        throw error;
      }
    });
  }

  @JobHandler(EPISODE_JOBS.update)
  async update(job: JobContext<UpdateEpisodePayload>): Promise<JobOutcome> {
    const { patient_id: patientId, episode_id: id, changes } = job.payload;
    const owner = { clientId: job.clientId, patientId };
    await this.changeable(owner, id, 'updated');
    const fields: EpisodeFields = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.care_manager ? { careManagerId: changes.care_manager.identifier.value } : {}),
    };
    return this.linked(patientId, id, (manager) =>
      this.change(manager, owner, id, 'updated', fields),
    );
  }

  @JobHandler(EPISODE_JOBS.close)
  async close(job: JobContext<CloseEpisodePayload>): Promise<JobOutcome> {
    const { patient_id: patientId, episode_id: id, close } = job.payload;
    const owner = { clientId: job.clientId, patientId };
    const episode = await this.changeable(owner, id, 'closed');
    const invalid: InvalidEntry[] = [];
    // Calendar dates written YYYY-MM-DD compare as text.
    if (close.period.end < episode.periodStart) {
      invalid.push(violation('$.period.end', EPISODE_MESSAGES.endBeforeStart));
    }
    const reasons = await this.episodes.codesOf(EPISODE_DICTIONARIES.closingReasons);
    invalid.push(...codingsNotIn('$.status_reason', close.status_reason.coding, reasons));
    if (invalid.length > 0) throw JobFailure.validation(invalid);

    return this.linked(patientId, id, (manager) =>
      this.change(
        manager,
        owner,
        id,
        'closed',
        {
          periodEnd: close.period.end,
          statusReason: close.status_reason,
          closingSummary: close.closing_summary ?? null,
        },
        'closed',
      ),
    );
  }

  @JobHandler(EPISODE_JOBS.cancel)
  async cancel(job: JobContext<CancelEpisodePayload>): Promise<JobOutcome> {
    const { patient_id: patientId, episode_id: id, cancel } = job.payload;
    const owner = { clientId: job.clientId, patientId };
    await this.changeable(owner, id, 'canceled');
    const reasons = await this.episodes.codesOf(EPISODE_DICTIONARIES.cancellationReasons);
    const invalid = codingsNotIn('$.status_reason', cancel.status_reason.coding, reasons);
    if (invalid.length > 0) throw JobFailure.validation(invalid);
    if ((await this.episodes.encounterCount(id)) > 0) {
      throw JobFailure.conflict(EPISODE_MESSAGES.openEncounters);
    }

    return this.linked(patientId, id, async (manager) => {
      await this.change(
        manager,
        owner,
        id,
        'canceled',
        {
          statusReason: cancel.status_reason,
          explanatoryLetter: cancel.explanatory_letter ?? null,
        },
        'entered_in_error',
      );
      // An encounter may have joined the episode since the check: its row lock made it wait.
      if ((await this.episodes.encounterCount(id, manager)) > 0) {
        throw JobFailure.conflict(EPISODE_MESSAGES.openEncounters);
      }
    });
  }

  /** A processed job's links: the episode. */
  private linked(
    patientId: string,
    id: string,
    persist: (manager: EntityManager) => Promise<void>,
  ): JobOutcome {
    return JobOutcome.links([{ entity: 'episode', href: episodeHref(patientId, id) }], persist);
  }

  /**
   * The owner's episode when `action` may change it; else the job fails: 404 for an unknown id or
   * another client's (the same answer), 409 when the caller does not manage it or its status does
   * not allow the action.
   */
  private async changeable(
    owner: EpisodeOwner,
    id: string,
    action: Action,
    manager?: EntityManager,
  ): Promise<Episode> {
    const episode = await this.episodes.findOwned(owner, id, manager);
    if (!episode) throw JobFailure.notFound(EPISODE_MESSAGES.notFound);
    if (episode.managingOrganization !== owner.clientId) {
      throw JobFailure.conflict(EPISODE_MESSAGES.notManaged);
    }
    if (!ALLOWED_FROM[action].includes(episode.status as EpisodeStatus)) {
      throw JobFailure.conflict(statusRefusal(episode.status, action));
    }
    return episode;
  }

  /**
   * Makes the change in the completion transaction while the status still allows it; when another
   * job changed the episode since the checks, the job fails as the episode now is.
   */
  private async change(
    manager: EntityManager,
    owner: EpisodeOwner,
    id: string,
    action: Action,
    fields: EpisodeFields,
    status?: EpisodeStatus,
  ): Promise<void> {
    const change = status
      ? { status, statusReason: fields.statusReason ?? null, by: owner.clientId, at: new Date() }
      : undefined;
    if (await this.episodes.change(manager, owner, id, ALLOWED_FROM[action], fields, change))
      return;
    await this.changeable(owner, id, action, manager);
    throw JobFailure.conflict();
  }
}
