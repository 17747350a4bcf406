import { isUniqueViolation } from '@app/database';
import { EpisodesService } from '@app/episodes';
import { JobContext, JobFailure, JobHandler, JobLink, JobOutcome } from '@app/jobs';
import { Injectable } from '@nestjs/common';
import { ClinicalRecordsRepository } from './clinical-records.repository';
import { checkClinicalRules, EPISODE_NOT_ACTIVE, episodeViolation } from './clinical-rules';
import { EncounterSettings } from './encounter-settings';
import {
  conditionHref,
  ENCOUNTER_PACKAGE_JOB,
  EncounterPackagePayload,
  encounterHref,
  visitHref,
} from './encounter-package';

/** Processes a submitted encounter package: the clinical rules, then the records, with the job. */
@Injectable()
export class EncounterPackageJobs {
  constructor(
    private readonly records: ClinicalRecordsRepository,
    private readonly settings: EncounterSettings,
    private readonly episodes: EpisodesService,
  ) {}

  @JobHandler(ENCOUNTER_PACKAGE_JOB)
  async create(job: JobContext<EncounterPackagePayload>): Promise<JobOutcome> {
    const { patient_id: patientId, package: pkg } = job.payload;
    const owner = { clientId: job.clientId, patientId };
    const episodeId = pkg.encounter.episode?.identifier.value;
    const facts = {
      ...(await this.records.factsFor(owner, pkg)),
      ...(episodeId ? { episode: await this.episodes.findForRecord(owner, episodeId) } : {}),
    };
    const invalid = checkClinicalRules(pkg, facts, new Date(), this.settings.clockSkewMs);
    if (invalid.length > 0) throw JobFailure.validation(invalid);

    const taken = await this.records.firstTakenId(pkg);
    if (taken) throw JobFailure.conflict(`${taken.entity} ${taken.id} already exists.`);

    const links: JobLink[] = [
      { entity: 'encounter', href: encounterHref(patientId, pkg.encounter.id) },
      ...(pkg.conditions ?? []).map((condition) => ({
        entity: 'condition',
        href: conditionHref(patientId, condition.id),
      })),
      ...(pkg.visit ? [{ entity: 'visit', href: visitHref(patientId, pkg.visit.id) }] : []),
    ];
    return JobOutcome.links(links, async (manager) => {
      try {
        await this.records.store(manager, owner, pkg);
      } catch (error) {
        // Another package with the same ids committed between the check and now.
        if (isUniqueViolation(error)) throw JobFailure.conflict();
        throw error;
      }
      // The episode was closed or cancelled since the check: the encounter is not stored.
      if (
        episodeId &&
        !(await this.episodes.addEncounter(manager, owner, episodeId, pkg.encounter.id))
      ) {
        throw JobFailure.validation([episodeViolation(EPISODE_NOT_ACTIVE)]);
      }
    });
  }
}
