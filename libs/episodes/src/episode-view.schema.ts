import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CareManagerDto, ManagingOrganizationDto } from './dto/episode-references.dto';
import { EpisodeTypeDto } from './dto/episode.dto';
import { EPISODE_STATUSES } from './episode';

/** What the episode routes answer in `data`. */

export class EpisodeCodingView {
  /** @example "eHealth/episode_closing_reasons" */
  system: string;

  /** @example "legal_entity" */
  code: string;
}

export class EpisodeStatusReasonView {
  @ApiProperty({ type: () => [EpisodeCodingView], minItems: 1 })
  coding: EpisodeCodingView[];

  text?: string;
}

export class EpisodePeriodView {
  @ApiProperty({ format: 'date', example: '2026-11-20' })
  start: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-12-20', description: 'Once closed.' })
  end?: string;
}

/** One change of the episode's status: its creation, a close, a cancel. */
export class EpisodeStatusChangeView {
  @ApiProperty({ enum: EPISODE_STATUSES })
  status: string;

  /** Why, for a close or a cancel. */
  status_reason?: EpisodeStatusReasonView;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:30:00.000Z' })
  inserted_at: string;

  /**
   * The client (legal entity) that made the change.
   * @example "mis-1"
   */
  inserted_by: string;
}

@ApiSchema({ name: 'Episode', description: 'An episode of care, as it now is.' })
export class EpisodeView {
  @ApiProperty({ format: 'uuid', example: 'a10aeafb-0df2-4091-bc83-f07e92a100ae' })
  id: string;

  @ApiProperty({ enum: EPISODE_STATUSES })
  status: string;

  type: EpisodeTypeDto;

  /** @example "Type 2 diabetes" */
  name: string;

  managing_organization: ManagingOrganizationDto;

  care_manager: CareManagerDto;

  period: EpisodePeriodView;

  /** Why it was closed or cancelled. */
  status_reason?: EpisodeStatusReasonView;

  closing_summary?: string;

  explanatory_letter?: string;

  /** Every change of status, oldest first. */
  @ApiProperty({ type: () => [EpisodeStatusChangeView], minItems: 1 })
  status_history: EpisodeStatusChangeView[];

  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:30:00.000Z' })
  inserted_at: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-20T09:30:00.000Z' })
  updated_at: string;
}
