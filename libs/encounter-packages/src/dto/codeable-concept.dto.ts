import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export class CodingDto {
  @ApiProperty({ maxLength: 200, example: 'eHealth/resources' })
  @IsString()
  @MaxLength(200)
  system: string;

  @ApiProperty({ maxLength: 100, example: 'condition' })
  @IsString()
  @MaxLength(100)
  code: string;
}

/** `{"coding": [{"system": "...", "code": "..."}]}` */
export class CodeableConceptDto {
  @ApiProperty({ type: () => [CodingDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CodingDto)
  coding: CodingDto[];
}

export class IdentifierDto {
  @ApiProperty({ type: () => CodeableConceptDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  type: CodeableConceptDto;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  value: string;
}

/** An eHealth reference: `{"identifier": {"type": {"coding": [...]}, "value": "<uuid>"}}`. */
export class ReferenceDto {
  @ApiProperty({ type: () => IdentifierDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => IdentifierDto)
  identifier: IdentifierDto;
}

export const DIAGNOSIS_ROLES = ['primary', 'secondary', 'complication', 'comorbidity'] as const;

class DiagnosisRoleCodingDto extends CodingDto {
  @ApiProperty({ enum: DIAGNOSIS_ROLES, example: 'primary' })
  @IsIn(DIAGNOSIS_ROLES)
  declare code: string;
}

export class DiagnosisRoleDto {
  @ApiProperty({ type: () => [DiagnosisRoleCodingDto], minItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DiagnosisRoleCodingDto)
  coding: DiagnosisRoleCodingDto[];
}
