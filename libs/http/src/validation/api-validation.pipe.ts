import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { ApiException } from '../api.exception';
import { EntryType, InvalidEntry } from '../envelope.schema';
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
 * How deep a body may nest objects and arrays. Requests of this service nest about ten levels;
 * the transformation to DTOs recurses, so a body nested thousands deep would overflow the stack.
 */
const MAX_BODY_DEPTH = 64;

/** Whether `value` nests deeper than `limit` levels, found without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
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
    if (metadata.type === 'body' && this.toValidate(metadata)) {
      if (!isJsonObject(value)) throw ApiException.validationFailed([BODY_NOT_AN_OBJECT]);
      if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
        throw new ApiException(
          'request_malformed',
          `The request body nests objects and arrays deeper than ${MAX_BODY_DEPTH} levels.`,
        );
      }
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
