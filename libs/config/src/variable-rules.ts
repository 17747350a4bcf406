import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalized)) return true;
  if (['0', 'false', 'no', 'off'].includes(normalized)) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;

/** An optional integer variable within bounds. */
export function IntegerBetween(min: number, max: number): PropertyDecorator {
  const message = `must be an integer between ${min} and ${max}`;
  return (target, key) => {
    for (const decorate of [
      IsOptional(),
      Transform(toInteger),
      IsInt({ message }),
      Min(min, { message }),
      Max(max, { message }),
    ]) {
      decorate(target, key);
    }
  };
}

/** An optional true/false variable (also 1/0, yes/no, on/off). */
export function Flag(): PropertyDecorator {
  return (target, key) => {
    for (const decorate of [
      IsOptional(),
      Transform(toBoolean),
      IsBoolean({ message: 'must be true or false' }),
    ]) {
      decorate(target, key);
    }
  };
}
