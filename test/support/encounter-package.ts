import { randomUUID } from 'node:crypto';
import example from '../fixtures/encounter_package.json';

export type ExamplePackage = typeof example & Record<string, unknown>;

/** The example package with fresh ids (so packages do not collide), changed by `change`. */
export function packageWith(
  change: (pkg: ExamplePackage) => void = () => undefined,
): ExamplePackage {
  const pkg = structuredClone(example) as ExamplePackage;
  const [visitId, encounterId, conditionId] = [randomUUID(), randomUUID(), randomUUID()];
  pkg.visit.id = visitId;
  pkg.encounter.id = encounterId;
  pkg.encounter.visit.identifier.value = visitId;
  pkg.encounter.diagnoses[0].condition.identifier.value = conditionId;
  pkg.conditions[0].id = conditionId;
  pkg.conditions[0].context.identifier.value = encounterId;
  change(pkg);
  return pkg;
}
