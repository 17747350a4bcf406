import { DatabaseSession } from '@app/database';
import { EntityManager, In, Repository } from 'typeorm';
import { newJobId } from './job-id';
import { JobResult } from './job-result';
import { JobState, PENDING_STATES } from './job-state';
import { Job } from './job.entity';

/** A job to enqueue: what the caller gives, and the key identical requests share. */
export type JobSubmission = Pick<Job, 'type' | 'clientId' | 'eta'> & {
  payload: Record<string, unknown>;
  dedupeKey: string;
};

/** A pending job that holds a dedupe key: the one just inserted (`created`), or an earlier one. */
export interface PendingHolder {
  job: Job;
  created: boolean;
}

/** What callers see of a job: its status and result (the status route, the long poll). */
export type JobStatus = Pick<Job, 'id' | 'clientId' | 'state' | 'statusCode' | 'result' | 'eta'>;

/** Which of a client's jobs `GET /api/jobs` lists. */
export interface JobListFilter {
  states?: readonly JobState[];
  type?: string;
  insertedFrom?: Date;
  insertedTo?: Date;
}

/** A job as the list shows it: never its payload or result. */
export type JobListRow = Pick<
  Job,
  'id' | 'type' | 'state' | 'statusCode' | 'createdAt' | 'updatedAt'
>;

interface StatusRow {
  id: string;
  client_id: string;
  state: JobState;
  status_code: number | null;
  result: string | null;
  eta: unknown;
}

const INSERT_ATTEMPTS = 3;

/**
 * What the API does with the jobs table: read a job's status for its client, list a client's jobs,
 * and insert a submission unless an identical one is pending. One implementation per database, chosen in
 * `JobsModule`; they differ only in how an insert outside a caller's transaction is announced.
 */
export abstract class JobsRepository {
  /** The poll's read, prepared once: it runs on every `GET /api/jobs/{id}`. */
  private readonly readStatus: (parameters: {
    id: string;
    clientId: string;
  }) => Promise<StatusRow[]>;

  constructor(
    protected readonly db: DatabaseSession,
    protected readonly jobs: Repository<Job>,
  ) {
    this.readStatus = db.prepare<StatusRow>(
      'jobs_read_status',
      `SELECT id, client_id, state, status_code, result, eta FROM jobs
        WHERE id = :id AND client_id = :clientId`,
    );
  }

  /**
   * `insertPending` outside a caller's transaction, announced to the workers once it commits (only
   * when the job went in).
   */
  abstract insertAnnounced(submission: JobSubmission): Promise<PendingHolder>;

  /**
   * What a caller may see of the job with this id, only when it belongs to this client. The
   * polling path: one primary-key read of the columns the answer needs (never the payload), a
   * prepared statement (the query builder, even a query runner, costs more than the read itself).
   */
  async findVisible(id: string, clientId: string): Promise<JobStatus | null> {
    const [row] = await this.readStatus({ id, clientId });
    if (!row) return null;
    return {
      id: row.id,
      clientId: row.client_id,
      state: row.state,
      statusCode: row.status_code,
      result: row.result === null ? null : (JSON.parse(row.result) as JobResult),
      eta: this.db.fromDatabase(row.eta)!,
    };
  }

  /**
   * One page of a client's jobs, newest first, and how many match (`GET /api/jobs`). Both reads
   * walk `jobs_client_created_at` within the client's own jobs, however many others the table holds.
   */
  async listForClient(
    clientId: string,
    filter: JobListFilter,
    page: { offset: number; limit: number },
  ): Promise<{ rows: JobListRow[]; total: number }> {
    const where = ['client_id = :clientId'];
    if (filter.states) where.push('state IN (:...states)');
    if (filter.type !== undefined) where.push('type = :type');
    if (filter.insertedFrom) where.push('created_at >= :insertedFrom');
    if (filter.insertedTo) where.push('created_at <= :insertedTo');
    const parameters = { clientId, ...filter, ...page };
    const [rows, [count]] = await Promise.all([
      this.db.query<Record<string, unknown>>(
        `SELECT id, type, state, status_code, created_at, updated_at FROM jobs
          WHERE ${where.join(' AND ')}
          ORDER BY created_at DESC, id DESC
          LIMIT :limit OFFSET :offset`,
        parameters,
      ),
      this.db.query<{ total: string | number }>(
        `SELECT COUNT(*) AS total FROM jobs WHERE ${where.join(' AND ')}`,
        parameters,
      ),
    ]);
    return {
      rows: rows.map((row) => ({
        id: row.id as string,
        type: row.type as string,
        state: row.state as JobState,
        statusCode: row.status_code === null ? null : Number(row.status_code),
        createdAt: this.db.fromDatabase(row.created_at)!,
        updatedAt: this.db.fromDatabase(row.updated_at)!,
      })),
      total: Number(count?.total ?? 0),
    };
  }

  /**
   * Inserts a waiting job unless a pending job with the same dedupe key exists, and returns the
   * pending job that holds the key: this one (`created`) or the earlier one. The unique index on
   * pending dedupe keys decides, so concurrent identical inserts make one job.
   */
  async insertPending(manager: EntityManager, submission: JobSubmission): Promise<PendingHolder> {
    return this.holding(submission, manager, async (job) => {
      const inserted = await this.db.query<{ id: string }>(
        `INSERT INTO jobs (id, type, client_id, state, payload, eta, dedupe_key, attempts, run_at,
                           created_at, updated_at)
         VALUES (:id, :type, :clientId, 'waiting', :payload, :eta, :dedupeKey, 0, :runAt,
                 :createdAt, :updatedAt)
         ON CONFLICT DO NOTHING
         RETURNING id`,
        this.insertParameters(job),
        manager,
      );
      return inserted.length === 1;
    });
  }

  /**
   * Runs `insert` until a pending job holds the submission's dedupe key, and returns it. None
   * holds it when the earlier job finished between the insert and the read: insert again.
   */
  protected async holding(
    submission: JobSubmission,
    manager: EntityManager,
    insert: (job: Job) => Promise<boolean>,
  ): Promise<PendingHolder> {
    for (let attempt = 0; attempt < INSERT_ATTEMPTS; attempt++) {
      const job = this.build(submission);
      if (await insert(job)) return { job, created: true };
      const holder = await manager.findOneBy(Job, {
        dedupeKey: submission.dedupeKey,
        state: In([...PENDING_STATES]),
      });
      if (holder) return { job: holder, created: false };
    }
    throw new Error(
      `Could not enqueue a ${submission.type} job: its dedupe key kept changing hands`,
    );
  }

  /** The insert's parameters, as `insertPending` names them. */
  protected insertParameters(job: Job): Record<string, unknown> {
    return {
      id: job.id,
      type: job.type,
      clientId: job.clientId,
      payload: JSON.stringify(job.payload),
      eta: job.eta,
      dedupeKey: job.dedupeKey,
      runAt: job.runAt,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
    };
  }

  private build(submission: JobSubmission): Job {
    const now = new Date();
    return this.jobs.create({
      state: 'waiting',
      statusCode: null,
      result: null,
      attempts: 0,
      attemptBase: 0,
      runAt: now,
      lockedUntil: null,
      lockedBy: null,
      startedAt: null,
      finishedAt: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      ...submission,
      id: newJobId(),
    });
  }
}
