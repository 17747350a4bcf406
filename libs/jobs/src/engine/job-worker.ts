import { AppConfig } from '@app/config';
import { DatabaseSession } from '@app/database';
import { internalErrorMessage } from '@app/http';
import { jobDuration, jobsFinished, jobsRetried, leasesReclaimed } from '@app/observability';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Job } from '../job.entity';
import { Claim, Completion, JobsRepository } from '../jobs.repository';
import { CompletionBatch } from './completion-batch';
import { EtaEstimator } from './eta-estimator';
import { FINISHED_CHANNEL, JobEvents } from './job-events';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobOutcome, Persist } from './job-outcome';
import { judgeError, retryDelayMs } from './job-verdict';
import { capStoredError } from './response-cap';
import { WorkersRepository } from './workers.repository';

const HEARTBEAT_MS = 10_000;
const MAX_LAST_ERROR_CHARACTERS = 4_000;
/** How long after a lease's end a worker looks for the job it could not settle. */
const LEASE_EXPIRY_MARGIN_MS = 1_000;

class LeaseLost extends Error {
  constructor(claim: Claim) {
    super(`Job ${claim.id} attempt ${claim.attempt} lost its lease; its result was discarded`);
  }
}

interface RunningJob {
  claim: Claim;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Claims jobs and runs their handlers, up to `WORKER_CONCURRENCY` at once. It wakes on enqueue
 * events, when a run ends, and on a slow poll as a safety net; renews the leases of its runs;
 * and finishes each job in one transaction with the handler's writes, fenced by the attempt number.
 * Execution is at least once: a run whose worker died is run again once its lease expires.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly id = `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('JobWorker');
  private readonly running = new Map<string, RunningJob>();
  private state: 'idle' | 'running' | 'stopping' = 'idle';
  /** Claims in flight, and the slots they hold until their jobs are launched. */
  private readonly claims = new Set<Promise<void>>();
  private reserved = 0;
  private refill = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private readonly completions = new CompletionBatch((batch) =>
    this.jobs.completeMany(batch, new Date(), FINISHED_CHANNEL),
  );

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly workers: WorkersRepository,
    private readonly handlers: JobHandlerRegistry,
    private readonly db: DatabaseSession,
    private readonly events: JobEvents,
    private readonly eta: EtaEstimator,
  ) {}

  get isRunning(): boolean {
    return this.state === 'running';
  }

  get activeJobs(): number {
    return this.running.size;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.jobs.workerEnabled) await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    const { concurrency, pollIntervalMs, leaseMs } = this.config.jobs;
    await this.workers.register(this.id, concurrency, new Date());
    this.state = 'running';
    this.unsubscribe = this.events.onEnqueued(() => this.wake());
    this.timers = [
      // The poll keeps a worker process alive; it is cleared at shutdown.
      setInterval(() => this.wake(), pollIntervalMs),
      setInterval(() => void this.renewLeases(), Math.max(1_000, Math.floor(leaseMs / 3))).unref(),
      setInterval(() => void this.heartbeat(), HEARTBEAT_MS).unref(),
    ];
    this.logger.log(`Worker ${this.id} started: ${concurrency} at once`);
    this.wake();
  }

  /**
   * Stops claiming, lets runs finish within `JOB_SHUTDOWN_GRACE_SECONDS`, then puts the rest back
   * to wait so another worker takes them at once.
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe?.();
    await Promise.all(this.claims);
    const inFlight = [...this.running.values()];
    await waitAtMost(
      Promise.allSettled(inFlight.map((run) => run.done)),
      this.config.jobs.shutdownGraceMs,
    );
    const now = new Date();
    for (const run of this.running.values()) {
      run.abort.abort(new Error('worker shutting down'));
      await this.db
        .serialized(() => this.jobs.reschedule(run.claim, now, now, 'released at shutdown', now))
        .catch((error: Error) =>
          this.logger.warn(`Could not release ${run.claim.id}: ${error.message}`),
        );
    }
    await this.workers.unregister(this.id).catch(() => undefined);
    this.logger.log(
      `Worker ${this.id} stopped; ${inFlight.length - this.running.size} runs finished during shutdown`,
    );
    this.state = 'idle';
  }

  /**
   * Looks for work now (an enqueue, a freed slot, the poll). Each claim holds the slots it may
   * fill, so claims run side by side (a freed slot is refilled without waiting for another claim)
   * and never take more jobs than there are free slots.
   */
  wake(): void {
    if (this.state !== 'running') return;
    const free = this.config.jobs.concurrency - this.running.size - this.reserved;
    if (free <= 0) {
      // A claim in flight may have looked before this wake's job was committed: look again.
      if (this.reserved > 0) this.refill = true;
      return;
    }
    this.reserved += free;
    const claim: Promise<void> = this.fill(free).then((found) => {
      this.claims.delete(claim);
      if (found || this.refill) {
        this.refill = false;
        this.wake();
      }
    });
    this.claims.add(claim);
  }

  /** Claims and launches up to `limit` jobs (the slots it holds); whether it found any. */
  private async fill(limit: number): Promise<boolean> {
    const { leaseMs } = this.config.jobs;
    const now = new Date();
    let batch: { jobs: Job[]; reclaimed: number };
    try {
      batch = await this.db.serialized(() =>
        this.jobs.claimNextBatch(this.id, limit, new Date(now.getTime() + leaseMs), now),
      );
    } catch (error) {
      this.logger.warn(
        `Claiming jobs failed, retrying at the next poll: ${(error as Error).message}`,
      );
      return false;
    } finally {
      // The slots pass to the launched runs.
      this.reserved -= limit;
    }
    if (batch.reclaimed > 0) {
      leasesReclaimed.inc(batch.reclaimed);
      this.logger.warn({ reclaimed: batch.reclaimed }, 'Claimed jobs whose lease had expired');
    }
    for (const job of batch.jobs) this.launch(job);
    return batch.jobs.length > 0;
  }

  private launch(job: Job): void {
    const abort = new AbortController();
    const claim = { id: job.id, attempt: job.attempts };
    const run: RunningJob = { claim, abort, done: Promise.resolve() };
    this.running.set(job.id, run);
    run.done = this.execute(job, claim, abort.signal)
      .catch((error: Error) => {
        this.logger.error(`Job ${job.id} could not be settled: ${error.message}`);
        this.wakeWhenLeaseExpires();
      })
      .finally(() => {
        if (this.running.get(job.id) === run) this.running.delete(job.id);
        this.wake();
      });
  }

  private async execute(job: Job, claim: Claim, signal: AbortSignal): Promise<void> {
    const handle = this.handlers.find(job.type);
    if (!handle) return this.crash(job, claim, new Error(`No handler for job type ${job.type}`));
    if (claim.attempt > this.config.jobs.maxAttempts) return this.giveUp(job, claim);

    let outcome: JobOutcome;
    const timer = jobDuration.startTimer({ type: job.type });
    try {
      outcome = await handle({
        id: job.id,
        type: job.type,
        clientId: job.clientId,
        payload: job.payload,
        attempt: claim.attempt,
        signal,
      });
    } catch (error) {
      timer();
      return this.settleError(job, claim, error);
    }
    timer();
    const result =
      outcome.kind === 'links'
        ? { kind: 'links' as const, links: outcome.links }
        : { kind: 'data' as const, response_data: outcome.response_data };
    try {
      await this.finish(claim, { state: 'processed', statusCode: 200, result }, outcome.persist);
      this.finished(job, claim, 'processed');
    } catch (error) {
      if (error instanceof LeaseLost) return this.logger.warn(error.message);
      return this.settleError(job, claim, error);
    }
  }

  /** Completion, the handler's writes and the finish event commit together, or not at all. */
  private async finish(claim: Claim, completion: Completion, persist?: Persist): Promise<void> {
    if (!persist && this.db.isPostgres) {
      // Nothing else to write: completed and announced in one statement, with whatever other
      // completions are ready, without a transaction.
      if (!(await this.completions.complete(claim, completion))) throw new LeaseLost(claim);
      return;
    }
    await this.db.transaction(async (manager) => {
      if (!(await this.jobs.complete(manager, claim, completion, new Date()))) {
        throw new LeaseLost(claim);
      }
      if (persist) await persist(manager);
      await this.events.finished(claim.id, manager);
    });
  }

  private async settleError(job: Job, claim: Claim, error: unknown): Promise<void> {
    const verdict = judgeError(error);
    if (verdict.kind === 'failed') {
      const completion: Completion = {
        state: 'failed',
        statusCode: verdict.statusCode,
        result: { kind: 'error', error: capStoredError(verdict.error) },
      };
      return this.finishOrLog(job, claim, completion);
    }
    if (verdict.kind === 'transient' && claim.attempt < this.config.jobs.maxAttempts) {
      return this.retryLater(job, claim, error);
    }
    if (verdict.kind === 'transient') return this.giveUp(job, claim, error);
    return this.crash(job, claim, error);
  }

  private async retryLater(job: Job, claim: Claim, error: unknown): Promise<void> {
    const now = new Date();
    const runAt = new Date(now.getTime() + retryDelayMs(claim.attempt));
    const eta = await this.eta.estimate(job.type, runAt).catch(() => runAt);
    const reason = describe(error);
    jobsRetried.inc({ type: job.type });
    this.logger.warn(
      { ...jobFields(job, claim), outcome: 'retry', retry_at: runAt.toISOString() },
      `Job failed for now, retrying: ${reason}`,
    );
    await this.db.serialized(() => this.jobs.reschedule(claim, runAt, eta, reason, now));
    // Nothing announces a job coming due: look again when it does.
    setTimeout(() => this.wake(), runAt.getTime() - now.getTime()).unref();
  }

  private async giveUp(job: Job, claim: Claim, error?: unknown): Promise<void> {
    const cause =
      error === undefined
        ? `its worker stopped during each of ${claim.attempt - 1} runs`
        : describe(error);
    return this.crash(job, claim, new Error(`Gave up after ${claim.attempt} attempts: ${cause}`));
  }

  private async crash(job: Job, claim: Claim, error: unknown): Promise<void> {
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

  private async finishOrLog(job: Job, claim: Claim, completion: Completion): Promise<void> {
    try {
      await this.finish(claim, completion);
      this.finished(job, claim, completion.state);
    } catch (error) {
      // Lease lost: another run owns the job. Anything else: the lease expires and it runs again.
      this.logger.warn(`Job ${claim.id} not finished as ${completion.state}: ${describe(error)}`);
      if (!(error instanceof LeaseLost)) this.wakeWhenLeaseExpires();
    }
  }

  /**
   * A run that could not be settled (the database refused its completion) leaves its job running
   * until the lease expires; nothing announces that moment, so look again just after it rather
   * than at the next slow poll. The last renewal was at most one lease ago.
   */
  private wakeWhenLeaseExpires(): void {
    setTimeout(() => this.wake(), this.config.jobs.leaseMs + LEASE_EXPIRY_MARGIN_MS).unref();
  }

  private finished(job: Job, claim: Claim, outcome: Completion['state']): void {
    jobsFinished.inc({ type: job.type, outcome });
    this.logger.log({ ...jobFields(job, claim), outcome }, 'Job finished');
  }

  private async renewLeases(): Promise<void> {
    const until = new Date(Date.now() + this.config.jobs.leaseMs);
    for (const run of [...this.running.values()]) {
      try {
        const held = await this.db.serialized(() => this.jobs.renewLease(run.claim, until));
        if (!held) run.abort.abort(new Error('lease lost'));
      } catch (error) {
        this.logger.warn(`Could not renew the lease of ${run.claim.id}: ${describe(error)}`);
      }
    }
  }

  private async heartbeat(): Promise<void> {
    await this.workers
      .heartbeat(this.id, new Date())
      .catch((error: unknown) => this.logger.warn(`Heartbeat failed: ${describe(error)}`));
  }
}

function jobFields(job: Job, claim: Claim) {
  return { job_id: job.id, type: job.type, attempt: claim.attempt };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
