import { AuthModule } from '@app/auth';
import { DatabaseModule } from '@app/database';
import { JobsModule } from '@app/jobs';
import { Module } from '@nestjs/common';
import { EpisodeJobs } from './episode.jobs';
import { EpisodesController } from './episodes.controller';
import { EpisodesRepository } from './episodes.repository';
import { EpisodesService } from './episodes.service';
import { EpisodeDictionaryCode } from './entities/episode-dictionary-code.entity';
import { EpisodeEncounter } from './entities/episode-encounter.entity';
import { EpisodeStatusChange } from './entities/episode-status-change.entity';
import { Episode } from './entities/episode.entity';
import { Episodes1764400000000 } from './migrations/1764400000000-episodes';

/**
 * Episodes of care: created, changed, closed and cancelled through jobs, read and listed by the
 * client that manages them. Other modules use `EpisodesService`.
 */
@Module({
  imports: [
    DatabaseModule.forFeature({
      entities: [Episode, EpisodeStatusChange, EpisodeEncounter, EpisodeDictionaryCode],
      migrations: [Episodes1764400000000],
    }),
    JobsModule,
    AuthModule,
  ],
  controllers: [EpisodesController],
  providers: [EpisodesRepository, EpisodeJobs, EpisodesService],
  exports: [EpisodesService],
})
export class EpisodesModule {}
