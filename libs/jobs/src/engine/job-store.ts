import { DatabaseSession } from '@app/database';
import { EntityManager } from 'typeorm';
import { JobResult } from '../job-result';
import { JobState } from '../job-state';

/** How a run ends: the job's final state, its status code and its result. */
export interface Completion {
  state: Exclude<JobState, 'waiting' | 'running'>;
  statusCode: number;
  result: JobResult;
  lastError?: string | null;
}

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

/**
 * The one final state that keeps its payload: a job that failed with an error may be run again by
 * an operator. Finishing `processed` or `failed` erases the payload (the clinical data) and its
 * dedupe key in the completing statement; the row keeps the job's answer.
 */
export const KEEPS_PAYLOAD: Completion['state'] = 'failed_with_error';

/**
 * A claim's condition on the job's type: workers claim no job of a type an operator paused
 * (`job_type_pauses`). `NOT IN` is a filter on the claim's ordered index walk (a hashed subplan on
 * PostgreSQL), so a claim still stops after `limit` jobs; `NOT EXISTS` would become an anti-join
 * that reads every due job and sorts them.
 */
export const UNPAUSED = 'type NOT IN (SELECT type FROM job_type_pauses)';

/**
 * Which run of its attempt budget this claim is: claims since an operator's last retry of the job.
 * The claim number itself (the fencing token) never goes back.
 */
export function runsOf(job: ClaimedJob, claim: Claim): number {
  return claim.attempt - job.attemptBase;
}

/**
 * The engine's store: the statements a worker sends on the jobs table. Every write to a claimed
 * job is fenced by its attempt number, so a run that lost its lease changes nothing. One
 * implementation per database (`PostgresJobStore`, `SqliteJobStore`), chosen in `JobsModule`; the
 * statements both databases run alike are written here once.
 */
export abstract class JobStore {
  constructor(protected readonly db: DatabaseSession) {}

  /**
   * A worker's turn: finishes `completions` (each only while its run still holds the job),
   * announces them (one finish event per job, sent once committed), and claims up to `limit` jobs:
   * waiting jobs that are due, and running jobs whose lease expired (`reclaimed`: their worker
   * died). Each claim bumps `attempts`, the fencing token of the run. A job whose completion is in
   * this batch is not claimed by the same turn.
   */
  abstract completeAndClaim(
    workerId: string,
    completions: QueuedCompletion[],
    limit: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<CycleResult>;

  /** Extends the leases of running jobs; returns the ids whose claim still holds. */
  abstract renewLeases(claims: Claim[], until: Date): Promise<Set<string>>;

  /** Deletes up to `limit` finished jobs last updated before `cutoff`; pending jobs are never touched. */
  abstract deleteFinishedBefore(cutoff: Date, limit: number): Promise<number>;

  /**
   * Finishes a job in the caller's transaction (with the handler's own writes), only when this run
   * still holds it (the fencing token matches). The payload goes unless the job keeps it
   * (`KEEPS_PAYLOAD`).
   */
  async complete(
    manager: EntityManager,
    claim: Claim,
    completion: Completion,
    now: Date,
  ): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE jobs
          SET state = :state, status_code = :statusCode, result = :result, last_error = :lastError,
              payload = CASE WHEN :keepsPayload = 1 THEN payload END,
              dedupe_key = CASE WHEN :keepsPayload = 1 THEN dedupe_key END,
              finished_at = :now, updated_at = :now, locked_until = NULL, locked_by = NULL
        WHERE id = :id AND attempts = :attempt AND state = 'running'
        RETURNING id`,
      {
        ...claim,
        state: completion.state,
        keepsPayload: completion.state === KEEPS_PAYLOAD ? 1 : 0,
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
}
