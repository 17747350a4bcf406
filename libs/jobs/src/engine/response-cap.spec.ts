import { ErrorBody, InvalidEntry } from '@app/http';
import { capStoredError } from './response-cap';

const LIMIT = 10_000;
const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** An entry whose rule carries `paramCount` long params and a Ukrainian description. */
function entry(index: number, paramCount: number, description: string): InvalidEntry {
  return {
    entry_type: 'json_data_property',
    entry: `$.items.[${index}].code`,
    rules: [
      {
        rule: 'inclusion',
        params: Array.from({ length: paramCount }, (_, p) => `код-довідника-${p}`),
        description,
      },
    ],
  };
}

function validationError(invalid: InvalidEntry[]): ErrorBody {
  return { type: 'validation_failed', message: 'Validation failed.', invalid };
}

describe('capStoredError', () => {
  it('returns an error under 10,000 bytes with the same content', () => {
    const error = validationError([entry(0, 3, 'значення не входить до довідника')]);
    const copy = structuredClone(error);

    expect(capStoredError(error)).toEqual(copy);
  });

  it('returns a plain message under the limit untouched', () => {
    const error: ErrorBody = { type: 'request_conflict', message: 'Конфлікт із поточним станом.' };

    expect(capStoredError(error)).toEqual({
      type: 'request_conflict',
      message: 'Конфлікт із поточним станом.',
    });
  });

  describe('an oversized invalid list that fits once params are emptied', () => {
    // 20 entries with 40 params each: ~25 kB with params, ~3 kB without.
    const invalid = Array.from({ length: 20 }, (_, i) => entry(i, 40, 'не входить до довідника'));
    const error = validationError(invalid);
    const before = structuredClone(error);
    const capped = capStoredError(error);

    it('starts over the limit (the fixture is really oversized)', () => {
      expect(bytesOf(error)).toBeGreaterThan(LIMIT);
    });

    it('empties every rule params', () => {
      const params = capped.invalid!.flatMap((e) => e.rules.map((rule) => rule.params));
      expect(params).toHaveLength(20);
      for (const value of params) expect(value).toEqual([]);
    });

    it('keeps every entry, in order, with its other fields', () => {
      expect(capped.invalid!.map((e) => e.entry)).toEqual(
        Array.from({ length: 20 }, (_, i) => `$.items.[${i}].code`),
      );
      expect(capped.invalid![7].rules[0]).toEqual({
        rule: 'inclusion',
        params: [],
        description: 'не входить до довідника',
      });
    });

    it('keeps type and message and fits in 10,000 bytes', () => {
      expect(capped.type).toBe('validation_failed');
      expect(capped.message).toBe('Validation failed.');
      expect(bytesOf(capped)).toBeLessThanOrEqual(LIMIT);
    });

    it('does not mutate the input', () => {
      expect(error).toEqual(before);
    });
  });

  describe('an invalid list too long even without params', () => {
    // Ukrainian descriptions take 2 bytes a character: the JSON is under 10,000 characters but
    // over 10,000 bytes, so only a count of bytes trims it.
    const description = 'Поле має містити код з довідника медичних послуг'.repeat(3);
    const invalid = Array.from({ length: 30 }, (_, i) => entry(i, 1, description));
    const error = validationError(invalid);
    const before = structuredClone(error);
    const capped = capStoredError(error);
    const kept = capped.invalid!;

    it('starts over the limit in bytes though under it in characters', () => {
      expect(JSON.stringify(error).length).toBeLessThan(LIMIT);
      expect(bytesOf(error)).toBeGreaterThan(LIMIT);
    });

    it('fits in 10,000 bytes of UTF-8 JSON', () => {
      expect(bytesOf(capped)).toBeLessThanOrEqual(LIMIT);
    });

    it('drops entries from the end and keeps the first ones in order', () => {
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.length).toBeLessThan(30);
      expect(kept.map((e) => e.entry)).toEqual(
        Array.from({ length: kept.length }, (_, i) => `$.items.[${i}].code`),
      );
    });

    it('drops no more entries than needed', () => {
      const next = { ...invalid[kept.length], rules: [{ ...invalid[kept.length].rules[0] }] };
      next.rules[0].params = [];
      expect(bytesOf({ ...capped, invalid: [...kept, next] })).toBeGreaterThan(LIMIT);
    });

    it('empties the params of the entries it keeps', () => {
      for (const e of kept) expect(e.rules[0].params).toEqual([]);
    });

    it('does not mutate the input', () => {
      expect(error).toEqual(before);
      expect(error.invalid).toHaveLength(30);
    });
  });

  it('drops even the first entry when it alone is over the limit', () => {
    const error = validationError([entry(0, 0, 'ї'.repeat(6_000)), entry(1, 0, 'коротко')]);
    const capped = capStoredError(error);

    expect(capped.invalid).toEqual([]);
    expect(bytesOf(capped)).toBeLessThanOrEqual(LIMIT);
  });

  describe('a plain message longer than the limit', () => {
    it('is cut to 9,997 characters plus "..."', () => {
      const message = `${'a'.repeat(9_997)}${'b'.repeat(5_000)}`;
      const capped = capStoredError({ type: 'internal_error', message });

      expect(capped.message).toHaveLength(10_000);
      expect(capped.message).toBe(`${'a'.repeat(9_997)}...`);
      expect(capped.type).toBe('internal_error');
    });

    it('cuts a multi-byte Ukrainian message by characters, not bytes', () => {
      const message = 'ї'.repeat(12_000);
      const capped = capStoredError({ type: 'request_conflict', message });

      expect(capped.message).toBe(`${'ї'.repeat(9_997)}...`);
    });

    it('does not mutate the input', () => {
      const error: ErrorBody = { type: 'internal_error', message: 'x'.repeat(20_000) };
      capStoredError(error);

      expect(error.message).toHaveLength(20_000);
    });
  });
});
