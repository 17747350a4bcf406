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
  @ApiProperty({ example: 'eHealth/resources' })
  @IsString()
  @MaxLength(200)
  system: string;

  @ApiProperty({ example: 'condition' })
  @IsString()
  @MaxLength(100)
  code: string;
}

/** `{"coding": [{"system": "...", "code": "..."}]}` */
export class CodeableConceptDto {
  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => CodingDto)
  coding: CodingDto[];
}

export class IdentifierDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CodeableConceptDto)
  type: CodeableConceptDto;

  @IsUUID()
  value: string;
}

/** An eHealth reference: `{"identifier": {"type": {"coding": [...]}, "value": "<uuid>"}}`. */
export class ReferenceDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => IdentifierDto)
  identifier: IdentifierDto;
}

const DIAGNOSIS_ROLES = ['primary', 'secondary', 'complication', 'comorbidity'] as const;

class DiagnosisRoleCodingDto extends CodingDto {
  @ApiProperty({ enum: DIAGNOSIS_ROLES, example: 'primary' })
  @IsIn(DIAGNOSIS_ROLES)
  declare code: string;
}

export class DiagnosisRoleDto {
  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => DiagnosisRoleCodingDto)
  coding: DiagnosisRoleCodingDto[];
}
