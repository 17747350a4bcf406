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
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CodeableConceptDto, DiagnosisRoleDto, ReferenceDto } from './codeable-concept.dto';

export const ENCOUNTER_STATUSES = ['finished', 'entered_in_error'] as const;
export const ENCOUNTER_CLASSES = ['AMB', 'INPATIENT', 'PHC'] as const;
export type EncounterClass = (typeof ENCOUNTER_CLASSES)[number];

const ISO_8601 = { strict: true } as const;

export class PeriodDto {
  @IsISO8601(ISO_8601)
  start: string;

  @IsOptional()
  @IsISO8601(ISO_8601)
  end?: string;
}

export class VisitDto {
  @IsUUID()
  id: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => PeriodDto)
  period: PeriodDto;
}

export class EncounterClassDto {
  @IsString()
  @MaxLength(200)
  system: string;

  @IsIn(ENCOUNTER_CLASSES)
  code: EncounterClass;
}

export class DiagnosisDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => ReferenceDto)
  condition: ReferenceDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => DiagnosisRoleDto)
  role: DiagnosisRoleDto;

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

  @IsISO8601(ISO_8601)
  date: string;

  @IsDefined()
  @ValidateNested()
  @Type(() => ReferenceDto)
  visit: ReferenceDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => EncounterClassDto)
  class: EncounterClassDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  type: CodeableConceptDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => ReferenceDto)
  performer: ReferenceDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CodeableConceptDto)
  reasons?: CodeableConceptDto[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DiagnosisDto)
  diagnoses: DiagnosisDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  priority?: CodeableConceptDto;
}

export class ConditionDto {
  @IsUUID()
  id: string;

  @IsBoolean()
  primary_source: boolean;

  @IsDefined()
  @ValidateNested()
  @Type(() => ReferenceDto)
  context: ReferenceDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  code: CodeableConceptDto;

  @IsString()
  @MaxLength(100)
  clinical_status: string;

  @IsString()
  @MaxLength(100)
  verification_status: string;

  @IsISO8601(ISO_8601)
  onset_date: string;
}

/** The body of `POST /api/patients/{patient_id}/encounter_package`. */
export class EncounterPackageDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => VisitDto)
  visit?: VisitDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => EncounterDto)
  encounter: EncounterDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions?: ConditionDto[];
}
