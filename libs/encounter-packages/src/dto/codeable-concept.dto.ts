import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class CodingDto {
  @IsString()
  @MaxLength(200)
  system: string;

  @IsString()
  @MaxLength(100)
  code: string;
}

/** `{"coding": [{"system": "...", "code": "..."}]}` */
export class CodeableConceptDto {
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => CodingDto)
  coding: CodingDto[];
}

export class IdentifierDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  type: CodeableConceptDto;

  @IsUUID()
  value: string;
}

/** An eHealth reference: `{"identifier": {"type": {"coding": [...]}, "value": "<uuid>"}}`. */
export class ReferenceDto {
  @IsDefined()
  @ValidateNested()
  @Type(() => IdentifierDto)
  identifier: IdentifierDto;
}

export const DIAGNOSIS_ROLES = ['primary', 'secondary', 'complication', 'comorbidity'] as const;

class DiagnosisRoleCodingDto extends CodingDto {
  @IsIn(DIAGNOSIS_ROLES)
  declare code: string;
}

export class DiagnosisRoleDto {
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => DiagnosisRoleCodingDto)
  coding: DiagnosisRoleCodingDto[];
}
