import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CodeableConceptDto, DiagnosisRoleDto, ReferenceDto } from './codeable-concept.dto';

const ENCOUNTER_STATUSES = ['finished', 'entered_in_error'] as const;
const ENCOUNTER_CLASSES = ['AMB', 'INPATIENT', 'PHC'] as const;
export type EncounterClass = (typeof ENCOUNTER_CLASSES)[number];

const ISO_8601 = { strict: true } as const;

/** How a date of the package is documented: a date-time; its validator accepts any ISO 8601 date. */
const DATE_TIME = { format: 'date-time', example: '2026-11-20T09:30:00.000Z' } as const;

export class PeriodDto {
  @ApiProperty(DATE_TIME)
  @IsISO8601(ISO_8601)
  start: string;

  @ApiPropertyOptional(DATE_TIME)
  @IsOptional()
  @IsISO8601(ISO_8601)
  end?: string;
}

export class VisitDto {
  @IsUUID()
  id: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => PeriodDto)
  period: PeriodDto;
}

export class EncounterClassDto {
  @ApiProperty({ example: 'eHealth/encounter_classes' })
  @IsString()
  @MaxLength(200)
  system: string;

  @IsIn(ENCOUNTER_CLASSES)
  code: EncounterClass;
}

export class DiagnosisDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferenceDto)
  condition: ReferenceDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => DiagnosisRoleDto)
  role: DiagnosisRoleDto;

  @ApiPropertyOptional({ type: 'integer', minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  rank?: number;
}

export class EncounterDto {
  @IsUUID()
  id: string;

  @IsIn(ENCOUNTER_STATUSES)
  status: string;

  @ApiProperty(DATE_TIME)
  @IsISO8601(ISO_8601)
  date: string;

  @ApiProperty({
    type: () => ReferenceDto,
    description: "The visit: this package's or one stored.",
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferenceDto)
  visit: ReferenceDto;

  @ApiPropertyOptional({
    type: () => ReferenceDto,
    description:
      'The episode of care the encounter belongs to (`eHealth/resources` `episode`): an active ' +
      'episode of this patient that this client manages.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferenceDto)
  episode?: ReferenceDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EncounterClassDto)
  class: EncounterClassDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  type: CodeableConceptDto;

  @ApiProperty({ type: () => ReferenceDto, description: 'The employee who performed it.' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferenceDto)
  performer: ReferenceDto;

  @ApiPropertyOptional({
    type: () => [CodeableConceptDto],
    maxItems: 100,
    description: 'Required for a primary care (`PHC`) encounter.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CodeableConceptDto)
  reasons?: CodeableConceptDto[];

  @ApiProperty({
    type: () => [DiagnosisDto],
    minItems: 1,
    maxItems: 100,
    description: 'Exactly one must have the role `primary`.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DiagnosisDto)
  diagnoses: DiagnosisDto[];

  @ApiPropertyOptional({
    type: () => CodeableConceptDto,
    description: 'Required for an `INPATIENT` encounter.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  priority?: CodeableConceptDto;
}

export class ConditionDto {
  @IsUUID()
  id: string;

  @IsBoolean()
  primary_source: boolean;

  @ApiProperty({ type: () => ReferenceDto, description: "This package's encounter." })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferenceDto)
  context: ReferenceDto;

  @ApiProperty({
    type: () => CodeableConceptDto,
    description: "The first coding's `code` must be a code of the ICD-10 dictionary.",
  })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  code: CodeableConceptDto;

  @ApiProperty({ example: 'active' })
  @IsString()
  @MaxLength(100)
  clinical_status: string;

  @ApiProperty({ example: 'confirmed' })
  @IsString()
  @MaxLength(100)
  verification_status: string;

  @ApiProperty(DATE_TIME)
  @IsISO8601(ISO_8601)
  onset_date: string;
}

/** The body of `POST /api/patients/{patient_id}/encounter_package`. */
export class EncounterPackageDto {
  @ApiPropertyOptional({
    type: () => VisitDto,
    description: 'A new visit, when the encounter is not part of a stored one.',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => VisitDto)
  visit?: VisitDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EncounterDto)
  encounter: EncounterDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions?: ConditionDto[];
}
