import { AuthModule } from '@app/auth';
import { AppConfigModule } from '@app/config';
import { DatabaseModule } from '@app/database';
import { EpisodesModule } from '@app/episodes';
import { JobsModule } from '@app/jobs';
import { Module } from '@nestjs/common';
import { ClinicalRecordsRepository } from './clinical-records.repository';
import { EncounterPackageJobs } from './encounter-package.jobs';
import { EncounterPackagesController } from './encounter-packages.controller';
import { EncounterSettings } from './encounter-settings';
import { Condition } from './entities/condition.entity';
import { Encounter } from './entities/encounter.entity';
import { Icd10Code } from './entities/icd10-code.entity';
import { Visit } from './entities/visit.entity';
import { EncounterPackages1764320000000 } from './migrations/1764320000000-encounter-packages';
import { RecordOwners1764330000000 } from './migrations/1764330000000-record-owners';
import { EncounterEpisodes1764410000000 } from './migrations/1764410000000-encounter-episodes';
import { PatientRecordsController } from './patient-records.controller';

/**
 * Encounter data packages: submitted through a job, read back by the links of that job. An
 * encounter may join an episode of care, through `EpisodesService`.
 */
@Module({
  imports: [
    DatabaseModule.forFeature({
      entities: [Visit, Encounter, Condition, Icd10Code],
      migrations: [
        EncounterPackages1764320000000,
        RecordOwners1764330000000,
        EncounterEpisodes1764410000000,
      ],
    }),
    AppConfigModule.forFeature(EncounterSettings),
    JobsModule,
    AuthModule,
    EpisodesModule,
  ],
  controllers: [EncounterPackagesController, PatientRecordsController],
  providers: [ClinicalRecordsRepository, EncounterPackageJobs],
})
export class EncounterPackagesModule {}
