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
import {
  Claim,
  ClaimedJob,
  Completion,
  CycleResult,
  JobsRepository,
  QueuedCompletion,
} from '../jobs.repository';
import { Dispatcher } from './dispatcher';
import { EtaEstimator } from './eta-estimator';
import { encodeFinished, FinishedJob } from './finish-event';
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

/** An AbortController made only when a handler reads its signal, or when it is aborted. */
class LazyAbort {
  private controller: AbortController | undefined;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    return this.controller.signal;
  }

  abort(reason: Error): void {
    this.controller ??= new AbortController();
    this.controller.abort(reason);
  }
}

interface RunningJob {
  claim: Claim;
  abort: LazyAbort;
  /** Whether the handler has returned (or thrown). */
  returned: boolean;
  /** Settled when the job is settled: completed, rescheduled, or given up to its lease. */
  done: Promise<void>;
}

/**
 * Claims jobs and runs their handlers, up to `WORKER_CONCURRENCY` at once. It wakes on enqueue
 * events, when a slot frees, and on a slow poll as a safety net; renews the leases of its runs;
 * and finishes each job fenced by the attempt number. A handler that wrote nothing else frees its
 * slot as soon as it returns: its completion goes with the worker's next statement (`Dispatcher`),
 * together with the next claim, while its lease is still renewed until that completion commits.
 * A completion with the handler's writes (`persist`) commits in a transaction of its own before
 * the slot frees. Execution is at least once: a run whose worker died, or whose completion could
 * not be committed, is run again once its lease expires.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly id = `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('JobWorker');
  /** Runs not yet settled: their handler runs, or their completion is on its way. */
  private readonly running = new Map<string, RunningJob>();
  private state: 'idle' | 'running' | 'stopping' = 'idle';
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobsRepository,
    private readonly workers: WorkersRepository,
    private readonly handlers: JobHandlerRegistry,
    private readonly db: DatabaseSession,
    private readonly events: JobEvents,
    private readonly eta: EtaEstimator,
  ) {
    this.dispatcher = new Dispatcher(
      config.jobs.concurrency,
      (completions, limit) => this.sendTurn(completions, limit),
      {
        launch: (job) => this.launch(job),
        claimed: (result) => {
          if (result.reclaimed === 0) return;
          leasesReclaimed.inc(result.reclaimed);
          this.logger.warn({ reclaimed: result.reclaimed }, 'Claimed jobs whose lease had expired');
        },
        failed: (error) =>
          this.logger.warn(
            `Claiming or completing jobs failed, claiming again at the next poll: ${describe(error)}`,
          ),
      },
    );
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Jobs claimed and not yet settled (running, or their completion on its way). */
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
    this.dispatcher.start();
  }

  /**
   * Stops claiming, lets runs finish within `JOB_SHUTDOWN_GRACE_SECONDS`, puts the rest back to
   * wait so another worker takes them at once, and waits for the completions on their way.
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    for (const timer of this.timers) clearInterval(timer);
    this.unsubscribe?.();
    this.dispatcher.stopClaiming();
    // The statement in flight may still claim jobs: they stay queued with those claimed ahead.
    await this.dispatcher.settled();
    const unstarted = this.dispatcher.takeQueued();
    if (unstarted.length > 0) {
      await this.db
        .serialized(() =>
          this.jobs.giveBack(
            unstarted.map((job) => ({ id: job.id, attempt: job.attempts })),
            new Date(),
          ),
        )
        .catch((error: Error) =>
          this.logger.warn(`Could not give back ${unstarted.length} jobs: ${error.message}`),
        );
    }
    const inFlight = [...this.running.values()];
    await waitAtMost(
      Promise.allSettled(inFlight.map((run) => run.done)),
      this.config.jobs.shutdownGraceMs,
    );
    const now = new Date();
    const handled: Promise<void>[] = [];
    for (const run of [...this.running.values()]) {
      if (run.returned) {
        // The handler returned: its completion is on its way; wait for it rather than release.
        handled.push(run.done);
        continue;
      }
      run.abort.abort(new Error('worker shutting down'));
      await this.db
        .serialized(() => this.jobs.reschedule(run.claim, now, now, 'released at shutdown', now))
        .catch((error: Error) =>
          this.logger.warn(`Could not release ${run.claim.id}: ${error.message}`),
        );
    }
    await Promise.allSettled(handled);
    await this.dispatcher.settled();
    await this.workers.unregister(this.id).catch(() => undefined);
    this.logger.log(
      `Worker ${this.id} stopped; ${inFlight.length - this.running.size} runs finished during shutdown`,
    );
    this.state = 'idle';
  }

  /** Looks for work now (an enqueue, a retry coming due, the poll). */
  wake(): void {
    if (this.state === 'running') this.dispatcher.wake();
  }

  /** One statement: the completions waiting, and a claim for `limit` free slots. */
  private sendTurn(completions: QueuedCompletion[], limit: number): Promise<CycleResult> {
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.config.jobs.leaseMs);
    if (this.db.isPostgres) {
      return this.jobs.completeAndClaim(
        this.id,
        completions,
        limit,
        leaseUntil,
        now,
        FINISHED_CHANNEL,
      );
    }
    return this.db
      .transaction((manager) =>
        this.jobs.completeAndClaimLocally(manager, this.id, completions, limit, leaseUntil, now),
      )
      .then((result) => {
        this.events.finishedHere(
          completions
            .filter(({ claim }) => result.finished.has(claim.id))
            .map(({ claim, completion, eta }) => finishedJob(claim, completion, eta)),
        );
        return result;
      });
  }

  private launch(job: ClaimedJob): void {
    const abort = new LazyAbort();
    const claim = { id: job.id, attempt: job.attempts };
    const run: RunningJob = { claim, abort, returned: false, done: Promise.resolve() };
    this.running.set(job.id, run);
    let slotHeld = true;
    const started = performance.now();
    const freeSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      this.dispatcher.release(performance.now() - started);
    };
    run.done = this.execute(job, run, freeSlot)
      .catch((error: Error) => {
        this.logger.error(`Job ${job.id} could not be settled: ${error.message}`);
        this.wakeWhenLeaseExpires();
      })
      .finally(() => {
        // No longer renewed: a job left running (its completion failed) runs again after its lease.
        if (this.running.get(job.id) === run) this.running.delete(job.id);
        freeSlot();
      });
  }

  private async execute(job: ClaimedJob, run: RunningJob, freeSlot: () => void): Promise<void> {
    const { claim } = run;
    const handle = this.handlers.find(job.type);
    if (!handle) {
      freeSlot();
      return this.crash(job, claim, new Error(`No handler for job type ${job.type}`));
    }
    if (runsOf(job, claim) > this.config.jobs.maxAttempts) {
      freeSlot();
      return this.giveUp(job, claim);
    }

    let outcome: JobOutcome;
    const timer = jobDuration.startTimer({ type: job.type });
    try {
      const { abort } = run;
      outcome = await handle({
        id: job.id,
        type: job.type,
        clientId: job.clientId,
        payload: job.payload,
        attempt: claim.attempt,
        get signal() {
          return abort.signal;
        },
      });
    } catch (error) {
      run.returned = true;
      timer();
      freeSlot();
      return this.settleError(job, claim, error);
    }
    run.returned = true;
    timer();
    const result =
      outcome.kind === 'links'
        ? { kind: 'links' as const, links: outcome.links }
        : { kind: 'data' as const, response_data: outcome.response_data };
    // Writes of its own commit with the completion, in the slot; else the slot is free now.
    if (!outcome.persist) freeSlot();
    try {
      await this.finish(
        job,
        claim,
        { state: 'processed', statusCode: 200, result },
        outcome.persist,
      );
      this.finished(job, claim, 'processed');
    } catch (error) {
      freeSlot();
      if (error instanceof LeaseLost) return this.logger.warn(error.message);
      return this.settleError(job, claim, error);
    }
  }

  /** Completion, the handler's writes and the finish event commit together, or not at all. */
  private async finish(
    job: ClaimedJob,
    claim: Claim,
    completion: Completion,
    persist?: Persist,
  ): Promise<void> {
    const event = encodeFinished(
      claim.id,
      completion.state,
      completion.statusCode,
      job.eta,
      JSON.stringify(completion.result),
    );
    if (!persist) {
      // Nothing else to write: completed and announced with the worker's next statement.
      if (!(await this.dispatcher.complete({ claim, completion, eta: job.eta, event }))) {
        throw new LeaseLost(claim);
      }
      return;
    }
    await this.db.transaction(async (manager) => {
      if (!(await this.jobs.complete(manager, claim, completion, new Date()))) {
        throw new LeaseLost(claim);
      }
      await persist(manager);
      await this.events.finished(claim.id, manager, finishedJob(claim, completion, job.eta));
    });
  }

  private async settleError(job: ClaimedJob, claim: Claim, error: unknown): Promise<void> {
    const verdict = judgeError(error);
    if (verdict.kind === 'failed') {
      const completion: Completion = {
        state: 'failed',
        statusCode: verdict.statusCode,
        result: { kind: 'error', error: capStoredError(verdict.error) },
      };
      return this.finishOrLog(job, claim, completion);
    }
    if (verdict.kind === 'transient' && runsOf(job, claim) < this.config.jobs.maxAttempts) {
      return this.retryLater(job, claim, error);
    }
    if (verdict.kind === 'transient') return this.giveUp(job, claim, error);
    return this.crash(job, claim, error);
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
    await this.db.serialized(() => this.jobs.reschedule(claim, runAt, eta, reason, now));
    // Nothing announces a job coming due: look again when it does.
    setTimeout(() => this.wake(), runAt.getTime() - now.getTime()).unref();
  }

  private async giveUp(job: ClaimedJob, claim: Claim, error?: unknown): Promise<void> {
    const runs = runsOf(job, claim);
    const cause =
      error === undefined ? `its worker stopped during each of ${runs - 1} runs` : describe(error);
    return this.crash(job, claim, new Error(`Gave up after ${runs} attempts: ${cause}`));
  }

  private async crash(job: ClaimedJob, claim: Claim, error: unknown): Promise<void> {
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

  /**
   * A run that could not be settled (the database refused its completion) leaves its job running
   * until the lease expires; nothing announces that moment, so look again just after it rather
   * than at the next slow poll. The last renewal was at most one lease ago.
   */
  private wakeWhenLeaseExpires(): void {
    setTimeout(() => this.wake(), this.config.jobs.leaseMs + LEASE_EXPIRY_MARGIN_MS).unref();
  }

  private finished(job: ClaimedJob, claim: Claim, outcome: Completion['state']): void {
    jobsFinished.inc({ type: job.type, outcome });
    this.logger.log({ ...jobFields(job, claim), outcome }, 'Job finished');
  }

  /** Renews the leases of every run not yet settled, and of the jobs claimed ahead, at once. */
  private async renewLeases(): Promise<void> {
    const runs = [...this.running.values()];
    const queued = this.dispatcher.waiting.map((job) => ({ id: job.id, attempt: job.attempts }));
    if (runs.length === 0 && queued.length === 0) return;
    const until = new Date(Date.now() + this.config.jobs.leaseMs);
    try {
      const held = await this.db.serialized(() =>
        this.jobs.renewLeases([...runs.map((run) => run.claim), ...queued], until),
      );
      for (const run of runs) {
        // Settled meanwhile (its completion committed): nothing to abort.
        if (!held.has(run.claim.id) && this.running.get(run.claim.id) === run) {
          run.abort.abort(new Error('lease lost'));
        }
      }
    } catch (error) {
      this.logger.warn(
        `Could not renew the leases of ${runs.length + queued.length} jobs: ${describe(error)}`,
      );
    }
  }

  private async heartbeat(): Promise<void> {
    await this.workers
      .heartbeat(this.id, new Date())
      .catch((error: unknown) => this.logger.warn(`Heartbeat failed: ${describe(error)}`));
  }
}

/** The finish event of a completion, as a long poll receives it. */
function finishedJob(claim: Claim, completion: Completion, eta: Date): FinishedJob {
  return {
    id: claim.id,
    state: completion.state,
    statusCode: completion.statusCode,
    result: completion.result,
    eta,
  };
}

/**
 * Which run of its attempt budget this claim is: claims since an operator's last retry of the job.
 * The claim number itself (the fencing token) never goes back.
 */
function runsOf(job: ClaimedJob, claim: Claim): number {
  return claim.attempt - job.attemptBase;
}

function jobFields(job: ClaimedJob, claim: Claim) {
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
