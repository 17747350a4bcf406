import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ApiException } from '../api.exception';
import { ApiValidationPipe } from './api-validation.pipe';

class Leaf {
  @IsString()
  c: string;
}

class Branch {
  @ValidateNested({ each: true })
  @Type(() => Leaf)
  b: Leaf[];
}

class Deep {
  @ValidateNested({ each: true })
  @Type(() => Branch)
  a: Branch[];
}

class Period {
  @IsDefined()
  @IsISO8601()
  start: string;
}

class Encounter {
  @ValidateNested()
  @Type(() => Period)
  period: Period;
}

class EncounterBody {
  @ValidateNested()
  @Type(() => Encounter)
  encounter: Encounter;
}

class StrictEncounterBody {
  @IsDefined()
  @ValidateNested()
  @Type(() => Encounter)
  encounter: Encounter;
}

class Item {
  @IsString()
  code: string;
}

class Rules {
  @IsString() @MinLength(3) name: string;
  @IsInt() @Min(1) @Max(10) rank: number;
  @IsBoolean() active: boolean;
  @IsIn(['male', 'female', 'unknown']) gender: string;
  @IsUUID() id: string;
  @Matches(/^[A-Z]{2}\d{4}$/) code: string;
  @MaxLength(5) short: string;
  @IsISO8601() at: string;
  @IsEmail() email: string;
  @ArrayUnique() tags: string[];
  @ArrayMinSize(2) pair: string[];

  @ValidateNested({ each: true })
  @Type(() => Item)
  items: Item[];
}

class Search {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: string;
}

const validRules = (): Record<string, unknown> => ({
  name: 'Alice',
  rank: 3,
  active: true,
  gender: 'female',
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  code: 'AB1234',
  short: 'abc',
  at: '2024-05-01T12:00:00.000Z',
  email: 'alice@example.com',
  tags: ['a', 'b'],
  pair: ['x', 'y'],
  items: [{ code: 'c1' }],
});

async function invalidOf(
  value: unknown,
  metatype: new () => object,
  type: 'body' | 'query' = 'body',
) {
  try {
    await new ApiValidationPipe().transform(value, { type, metatype });
  } catch (error) {
    if (!(error instanceof ApiException)) throw error;
    expect(error.getStatus()).toBe(422);
    expect(error.type).toBe('validation_failed');
    return error.invalid ?? [];
  }
  throw new Error('expected the pipe to refuse the value');
}

async function rulesFor(patch: Record<string, unknown>, entry: string) {
  const invalid = await invalidOf({ ...validRules(), ...patch }, Rules);
  expect(invalid.map((item) => item.entry)).toEqual([entry]);
  return invalid[0].rules.map(({ rule, params }) => ({ rule, params }));
}

describe('ApiValidationPipe invalid entries', () => {
  it('passes a valid body and returns an instance of the DTO with nested instances', async () => {
    const result = await new ApiValidationPipe().transform(validRules(), {
      type: 'body',
      metatype: Rules,
    });

    expect(result).toBeInstanceOf(Rules);
    expect((result as Rules).items[0]).toBeInstanceOf(Item);
    expect(result).toMatchObject(validRules());
  });

  it('reports a missing nested property as required with the full path', async () => {
    const invalid = await invalidOf({ encounter: { period: {} } }, EncounterBody);

    expect(invalid).toEqual([
      {
        entry_type: 'json_data_property',
        entry: '$.encounter.period.start',
        rules: [
          { rule: 'required', params: [], description: 'required property start was not present' },
        ],
      },
    ]);
  });

  it('reports a missing nested object declared with IsDefined as required', async () => {
    const invalid = await invalidOf({}, StrictEncounterBody);

    expect(invalid).toEqual([
      {
        entry_type: 'json_data_property',
        entry: '$.encounter',
        rules: [
          {
            rule: 'required',
            params: [],
            description: 'required property encounter was not present',
          },
        ],
      },
    ]);
  });

  it('reports a missing top-level property as required, once', async () => {
    const body: Record<string, unknown> = validRules();
    delete body.code;
    const invalid = await invalidOf(body, Rules);

    expect(invalid).toEqual([
      {
        entry_type: 'json_data_property',
        entry: '$.code',
        rules: [
          { rule: 'required', params: [], description: 'required property code was not present' },
        ],
      },
    ]);
  });

  it('gives array items the production path format', async () => {
    const invalid = await invalidOf(
      { ...validRules(), items: [{ code: 'ok' }, { code: 7 }] },
      Rules,
    );

    expect(invalid.map((item) => item.entry)).toEqual(['$.items.[1].code']);
  });

  it('follows arrays inside arrays', async () => {
    const invalid = await invalidOf({ a: [{ b: [{ c: 'x' }] }, { b: [{ c: 1 }] }] }, Deep);

    expect(invalid.map((item) => item.entry)).toEqual(['$.a.[1].b.[0].c']);
  });

  it('lists every failing property, not only the first', async () => {
    const invalid = await invalidOf(
      { ...validRules(), name: 5, rank: 0, email: 'nope', items: [{ code: 1 }, { code: 2 }] },
      Rules,
    );

    expect(invalid.map((item) => item.entry).sort()).toEqual(
      ['$.email', '$.items.[0].code', '$.items.[1].code', '$.name', '$.rank'].sort(),
    );
  });

  it('gives every rule of a property a readable description', async () => {
    const invalid = await invalidOf({ ...validRules(), name: 5 }, Rules);

    for (const rule of invalid[0].rules)
      expect(rule.description).toEqual(expect.stringContaining('name'));
  });

  it('refuses an unknown property with rule schema', async () => {
    const invalid = await invalidOf({ ...validRules(), admin: true }, Rules);

    expect(invalid).toEqual([
      {
        entry_type: 'json_data_property',
        entry: '$.admin',
        rules: [{ rule: 'schema', params: [], description: expect.stringContaining('admin') }],
      },
    ]);
  });

  it('refuses an unknown nested property with rule schema and its full path', async () => {
    const invalid = await invalidOf({ ...validRules(), items: [{ code: 'c', extra: 1 }] }, Rules);

    expect(invalid.map(({ entry, rules }) => [entry, rules.map((r) => r.rule)])).toEqual([
      ['$.items.[0].extra', ['schema']],
    ]);
  });

  it.each([
    ['a string', { name: 5 }, '$.name', 'string'],
    ['an integer', { rank: 2.5 }, '$.rank', 'integer'],
    ['a boolean', { active: 'yes' }, '$.active', 'boolean'],
  ])('reports a value that is not %s as cast', async (_, patch, entry, type) => {
    expect(await rulesFor(patch, entry)).toContainEqual({ rule: 'cast', params: [type] });
  });

  it('reports a nested object sent as a scalar as cast object', async () => {
    const invalid = await invalidOf({ encounter: 'yesterday' }, EncounterBody);

    expect(invalid[0]).toMatchObject({
      entry: '$.encounter',
      rules: [{ rule: 'cast', params: ['object'] }],
    });
  });

  it('reports a value outside the list as inclusion with the allowed values', async () => {
    expect(await rulesFor({ gender: 'other' }, '$.gender')).toEqual([
      { rule: 'inclusion', params: ['male', 'female', 'unknown'] },
    ]);
  });

  it('reports a pattern mismatch as format with the pattern', async () => {
    expect(await rulesFor({ code: 'ab12' }, '$.code')).toEqual([
      { rule: 'format', params: ['^[A-Z]{2}\\d{4}$'] },
    ]);
  });

  it('reports a malformed uuid as format with a uuid pattern', async () => {
    const [rule] = await rulesFor({ id: 'not-a-uuid' }, '$.id');

    expect(rule.rule).toBe('format');
    const [pattern] = rule.params as string[];
    expect(new RegExp(pattern).test('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe(true);
    expect(new RegExp(pattern).test('not-a-uuid')).toBe(false);
  });

  it.each([
    ['too short', { name: 'Al' }, '$.name', { min: 3 }],
    ['too long', { short: 'abcdef' }, '$.short', { max: 5 }],
    ['an array too small', { pair: ['x'] }, '$.pair', { min: 2 }],
  ])('reports a value %s as length', async (_, patch, entry, params) => {
    expect(await rulesFor(patch, entry)).toEqual([{ rule: 'length', params }]);
  });

  it.each([
    ['below the minimum', 0, { greater_than_or_equal_to: 1 }],
    ['above the maximum', 11, { less_than_or_equal_to: 10 }],
  ])('reports a number %s as number with the bound', async (_, rank, params) => {
    expect(await rulesFor({ rank }, '$.rank')).toEqual([{ rule: 'number', params }]);
  });

  it.each([
    ['datetime', { at: '2024-13-45' }, '$.at'],
    ['email', { email: 'alice-at-example' }, '$.email'],
    ['unique', { tags: ['a', 'a'] }, '$.tags'],
  ])('reports a broken %s rule by that name', async (rule, patch, entry) => {
    expect(await rulesFor(patch, entry)).toEqual([{ rule, params: [] }]);
  });

  it('reports query parameters by their bare name as query_parameter', async () => {
    const invalid = await invalidOf({ limit: '0', order: 'sideways' }, Search, 'query');

    expect(invalid).toEqual(
      expect.arrayContaining([
        {
          entry_type: 'query_parameter',
          entry: 'limit',
          rules: [
            {
              rule: 'number',
              params: { greater_than_or_equal_to: 1 },
              description: expect.any(String),
            },
          ],
        },
        {
          entry_type: 'query_parameter',
          entry: 'order',
          rules: [{ rule: 'inclusion', params: ['asc', 'desc'], description: expect.any(String) }],
        },
      ]),
    );
    expect(invalid).toHaveLength(2);
  });

  it('transforms a valid query into the DTO with converted types', async () => {
    const result = await new ApiValidationPipe().transform(
      { limit: '20' },
      { type: 'query', metatype: Search },
    );

    expect(result).toBeInstanceOf(Search);
    expect((result as Search).limit).toBe(20);
  });
});
