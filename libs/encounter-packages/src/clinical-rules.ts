import { EPISODE_MESSAGES, EpisodeForRecord } from '@app/episodes';
import { InvalidEntry } from '@app/http';
import { EncounterPackageDto } from './dto/encounter-package.dto';

/**
 * What the rules need to know beyond the package: the records this client stored for the patient
 * (another client's count as absent), the dictionary, and the episode the encounter names (null
 * when this client has no such episode for the patient; absent when it names none).
 */
export interface ClinicalFacts {
  storedVisitIds: ReadonlySet<string>;
  storedConditionIds: ReadonlySet<string>;
  knownIcd10Codes: ReadonlySet<string>;
  episode?: EpisodeForRecord | null;
}

export const EPISODE_NOT_FOUND = 'Episode with such ID is not found';
export const EPISODE_NOT_ACTIVE = 'Episode is not active';

const violation = (entry: string, description: string): InvalidEntry => ({
  entry_type: 'json_data_property',
  entry,
  rules: [{ rule: 'invalid', params: [], description }],
});

/** The entry of a refused episode: the encounter names one it may not be stored in. */
export const episodeViolation = (description: string): InvalidEntry =>
  violation('$.encounter.episode.identifier.value', description);

/**
 * The clinical rules of an encounter package, checked by its job: every violation, each as a
 * `validation_failed` entry with rule `invalid`. An empty list means the package may be stored.
 * An encounter date up to `clockSkewMs` after `now` is not yet in the future.
 */
export function checkClinicalRules(
  pkg: EncounterPackageDto,
  facts: ClinicalFacts,
  now: Date,
  clockSkewMs = 0,
): InvalidEntry[] {
  const { encounter, visit } = pkg;
  const conditions = pkg.conditions ?? [];
  const invalid: InvalidEntry[] = [];
  const encounterDate = Date.parse(encounter.date);
  const periodStart = visit ? Date.parse(visit.period.start) : undefined;
  const periodEnd = visit?.period.end ? Date.parse(visit.period.end) : undefined;
  // A reversed period is reported once, on its end, not again on every date it cannot contain.
  const periodIsReversed =
    periodStart !== undefined && periodEnd !== undefined && periodEnd < periodStart;

  if (encounterDate > now.getTime() + clockSkewMs) {
    invalid.push(violation('$.encounter.date', 'The encounter date must not be in the future.'));
  } else if (
    periodStart !== undefined &&
    !periodIsReversed &&
    (encounterDate < periodStart || (periodEnd !== undefined && encounterDate > periodEnd))
  ) {
    invalid.push(
      violation('$.encounter.date', "The encounter date must be within the visit's period."),
    );
  }

  if (periodIsReversed) {
    invalid.push(
      violation('$.visit.period.end', 'The end of the visit must not be before its start.'),
    );
  }

  const visitId = encounter.visit.identifier.value;
  if (visitId !== visit?.id && !facts.storedVisitIds.has(visitId)) {
    invalid.push(
      violation(
        '$.encounter.visit.identifier.value',
        'The visit must be the one in this package or a visit this client stored for this patient.',
      ),
    );
  }

  if (encounter.episode) {
    const episodeRefusal =
      facts.episode === null || facts.episode === undefined
        ? EPISODE_NOT_FOUND
        : facts.episode.status !== 'active'
          ? EPISODE_NOT_ACTIVE
          : !facts.episode.managedByCaller
            ? EPISODE_MESSAGES.notManaged
            : undefined;
    if (episodeRefusal) invalid.push(episodeViolation(episodeRefusal));
  }

  const packageConditionIds = new Set(conditions.map((condition) => condition.id));
  encounter.diagnoses.forEach((diagnosis, i) => {
    const conditionId = diagnosis.condition.identifier.value;
    if (!packageConditionIds.has(conditionId) && !facts.storedConditionIds.has(conditionId)) {
      invalid.push(
        violation(
          `$.encounter.diagnoses.[${i}].condition.identifier.value`,
          'The condition must be one in this package or a condition this client stored for this patient.',
        ),
      );
    }
  });

  const primaries = encounter.diagnoses.filter((diagnosis) =>
    diagnosis.role.coding.some((coding) => coding.code === 'primary'),
  ).length;
  if (primaries !== 1) {
    invalid.push(
      violation(
        '$.encounter.diagnoses',
        `Exactly one diagnosis must be primary; ${primaries} are.`,
      ),
    );
  }

  if (encounter.class.code === 'INPATIENT' && !encounter.priority) {
    invalid.push(violation('$.encounter.priority', 'An inpatient encounter must have a priority.'));
  }

  if (encounter.class.code === 'PHC' && (!encounter.reasons || encounter.reasons.length === 0)) {
    invalid.push(violation('$.encounter.reasons', 'A primary care encounter must have reasons.'));
  }

  conditions.forEach((condition, i) => {
    const code = condition.code.coding[0]?.code;
    if (!facts.knownIcd10Codes.has(code)) {
      invalid.push(
        violation(
          `$.conditions.[${i}].code.coding.[0].code`,
          `${code} is not a code of the ICD-10 dictionary.`,
        ),
      );
    }
    if (condition.context.identifier.value !== encounter.id) {
      invalid.push(
        violation(
          `$.conditions.[${i}].context.identifier.value`,
          "The condition's context must be this package's encounter.",
        ),
      );
    }
  });

  return invalid;
}
