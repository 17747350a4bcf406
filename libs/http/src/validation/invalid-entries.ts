import { ValidationError } from 'class-validator';
import { EntryType, InvalidEntry } from '../envelope.schema';
import { rulesOf } from './validation-rules';

/**
 * Flattens class-validator errors into the contract's `invalid[]`: every failing property, with a
 * full JSONPath for body properties (`$.a.[0].b`) and the bare name for query parameters.
 */
export function toInvalidEntries(
  errors: readonly ValidationError[],
  entryType: EntryType = 'json_data_property',
): InvalidEntry[] {
  const entries: InvalidEntry[] = [];
  const root = entryType === 'json_data_property' ? '$' : '';
  const visit = (error: ValidationError, parentPath: string, parentIsArray: boolean): void => {
    const path = joinPath(parentPath, error.property, parentIsArray);
    if (error.constraints && Object.keys(error.constraints).length > 0) {
      entries.push({ entry_type: entryType, entry: path || '$', rules: rulesOf(error) });
    }
    for (const child of error.children ?? []) visit(child, path, Array.isArray(error.value));
  };
  for (const error of errors) {
    // An error without a property is about the whole body (for example an array sent for an object).
    if (!error.property) {
      entries.push({
        entry_type: entryType,
        entry: '$',
        rules: rulesOf({ ...error, property: '$' }),
      });
      for (const child of error.children ?? []) visit(child, root, Array.isArray(error.value));
    } else {
      visit(error, root, false);
    }
  }
  return entries;
}

function joinPath(parent: string, property: string, parentIsArray: boolean): string {
  const segment = parentIsArray ? `[${property}]` : property;
  return parent ? `${parent}.${segment}` : segment;
}
