import { getMetadataStorage, ValidationError } from 'class-validator';
import { InvalidRule, RuleParams } from '../envelope.schema';

type RuleOf = (constraints: unknown[]) => { rule: string; params: RuleParams };

const UUID_PATTERN =
  '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const cast =
  (type: string): RuleOf =>
  () => ({ rule: 'cast', params: [type] });
const fixed =
  (rule: string, params: RuleParams = []): RuleOf =>
  () => ({ rule, params });

/**
 * class-validator constraint names mapped to the contract's rule names. A
 * constraint missing here is reported as rule `invalid`.
 */
const RULES: Record<string, RuleOf> = {
  isDefined: fixed('required'),
  isString: cast('string'),
  isInt: cast('integer'),
  isNumber: cast('number'),
  isBoolean: cast('boolean'),
  isObject: cast('object'),
  isArray: cast('array'),
  nestedValidation: cast('object'),
  unknownValue: cast('object'),
  isIn: ([values]) => ({ rule: 'inclusion', params: asArray(values) }),
  isEnum: ([entity, validValues]) => ({
    rule: 'inclusion',
    params: Array.isArray(validValues) ? validValues : Object.values(entity as object),
  }),
  matches: ([pattern]) => ({
    rule: 'format',
    params: [pattern instanceof RegExp ? pattern.source : String(pattern)],
  }),
  isUuid: fixed('format', [UUID_PATTERN]),
  minLength: ([min]) => ({ rule: 'length', params: { min } }),
  maxLength: ([max]) => ({ rule: 'length', params: { max } }),
  isLength: ([min, max]) => ({
    rule: 'length',
    params: max === undefined ? { min } : { min, max },
  }),
  arrayMinSize: ([min]) => ({ rule: 'length', params: { min } }),
  arrayMaxSize: ([max]) => ({ rule: 'length', params: { max } }),
  arrayNotEmpty: fixed('length', { min: 1 }),
  isNotEmpty: fixed('length', { min: 1 }),
  min: ([min]) => ({ rule: 'number', params: { greater_than_or_equal_to: min } }),
  max: ([max]) => ({ rule: 'number', params: { less_than_or_equal_to: max } }),
  isPositive: fixed('number', { greater_than: 0 }),
  isNegative: fixed('number', { less_than: 0 }),
  isDate: fixed('date'),
  isIso8601: fixed('datetime'),
  isDateString: fixed('datetime'),
  isRFC3339: fixed('datetime'),
  isEmail: fixed('email'),
  arrayUnique: fixed('unique'),
  whitelistValidation: fixed('schema'),
};

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** The rules one property broke; a missing property is reported once, as `required`. */
export function rulesOf(error: ValidationError): InvalidRule[] {
  const constraints = error.constraints ?? {};
  if (error.value === undefined && !('whitelistValidation' in constraints)) {
    return [
      {
        rule: 'required',
        params: [],
        description: `required property ${error.property} was not present`,
      },
    ];
  }
  return Object.entries(constraints).map(([name, description]) => {
    const ruleOf = RULES[name];
    const { rule, params } = ruleOf
      ? ruleOf(constraintsOf(error, name))
      : { rule: 'invalid', params: [] };
    return { rule, params, description };
  });
}

function constraintsOf(error: ValidationError, name: string): unknown[] {
  const target = error.target?.constructor;
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target, '', true, false)
    .find((meta) => meta.propertyName === error.property && (meta.name ?? meta.type) === name);
  return (metadata?.constraints as unknown[] | undefined) ?? [];
}
