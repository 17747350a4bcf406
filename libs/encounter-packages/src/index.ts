export { EncounterPackagesModule } from './encounter-packages.module';
export type { EncounterPackagePayload } from './encounter-package';
export type { ClinicalFacts } from './clinical-rules';
