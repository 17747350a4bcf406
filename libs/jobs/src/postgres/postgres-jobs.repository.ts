import { DatabaseSession } from '@app/database';
import { Repository } from 'typeorm';
import { ENQUEUED_CHANNEL } from '../engine/job-events';
import { Job } from '../job.entity';
import { JobsRepository, JobSubmission, PendingHolder } from '../jobs.repository';

/** The API's statements on PostgreSQL. */
export class PostgresJobsRepository extends JobsRepository {
  private readonly insertAnnouncedStatement;

  constructor(db: DatabaseSession, jobs: Repository<Job>) {
    super(db, jobs);
    this.insertAnnouncedStatement = db.prepare<{ id: string }>(
      'jobs_insert_announced',
      `WITH inserted AS (
         INSERT INTO jobs (id, type, client_id, state, payload, eta, dedupe_key, attempts, run_at,
                           created_at, updated_at)
         VALUES (:id, :type, :clientId, 'waiting', :payload, :eta, :dedupeKey, 0, :runAt,
                 :createdAt, :updatedAt)
         ON CONFLICT DO NOTHING
         RETURNING id)
       SELECT id, pg_notify(:channel, '') FROM inserted`,
    );
  }

  /**
   * The insert and its NOTIFY (sent on commit, only when the job went in) in one prepared
   * statement: one round trip instead of four (begin, insert, notify, commit).
   */
  insertAnnounced(submission: JobSubmission): Promise<PendingHolder> {
    return this.holding(submission, this.jobs.manager, async (job) => {
      const inserted = await this.insertAnnouncedStatement({
        ...this.insertParameters(job),
        channel: ENQUEUED_CHANNEL,
      });
      return inserted.length === 1;
    });
  }
}
