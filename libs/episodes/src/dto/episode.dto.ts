import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate } from './calendar-date';
import { CareManagerDto, ManagingOrganizationDto } from './episode-references.dto';

/**
 * The bodies of the episode routes. Their shape is checked at submission (422, nothing enqueued);
 * whether a code is in its dictionary, who manages the episode and what its state allows are
 * checked by the job.
 */

const DATE = { format: 'date', example: '2026-11-20' } as const;

/** Free text is stored as text, which PostgreSQL refuses to hold a NUL character in. */
// eslint-disable-next-line no-control-regex -- the NUL character is what it refuses
const WITHOUT_NUL = /^[^\u0000]*$/;
const NUL_MESSAGE = { message: '$property must not contain a NUL character' };

export class EpisodeTypeDto {
  @IsIn(['eHealth/episode_types'])
  system: string;

  /**
   * A code of the dictionary `eHealth/episode_types` (checked by the job).
   * @example "primary_care"
   */
  @IsString()
  @MaxLength(100)
  code: string;
}

export class EpisodeStartDto {
  @ApiProperty(DATE)
  @IsCalendarDate()
  start: string;
}

/** The body of `POST /api/patients/{patient_id}/episodes`. */
export class CreateEpisodeDto {
  @ApiProperty({ format: 'uuid', example: 'a10aeafb-0df2-4091-bc83-f07e92a100ae' })
  @IsUUID()
  id: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EpisodeTypeDto)
  type: EpisodeTypeDto;

  /** A new episode is `active`. */
  @IsIn(['active'])
  status: string;

  /** @example "Type 2 diabetes" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  @Matches(WITHOUT_NUL, NUL_MESSAGE)
  name: string;

  @ApiProperty({
    type: () => ManagingOrganizationDto,
    description: "The caller's own legal entity: its client id.",
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ManagingOrganizationDto)
  managing_organization: ManagingOrganizationDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EpisodeStartDto)
  period: EpisodeStartDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CareManagerDto)
  care_manager: CareManagerDto;
}

/** The body of `PATCH /api/patients/{patient_id}/episodes/{id}`: what changes, one or both. */
export class UpdateEpisodeDto {
  /** @example "Type 2 diabetes, insulin-dependent" */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  @Matches(WITHOUT_NUL, NUL_MESSAGE)
  name?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CareManagerDto)
  care_manager?: CareManagerDto;
}

export class ClosingReasonCodingDto {
  @IsIn(['eHealth/episode_closing_reasons'])
  system: string;

  /**
   * A code of the dictionary `eHealth/episode_closing_reasons` (checked by the job).
   * @example "legal_entity"
   */
  @IsString()
  @MaxLength(100)
  code: string;
}

export class ClosingReasonDto {
  @ApiProperty({ type: () => [ClosingReasonCodingDto], minItems: 1, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ClosingReasonCodingDto)
  coding: ClosingReasonCodingDto[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  text?: string;
}

export class EpisodeEndDto {
  @ApiProperty({ ...DATE, description: 'Not before the start of the episode.' })
  @IsCalendarDate()
  end: string;
}

/** The body of `PATCH /api/patients/{patient_id}/episodes/{id}/actions/close`. */
export class CloseEpisodeDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EpisodeEndDto)
  period: EpisodeEndDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ClosingReasonDto)
  status_reason: ClosingReasonDto;

  /** @example "Blood sugar controlled by diet; no further visits planned." */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(WITHOUT_NUL, NUL_MESSAGE)
  closing_summary?: string;
}

export class CancellationReasonCodingDto {
  @IsIn(['eHealth/cancellation_reasons'])
  system: string;

  /**
   * A code of the dictionary `eHealth/cancellation_reasons` (checked by the job).
   * @example "misspelling"
   */
  @IsString()
  @MaxLength(100)
  code: string;
}

export class CancellationReasonDto {
  @ApiProperty({ type: () => [CancellationReasonCodingDto], minItems: 1, maxItems: 10 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CancellationReasonCodingDto)
  coding: CancellationReasonCodingDto[];

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  text?: string;
}

/** The body of `PATCH /api/patients/{patient_id}/episodes/{id}/actions/cancel`. */
export class CancelEpisodeDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CancellationReasonDto)
  status_reason: CancellationReasonDto;

  /** @example "The episode was opened for the wrong patient." */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(WITHOUT_NUL, NUL_MESSAGE)
  explanatory_letter?: string;
}
