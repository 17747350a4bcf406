import { DatabaseSession } from '@app/database';
import { Repository } from 'typeorm';
import { Job } from '../job.entity';
import { JobsRepository, JobSubmission, PendingHolder } from '../jobs.repository';
import { LocalJobEvents } from './local-job-events';

/** The API's statements on SQLite. */
export class SqliteJobsRepository extends JobsRepository {
  constructor(
    db: DatabaseSession,
    jobs: Repository<Job>,
    private readonly events: LocalJobEvents,
  ) {
    super(db, jobs);
  }

  /** The insert in a transaction of its own (the write lock), announced once it commits. */
  insertAnnounced(submission: JobSubmission): Promise<PendingHolder> {
    return this.db.transaction(async (manager) => {
      const holder = await this.insertPending(manager, submission);
      if (holder.created) await this.events.enqueued();
      return holder;
    });
  }
}
