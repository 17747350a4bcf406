/**
 * How hard the reliability suites push. CI runs the short version, sized to finish in a few minutes
 * on two cores; `RELIABILITY_LONG=1` runs the long one (for a release, or after touching the engine).
 */
export const RELIABILITY_LONG = process.env.RELIABILITY_LONG === '1';

/** `short` in CI, `long` when `RELIABILITY_LONG=1`. */
export function sized<T>(short: T, long: T): T {
  return RELIABILITY_LONG ? long : short;
}
