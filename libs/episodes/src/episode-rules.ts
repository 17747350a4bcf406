import { InvalidEntry } from '@app/http';
import { EPISODE_MESSAGES } from './episode';

/** An entry of a job's `validation_failed`: a rule of episodes this value breaks. */
export function violation(entry: string, description: string): InvalidEntry {
  return {
    entry_type: 'json_data_property',
    entry,
    rules: [{ rule: 'invalid', params: [], description }],
  };
}

/** An entry of a job's `validation_failed`: a code that is not in its dictionary. */
export function notInDictionary(entry: string, codes: string[]): InvalidEntry {
  return {
    entry_type: 'json_data_property',
    entry,
    rules: [{ rule: 'inclusion', params: codes, description: EPISODE_MESSAGES.notInDictionary }],
  };
}

/** The entries of the codings whose code is not one of `codes`, at `$.<path>.coding.[i].code`. */
export function codingsNotIn(
  path: string,
  codings: { code: string }[],
  codes: string[],
): InvalidEntry[] {
  return codings.flatMap((coding, i) =>
    codes.includes(coding.code) ? [] : [notInDictionary(`${path}.coding.[${i}].code`, codes)],
  );
}
