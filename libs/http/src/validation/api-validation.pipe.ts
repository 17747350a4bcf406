import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { ApiException } from '../api.exception';
import { EntryType, InvalidEntry } from '../invalid-entry';
import { toInvalidEntries } from './invalid-entries';

class ValidationErrors extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

const ENTRY_TYPES: Partial<Record<ArgumentMetadata['type'], EntryType>> = {
  body: 'json_data_property',
  query: 'query_parameter',
};

const BODY_NOT_AN_OBJECT: InvalidEntry = {
  entry_type: 'json_data_property',
  entry: '$',
  rules: [
    { rule: 'cast', params: ['object'], description: 'the request body must be a JSON object' },
  ],
};

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The global validation pipe: unknown properties are refused (rule `schema`), values are
 * transformed to their DTO types, and every failure becomes one `validation_failed` error.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      forbidUnknownValues: true,
      validationError: { target: true, value: true },
      exceptionFactory: (errors) => new ValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && this.toValidate(metadata) && !isJsonObject(value)) {
      throw ApiException.validationFailed([BODY_NOT_AN_OBJECT]);
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ValidationErrors)) throw error;
      const entryType = ENTRY_TYPES[metadata.type] ?? 'request';
      throw ApiException.validationFailed(toInvalidEntries(error.errors, entryType));
    }
  }
}
