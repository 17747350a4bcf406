import { AuthModule } from '@app/auth';
import { DatabaseModule } from '@app/database';
import { JobsModule } from '@app/jobs';
import { Module } from '@nestjs/common';
import { JobAttempt } from './entities/job-attempt.entity';
import { OperatorAction } from './entities/operator-action.entity';
import { JobAdminService } from './job-admin.service';
import { JobAdmin1764430000000 } from './migrations/1764430000000-job-admin';
import { OperatorActionsController } from './operator-actions.controller';
import { OperatorActionsRepository } from './operator-actions.repository';
import { OperatorConsole } from './operator-console';
import { OperatorJobsController } from './operator-jobs.controller';
import { OperatorJobsRepository } from './operator-jobs.repository';
import { OperatorQueuesController } from './operator-queues.controller';
import { QueuesRepository } from './queues.repository';

/**
 * What operators see and steer: the `/api/admin` routes (scope `job:admin`) over every client's
 * jobs, the audit of their actions, the attempt history of every job, and the console at `/admin`.
 */
@Module({
  imports: [
    DatabaseModule.forFeature({
      entities: [JobAttempt, OperatorAction],
      migrations: [JobAdmin1764430000000],
    }),
    JobsModule,
    AuthModule,
  ],
  controllers: [OperatorQueuesController, OperatorJobsController, OperatorActionsController],
  providers: [
    JobAdminService,
    OperatorJobsRepository,
    QueuesRepository,
    OperatorActionsRepository,
    OperatorConsole,
  ],
})
export class JobAdminModule {}
