import { IntegerBetween } from '@app/config';

/**
 * The encounter packages' own settings, read from the environment and checked at start-up
 * (`AppConfigModule.forFeature`); a wrong value stops the service with a line naming it.
 */
export class EncounterSettings {
  /**
   * How far ahead of the service's clock an encounter date may be before it counts as in the
   * future: a MIS whose clock runs a little fast would otherwise see its packages refused.
   */
  @IntegerBetween(0, 3600)
  ENCOUNTER_CLOCK_SKEW_SECONDS?: number;

  get clockSkewMs(): number {
    return (this.ENCOUNTER_CLOCK_SKEW_SECONDS ?? 0) * 1000;
  }
}
