import { AuthModule } from '@app/auth';
import { JobsModule } from '@app/jobs';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClinicalRecordsRepository } from './clinical-records.repository';
import { EncounterPackageJobs } from './encounter-package.jobs';
import { EncounterPackagesController } from './encounter-packages.controller';
import { Condition } from './entities/condition.entity';
import { Encounter } from './entities/encounter.entity';
import { Icd10Code } from './entities/icd10-code.entity';
import { Visit } from './entities/visit.entity';
import { PatientRecordsController } from './patient-records.controller';

/** Encounter data packages: submitted through a job, read back by the links of that job. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Visit, Encounter, Condition, Icd10Code]),
    JobsModule,
    AuthModule,
  ],
  controllers: [EncounterPackagesController, PatientRecordsController],
  providers: [ClinicalRecordsRepository, EncounterPackageJobs],
})
export class EncounterPackagesModule {}
