import { DatabaseSession } from '@app/database';
import { internalErrorMessage } from '@app/http';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { jobsFinished, jobsRetried } from '../job-metrics';
import { EtaEstimator } from './eta-estimator';
import { encodeFinished, finishedJobOf } from './finish-event';
import { JobEvents } from './job-events';
import { JobOutcome, Persist } from './job-outcome';
import { Claim, ClaimedJob, Completion, JobStore, QueuedCompletion, runsOf } from './job-store';
import { judgeError, retryDelayMs } from './job-verdict';
import { capStoredError } from './response-cap';

const MAX_LAST_ERROR_CHARACTERS = 4_000;
/** How long after a lease's end a worker looks for the job it could not settle. */
const LEASE_EXPIRY_MARGIN_MS = 1_000;

/** A completion refused by the fencing token: another run holds the job now. */
export class LeaseLost extends Error {
  constructor(claim: Claim) {
    super(`Job ${claim.id} attempt ${claim.attempt} lost its lease; its result was discarded`);
  }
}

/** What settling needs of the worker it settles for. */
export interface SettlementOptions {
  maxAttempts: number;
  leaseMs: number;
  /** Sends a completion with the worker's next statement; whether the fencing held. */
  completeInBatch: (item: QueuedCompletion) => Promise<boolean>;
  /** Looks for work now (a retry coming due, a lease lapsing). */
  wake: () => void;
}

/**
 * Settles a run: completes its job (processed, failed, failed_with_error), or puts it back to wait
 * for a retry. A completion without writes of the handler's own goes with the worker's next
 * statement (a batch); one with them (`persist`) commits with them and its finish event in a
 * transaction of its own. Either is fenced by the attempt number.
 */
export class JobSettlement {
  private readonly logger = new Logger('JobWorker');

  constructor(
    private readonly store: JobStore,
    private readonly db: DatabaseSession,
    private readonly events: JobEvents,
    private readonly eta: EtaEstimator,
    private readonly options: SettlementOptions,
  ) {}

  /** The handler returned: the job is processed with its result (and its writes). */
  async processed(job: ClaimedJob, claim: Claim, outcome: JobOutcome): Promise<void> {
    const result =
      outcome.kind === 'links'
        ? { kind: 'links' as const, links: outcome.links }
        : { kind: 'data' as const, response_data: outcome.response_data };
    await this.finish(job, claim, { state: 'processed', statusCode: 200, result }, outcome.persist);
    this.finished(job, claim, 'processed');
  }

  /** A completion that did not commit: discarded if the lease was lost, else judged as an error. */
  async completionFailed(job: ClaimedJob, claim: Claim, error: unknown): Promise<void> {
    if (error instanceof LeaseLost) return this.logger.warn(error.message);
    return this.failure(job, claim, error);
  }

  /** The handler threw: failed, retried later, or failed with an error, as the error says. */
  async failure(job: ClaimedJob, claim: Claim, error: unknown): Promise<void> {
    const verdict = judgeError(error);
    if (verdict.kind === 'failed') {
      const completion: Completion = {
        state: 'failed',
        statusCode: verdict.statusCode,
        result: { kind: 'error', error: capStoredError(verdict.error) },
      };
      return this.finishOrLog(job, claim, completion);
    }
    if (verdict.kind === 'transient' && runsOf(job, claim) < this.options.maxAttempts) {
      return this.retryLater(job, claim, error);
    }
    if (verdict.kind === 'transient') return this.giveUp(job, claim, error);
    return this.crash(job, claim, error);
  }

  /** The job ran out of attempts (its worker kept dying, or it kept failing for now). */
  async giveUp(job: ClaimedJob, claim: Claim, error?: unknown): Promise<void> {
    const runs = runsOf(job, claim);
    const cause =
      error === undefined ? `its worker stopped during each of ${runs - 1} runs` : describe(error);
    return this.crash(job, claim, new Error(`Gave up after ${runs} attempts: ${cause}`));
  }

  /** Failed with an error: the caller sees an error id, the operator the logged stack. */
  async crash(job: ClaimedJob, claim: Claim, error: unknown): Promise<void> {
    const errorId = randomUUID();
    this.logger.error(
      { ...jobFields(job, claim), outcome: 'failed_with_error', error_id: errorId },
      error instanceof Error ? error.stack : String(error),
    );
    await this.finishOrLog(job, claim, {
      state: 'failed_with_error',
      statusCode: 500,
      result: {
        kind: 'error',
        error: { type: 'internal_error', message: internalErrorMessage(errorId) },
      },
      lastError: `${errorId} ${describe(error)}`.slice(0, MAX_LAST_ERROR_CHARACTERS),
    });
  }

  /**
   * A run that could not be settled (the database refused its completion) leaves its job running
   * until the lease expires; nothing announces that moment, so look again just after it rather
   * than at the next slow poll. The last renewal was at most one lease ago.
   */
  wakeWhenLeaseExpires(): void {
    setTimeout(() => this.options.wake(), this.options.leaseMs + LEASE_EXPIRY_MARGIN_MS).unref();
  }

  /** Completion, the handler's writes and the finish event commit together, or not at all. */
  private async finish(
    job: ClaimedJob,
    claim: Claim,
    completion: Completion,
    persist?: Persist,
  ): Promise<void> {
    if (!persist) {
      const event = encodeFinished(
        claim.id,
        completion.state,
        completion.statusCode,
        job.eta,
        JSON.stringify(completion.result),
      );
      // Nothing else to write: completed and announced with the worker's next statement.
      if (!(await this.options.completeInBatch({ claim, completion, eta: job.eta, event }))) {
        throw new LeaseLost(claim);
      }
      return;
    }
    await this.db.transaction(async (manager) => {
      if (!(await this.store.complete(manager, claim, completion, new Date()))) {
        throw new LeaseLost(claim);
      }
      await persist(manager);
      await this.events.finished(claim.id, manager, finishedJobOf(claim, completion, job.eta));
    });
  }

  private async finishOrLog(job: ClaimedJob, claim: Claim, completion: Completion): Promise<void> {
    try {
      await this.finish(job, claim, completion);
      this.finished(job, claim, completion.state);
    } catch (error) {
      // Lease lost: another run owns the job. Anything else: the lease expires and it runs again.
      this.logger.warn(`Job ${claim.id} not finished as ${completion.state}: ${describe(error)}`);
      if (!(error instanceof LeaseLost)) this.wakeWhenLeaseExpires();
    }
  }

  private async retryLater(job: ClaimedJob, claim: Claim, error: unknown): Promise<void> {
    const now = new Date();
    const runAt = new Date(now.getTime() + retryDelayMs(runsOf(job, claim)));
    const eta = await this.eta.estimate(job.type, runAt).catch(() => runAt);
    const reason = describe(error);
    jobsRetried.inc({ type: job.type });
    this.logger.warn(
      { ...jobFields(job, claim), outcome: 'retry', retry_at: runAt.toISOString() },
      `Job failed for now, retrying: ${reason}`,
    );
    await this.db.serialized(() => this.store.reschedule(claim, runAt, eta, reason, now));
    // Nothing announces a job coming due: look again when it does.
    setTimeout(() => this.options.wake(), runAt.getTime() - now.getTime()).unref();
  }

  private finished(job: ClaimedJob, claim: Claim, outcome: Completion['state']): void {
    jobsFinished.inc({ type: job.type, outcome });
    this.logger.log({ ...jobFields(job, claim), outcome }, 'Job finished');
  }
}

function jobFields(job: ClaimedJob, claim: Claim) {
  return { job_id: job.id, type: job.type, attempt: claim.attempt };
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
