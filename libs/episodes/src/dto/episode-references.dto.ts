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
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

/**
 * eHealth's references to resources: `{"identifier": {"type": {"coding": [{"system":
 * "eHealth/resources", "code": "legal_entity"}]}, "value": "..."}}`, one class per kind of resource
 * so that each refuses a coding of another kind.
 */

const RESOURCES = ['eHealth/resources'] as const;
const LEGAL_ENTITY = ['legal_entity'] as const;
const EMPLOYEE = ['employee'] as const;

export class LegalEntityCodingDto {
  @IsIn(RESOURCES)
  system: string;

  @IsIn(LEGAL_ENTITY)
  code: string;
}

export class LegalEntityTypeDto {
  @ApiProperty({ type: () => [LegalEntityCodingDto], minItems: 1, maxItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => LegalEntityCodingDto)
  coding: LegalEntityCodingDto[];
}

export class LegalEntityIdentifierDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalEntityTypeDto)
  type: LegalEntityTypeDto;

  /**
   * The legal entity: the caller's own client id.
   * @example "mis-1"
   */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  value: string;
}

/** The legal entity that manages the episode: the caller itself. */
export class ManagingOrganizationDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => LegalEntityIdentifierDto)
  identifier: LegalEntityIdentifierDto;
}

export class EmployeeCodingDto {
  @IsIn(RESOURCES)
  system: string;

  @IsIn(EMPLOYEE)
  code: string;
}

export class EmployeeTypeDto {
  @ApiProperty({ type: () => [EmployeeCodingDto], minItems: 1, maxItems: 1 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EmployeeCodingDto)
  coding: EmployeeCodingDto[];
}

export class EmployeeIdentifierDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EmployeeTypeDto)
  type: EmployeeTypeDto;

  /** The employee (a UUID). */
  @ApiProperty({ format: 'uuid', example: '8b1e7f52-91c4-4a7e-b0d3-5e2c6a9f4d21' })
  @IsUUID()
  value: string;
}

/** The employee who manages the episode (the doctor in charge). */
export class CareManagerDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => EmployeeIdentifierDto)
  identifier: EmployeeIdentifierDto;
}
