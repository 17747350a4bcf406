import { DatabaseSession } from '@app/database';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { chunkEvents } from './engine/finish-event';
import { newJobId } from './job-id';
import { JobResult } from './job-result';
import { FINISHED_STATES, JobState, PENDING_STATES } from './job-state';
import { Job } from './job.entity';

export type NewJob = Pick<Job, 'type' | 'clientId' | 'payload' | 'eta'> &
  Partial<Omit<Job, 'id' | 'type' | 'clientId' | 'payload' | 'eta'>>;

export interface Completion {
  state: Exclude<JobState, 'waiting' | 'running'>;
  statusCode: number;
  result: JobResult;
  lastError?: string | null;
}

/** What callers see of a job: its status and result (the status route, the long poll). */
export type JobStatus = Pick<Job, 'id' | 'clientId' | 'state' | 'statusCode' | 'result' | 'eta'>;

interface StatusRow {
  id: string;
  client_id: string;
  state: JobState;
  status_code: number | null;
  result: string | null;
  eta: unknown;
}

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

/** A claimed job's identity and fencing token. */
export interface Claim {
  id: string;
  attempt: number;
}

/** A completion sent with others, and its finish event (`encodeFinished`). */
export interface QueuedCompletion {
  claim: Claim;
  completion: Completion;
  /** The job's eta, which its finish event carries. */
  eta: Date;
  /** The finish event, as JSON text. */
  event: string;
}

/** A job as a worker claims it: what its handler and its finish event need. */
export interface ClaimedJob {
  id: string;
  type: string;
  clientId: string;
  payload: Record<string, unknown>;
  /** The claim's number: the fencing token its completion presents. */
  attempts: number;
  /** Claims made before an operator's last retry: the attempt budget counts the claims after. */
  attemptBase: number;
  eta: Date;
}

/** What one statement of a worker did: the completions that held, and the jobs it claimed. */
export interface CycleResult {
  finished: Set<string>;
  jobs: ClaimedJob[];
  reclaimed: number;
}

const FINISHED = FINISHED_STATES.map((state) => `'${state}'`).join(', ');

/**
 * A claim's condition on the job's type: workers claim no job of a type an operator paused.
 * `NOT IN` is a filter on the claim's ordered index walk (a hashed subplan on PostgreSQL), so a
 * claim still stops after `limit` jobs; `NOT EXISTS` would become an anti-join that reads every
 * due job and sorts them.
 */
const UNPAUSED = 'type NOT IN (SELECT type FROM job_type_pauses)';

/** The named queries on the jobs table; nothing else in the service touches it. */
@Injectable()
export class JobsRepository {
  /** The worker's statements, prepared (see `completeAndClaim` and `renewLeases`). */
  private readonly completeAndClaimStatement;
  private readonly renewLeasesStatement;
  private readonly insertAnnouncedStatement;

  constructor(
    @InjectRepository(Job) private readonly jobs: Repository<Job>,
    private readonly db: DatabaseSession,
  ) {
    this.completeAndClaimStatement = db.prepare<Record<string, unknown>>(
      'jobs_complete_and_claim',
      `WITH v AS (
         SELECT * FROM unnest(:ids::varchar[], :attempts::int[], :states::varchar[], :codes::int[],
                              :results::text[], :errors::text[], :events::text[], :chunks::int[])
             AS v(id, attempt, state, status_code, result, last_error, event, chunk)),
       done AS (
         UPDATE jobs
            SET state = v.state, status_code = v.status_code, result = v.result,
                last_error = v.last_error, finished_at = :now, updated_at = :now,
                locked_until = NULL, locked_by = NULL
           FROM v
          WHERE jobs.id = v.id AND jobs.attempts = v.attempt AND jobs.state = 'running'
          RETURNING jobs.id, v.event, v.chunk),
       announced AS (
         SELECT pg_notify(:channel, '[' || string_agg(event, ',') || ']') FROM done GROUP BY chunk),
       expired AS (
         SELECT id, state FROM jobs
          WHERE state = 'running' AND locked_until < :now AND id <> ALL(:ids::varchar[])
            AND ${UNPAUSED}
          ORDER BY locked_until LIMIT :limit FOR UPDATE SKIP LOCKED),
       waiting AS (
         SELECT id, state FROM jobs WHERE state = 'waiting' AND run_at <= :now AND ${UNPAUSED}
          ORDER BY run_at LIMIT :limit FOR UPDATE SKIP LOCKED),
       due AS (SELECT * FROM expired UNION ALL SELECT * FROM waiting LIMIT :limit),
       claimed AS (
         UPDATE jobs
            SET state = 'running', attempts = attempts + 1, locked_until = :leaseUntil,
                locked_by = :workerId, started_at = :now, updated_at = :now
           FROM due
          WHERE jobs.id = due.id
          RETURNING jobs.id, jobs.type, jobs.client_id, jobs.payload, jobs.attempts,
                    jobs.attempt_base, (extract(epoch FROM jobs.eta) * 1000)::float8 AS eta_ms,
                    due.state AS previous_state)
       SELECT NULL AS finished, NULL AS announced, c.* FROM claimed c
       UNION ALL
       SELECT (SELECT string_agg(id, ',') FROM done), (SELECT count(*) FROM announced),
              NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
    );
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
    this.renewLeasesStatement = db.prepare<{ id: string }>(
      'jobs_renew_leases',
      `UPDATE jobs SET locked_until = :until
         FROM unnest(:ids::varchar[], :attempts::int[]) AS v(id, attempt)
        WHERE jobs.id = v.id AND jobs.attempts = v.attempt AND jobs.state = 'running'
        RETURNING jobs.id`,
    );
  }

  /**
   * What a caller may see of the job with this id, only when it belongs to this client. The
   * polling path: one primary-key read of the columns the answer needs (never the payload), in
   * plain SQL (the query builder costs more than the query itself here).
   */
  async findVisible(id: string, clientId: string): Promise<JobStatus | null> {
    const [row] = await this.db.query<StatusRow>(
      `SELECT id, client_id, state, status_code, result, eta FROM jobs
        WHERE id = :id AND client_id = :clientId`,
      { id, clientId },
    );
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

  findById(id: string): Promise<Job | null> {
    return this.jobs.findOneBy({ id });
  }

  /** Inserts a job as given (tests and tools); modules enqueue through `JobsService`. */
  async insert(job: NewJob, manager: EntityManager = this.jobs.manager): Promise<Job> {
    const entity = this.build(job);
    await manager.insert(Job, entity as QueryDeepPartialEntity<Job>);
    return entity;
  }

  /**
   * Inserts a waiting job unless a pending job with the same dedupe key exists, and returns the
   * pending job that holds the key: this one (`created`) or the earlier one. The unique index on
   * pending dedupe keys decides, so concurrent identical inserts make one job.
   */
  async insertPending(
    manager: EntityManager,
    job: NewJob & { dedupeKey: string },
  ): Promise<{ job: Job; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const entity = this.build(job);
      const insert = manager
        .createQueryBuilder()
        .insert()
        .into(Job)
        .values(entity as QueryDeepPartialEntity<Job>)
        .orIgnore();
      // PostgreSQL says whether the row went in: a new job needs no second read.
      if (this.db.isPostgres) {
        const inserted = (await insert.returning('id').execute()).raw as unknown[];
        if (inserted.length === 1) return { job: entity, created: true };
      } else {
        await insert.execute();
      }
      const holder = await manager.findOneBy(Job, {
        dedupeKey: job.dedupeKey,
        state: In([...PENDING_STATES]),
      });
      // None: the earlier job finished between the insert and the read; insert again.
      if (holder) return { job: holder, created: holder.id === entity.id };
    }
    throw new Error(`Could not enqueue a ${job.type} job: its dedupe key kept changing hands`);
  }

  /**
   * `insertPending` on PostgreSQL outside a caller's transaction: the insert and its NOTIFY on
   * `announceOn` (sent on commit, only when the job went in) in one statement, one round trip
   * instead of four (begin, insert, notify, commit).
   */
  async insertPendingAnnounced(
    job: Pick<NewJob, 'type' | 'clientId' | 'payload' | 'eta'> & { dedupeKey: string },
    announceOn: string,
  ): Promise<{ job: Job; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const entity = this.build(job);
      const inserted = await this.insertAnnouncedStatement({
        id: entity.id,
        type: entity.type,
        clientId: entity.clientId,
        payload: JSON.stringify(entity.payload),
        eta: entity.eta,
        dedupeKey: entity.dedupeKey,
        runAt: entity.runAt,
        createdAt: entity.createdAt,
        updatedAt: entity.updatedAt,
        channel: announceOn,
      });
      if (inserted.length === 1) return { job: entity, created: true };
      const holder = await this.jobs.findOneBy({
        dedupeKey: job.dedupeKey,
        state: In([...PENDING_STATES]),
      });
      // None: the earlier job finished between the insert and the read; insert again.
      if (holder) return { job: holder, created: false };
    }
    throw new Error(`Could not enqueue a ${job.type} job: its dedupe key kept changing hands`);
  }

  /**
   * Claims up to `limit` jobs for a worker: waiting jobs that are due, and running jobs whose lease
   * expired (their worker died: `reclaimed`). Each claim bumps `attempts`, the fencing token of
   * this run.
   */
  async claimNextBatch(
    workerId: string,
    limit: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<{ jobs: Job[]; reclaimed: number }> {
    const claim = `UPDATE jobs
        SET state = 'running', attempts = attempts + 1, locked_until = :leaseUntil,
            locked_by = :workerId, started_at = :now, updated_at = :now`;
    const parameters = { workerId, leaseUntil, now, limit };
    if (this.db.isPostgres) {
      // Expired leases first, then waiting jobs oldest first: each read walks its partial index in
      // order and stops at `limit`, however long the queue. One round trip returns the rows whole.
      const claimed = await this.db.query<Record<string, unknown>>(
        `WITH expired AS (
                SELECT id, state FROM jobs WHERE state = 'running' AND locked_until < :now
                   AND ${UNPAUSED}
                 ORDER BY locked_until LIMIT :limit FOR UPDATE SKIP LOCKED),
              waiting AS (
                SELECT id, state FROM jobs WHERE state = 'waiting' AND run_at <= :now
                   AND ${UNPAUSED}
                 ORDER BY run_at LIMIT :limit FOR UPDATE SKIP LOCKED),
              due AS (SELECT * FROM expired UNION ALL SELECT * FROM waiting LIMIT :limit)
         ${claim} FROM due
          WHERE jobs.id = due.id
          RETURNING jobs.*, due.state AS previous_state`,
        parameters,
      );
      return {
        jobs: claimed.map((row) => this.hydrate(row)),
        reclaimed: claimed.filter((row) => row.previous_state === 'running').length,
      };
    }
    // One writer at a time on SQLite (the caller holds the write lock): read, then claim.
    const found = await this.db.query<{ id: string; state: string }>(
      `SELECT id, state FROM jobs
        WHERE ((state = 'waiting' AND run_at <= :now) OR (state = 'running' AND locked_until < :now))
          AND ${UNPAUSED}
        ORDER BY run_at
        LIMIT :limit`,
      parameters,
    );
    if (found.length === 0) return { jobs: [], reclaimed: 0 };
    const ids = found.map((row) => row.id);
    await this.db.query(`${claim} WHERE id IN (:...ids)`, { ...parameters, ids });
    const jobs = await this.jobs.findBy({ id: In(ids) });
    return { jobs, reclaimed: found.filter((row) => row.state === 'running').length };
  }

  /** Extends a running job's lease; false when this run no longer holds it. */
  async renewLease(claim: Claim, until: Date): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE jobs SET locked_until = :until
        WHERE id = :id AND attempts = :attempt AND state = 'running'
        RETURNING id`,
      { ...claim, until },
    );
    return rows.length === 1;
  }

  /** Finishes a job, only when this run still holds it (the fencing token matches). */
  async complete(
    manager: EntityManager,
    claim: Claim,
    completion: Completion,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE jobs
          SET state = :state, status_code = :statusCode, result = :result, last_error = :lastError,
              finished_at = :now, updated_at = :now, locked_until = NULL, locked_by = NULL
        WHERE id = :id AND attempts = :attempt AND state = 'running'
        RETURNING id`,
      {
        ...claim,
        state: completion.state,
        statusCode: completion.statusCode,
        result: JSON.stringify(completion.result),
        lastError: completion.lastError ?? null,
        now,
      },
      manager,
    );
    return rows.length === 1;
  }

  /**
   * A worker's one statement per turn on PostgreSQL: finishes `completions` (each only when its
   * run still holds the job: the fencing token), announces them on `announceOn` in as few
   * notifications as fit (sent on commit), and claims up to `limit` more jobs like
   * `claimNextBatch`. A job whose lease expired while its completion is in this batch is not
   * claimed by the same statement.
   */
  async completeAndClaim(
    workerId: string,
    completions: QueuedCompletion[],
    limit: number,
    leaseUntil: Date,
    now: Date,
    announceOn: string,
  ): Promise<CycleResult> {
    const events = completions.map((item) => item.event);
    const rows = await this.completeAndClaimStatement({
      ids: completions.map(({ claim }) => claim.id),
      attempts: completions.map(({ claim }) => claim.attempt),
      states: completions.map(({ completion }) => completion.state),
      codes: completions.map(({ completion }) => completion.statusCode),
      results: completions.map(({ completion }) => JSON.stringify(completion.result)),
      errors: completions.map(({ completion }) => completion.lastError ?? null),
      events,
      chunks: chunkEvents(events),
      channel: announceOn,
      limit,
      leaseUntil,
      now,
      workerId,
    });
    // The last row carries the ids finished (job ids hold no comma); the others, a claimed job each.
    const finishedIds = rows[rows.length - 1]?.finished as string | null | undefined;
    const finished = new Set<string>(finishedIds ? finishedIds.split(',') : []);
    const jobs: ClaimedJob[] = [];
    let reclaimed = 0;
    for (const row of rows) {
      if (row.id === null || row.id === undefined) continue;
      jobs.push({
        id: row.id as string,
        type: row.type as string,
        clientId: row.client_id as string,
        payload: JSON.parse(row.payload as string) as Record<string, unknown>,
        attempts: row.attempts as number,
        attemptBase: row.attempt_base as number,
        eta: new Date(row.eta_ms as number),
      });
      if (row.previous_state === 'running') reclaimed += 1;
    }
    return { finished, jobs, reclaimed };
  }

  /**
   * The same turn on SQLite, in the caller's transaction (the caller holds the write lock): each
   * completion fenced like `complete`, then the claim. The caller announces the finished jobs
   * once the transaction has committed.
   */
  async completeAndClaimLocally(
    manager: EntityManager,
    workerId: string,
    completions: QueuedCompletion[],
    limit: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<CycleResult> {
    const finished = new Set<string>();
    for (const { claim, completion } of completions) {
      if (await this.complete(manager, claim, completion, now)) finished.add(claim.id);
    }
    if (limit <= 0) return { finished, jobs: [], reclaimed: 0 };
    const parameters = { workerId, leaseUntil, now, limit };
    const found = await this.db.query<{ id: string; state: string }>(
      `SELECT id, state FROM jobs
        WHERE ((state = 'waiting' AND run_at <= :now) OR (state = 'running' AND locked_until < :now))
          AND ${UNPAUSED}
        ORDER BY run_at
        LIMIT :limit`,
      parameters,
      manager,
    );
    if (found.length === 0) return { finished, jobs: [], reclaimed: 0 };
    const rows = await this.db.query<Record<string, unknown>>(
      `UPDATE jobs
          SET state = 'running', attempts = attempts + 1, locked_until = :leaseUntil,
              locked_by = :workerId, started_at = :now, updated_at = :now
        WHERE id IN (:...ids)
        RETURNING id, type, client_id, payload, attempts, attempt_base, eta`,
      { ...parameters, ids: found.map((row) => row.id) },
      manager,
    );
    const jobs = rows.map((row) => ({
      id: row.id as string,
      type: row.type as string,
      clientId: row.client_id as string,
      payload: JSON.parse(row.payload as string) as Record<string, unknown>,
      attempts: Number(row.attempts),
      attemptBase: Number(row.attempt_base),
      eta: this.db.fromDatabase(row.eta)!,
    }));
    return { finished, jobs, reclaimed: found.filter((row) => row.state === 'running').length };
  }

  /** Extends the leases of running jobs in one statement; returns the claims still held. */
  async renewLeases(claims: Claim[], until: Date): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    if (!this.db.isPostgres) {
      const held = new Set<string>();
      for (const claim of claims) if (await this.renewLease(claim, until)) held.add(claim.id);
      return held;
    }
    const rows = await this.renewLeasesStatement({
      ids: claims.map((claim) => claim.id),
      attempts: claims.map((claim) => claim.attempt),
      until,
    });
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Gives back jobs claimed ahead and never started (a worker stopping): waiting again at once,
   * with the attempt number they had before the claim, since no run used it. Fenced like a
   * completion: a job claimed by another worker meanwhile is left alone.
   */
  async giveBack(claims: Claim[], now: Date): Promise<number> {
    let given = 0;
    for (const claim of claims) {
      const rows = await this.db.query<{ id: string }>(
        `UPDATE jobs
            SET state = 'waiting', attempts = attempts - 1, run_at = :now, locked_until = NULL,
                locked_by = NULL, started_at = NULL, updated_at = :now
          WHERE id = :id AND attempts = :attempt AND state = 'running'
          RETURNING id`,
        { ...claim, now },
      );
      given += rows.length;
    }
    return given;
  }

  /** Puts a running job back to wait until `runAt` (a retry, or a release at shutdown). */
  async reschedule(
    claim: Claim,
    runAt: Date,
    eta: Date,
    lastError: string | null,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE jobs
          SET state = 'waiting', run_at = :runAt, eta = :eta, last_error = :lastError,
              locked_until = NULL, locked_by = NULL, updated_at = :now
        WHERE id = :id AND attempts = :attempt AND state = 'running'
        RETURNING id`,
      { ...claim, runAt, eta, lastError, now },
    );
    return rows.length === 1;
  }

  /** Deletes up to `limit` finished jobs last updated before `cutoff`; pending jobs are never touched. */
  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const batch = `SELECT id FROM jobs
        WHERE state IN (${FINISHED}) AND updated_at < :cutoff
        LIMIT :limit`;
    // PostgreSQL would hash-join `IN (subquery)` against the whole table; an array of ids makes
    // each batch a walk of the primary key.
    const rows = await this.db.query<{ id: string }>(
      this.db.isPostgres
        ? `DELETE FROM jobs WHERE id = ANY(ARRAY(${batch})) RETURNING id`
        : `DELETE FROM jobs WHERE id IN (${batch}) RETURNING id`,
      { cutoff, limit },
    );
    return rows.length;
  }

  /** The job types an operator paused. */
  async pausedTypes(): Promise<Set<string>> {
    const rows = await this.db.query<{ type: string }>('SELECT type FROM job_type_pauses', {});
    return new Set(rows.map((row) => row.type));
  }

  /** Pending jobs by type: the work queued ahead of a new job. */
  async countPendingByType(): Promise<Map<string, number>> {
    const rows = await this.db.query<{ type: string; count: string | number }>(
      `SELECT type, COUNT(*) AS count FROM jobs WHERE state IN ('waiting', 'running') GROUP BY type`,
      {},
    );
    return new Map(rows.map((row) => [row.type, Number(row.count)]));
  }

  /** Pending jobs and the age of the oldest, by type (the queue gauges). */
  async queueSnapshot(
    now: Date,
  ): Promise<{ type: string; depth: number; oldestAgeSeconds: number }[]> {
    const rows = await this.db.query<{ type: string; depth: string | number; oldest: unknown }>(
      `SELECT type, COUNT(*) AS depth, MIN(created_at) AS oldest FROM jobs
        WHERE state IN ('waiting', 'running') GROUP BY type`,
      {},
    );
    return rows.map((row) => ({
      type: row.type,
      depth: Number(row.depth),
      oldestAgeSeconds: Math.max(
        0,
        (now.getTime() - this.db.fromDatabase(row.oldest)!.getTime()) / 1000,
      ),
    }));
  }

  /** How long recent jobs took to run, newest first, by type. */
  async recentDurations(since: Date, limit: number): Promise<{ type: string; ms: number }[]> {
    const rows = await this.db.query<{ type: string; started_at: unknown; finished_at: unknown }>(
      `SELECT type, started_at, finished_at FROM jobs
        WHERE finished_at IS NOT NULL AND finished_at > :since AND started_at IS NOT NULL
        ORDER BY finished_at DESC
        LIMIT :limit`,
      { since, limit },
    );
    return rows.map((row) => ({
      type: row.type,
      ms: Math.max(
        0,
        this.db.fromDatabase(row.finished_at)!.getTime() -
          this.db.fromDatabase(row.started_at)!.getTime(),
      ),
    }));
  }

  /** A job from a raw row of the table, converted as TypeORM reads an entity. */
  private hydrate(row: Record<string, unknown>): Job {
    const driver = this.jobs.manager.dataSource.driver;
    const job = this.jobs.create();
    for (const column of this.jobs.metadata.columns) {
      column.setEntityValue(job, driver.prepareHydratedValue(row[column.databaseName], column));
    }
    return job;
  }

  private build(job: NewJob): Job {
    const now = new Date();
    return this.jobs.create({
      state: 'waiting',
      statusCode: null,
      result: null,
      dedupeKey: null,
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
      ...job,
      id: newJobId(),
    });
  }
}
