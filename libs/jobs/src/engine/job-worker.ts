import { AppConfig } from '@app/config';
import { DatabaseSession } from '@app/database';
import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { leasesReclaimed } from '../job-metrics';
import { Dispatcher } from './dispatcher';
import { EtaEstimator } from './eta-estimator';
import { HandlerRuns } from './handler-runs';
import { JobEvents } from './job-events';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobLeases } from './job-leases';
import { describe, JobSettlement } from './job-settlement';
import { CycleResult, JobStore, QueuedCompletion } from './job-store';
import { WorkersRepository } from './workers.repository';

const HEARTBEAT_MS = 10_000;

/**
 * Claims jobs and runs their handlers, up to `WORKER_CONCURRENCY` at once. It wakes on enqueue
 * events, when a slot frees, and on a slow poll as a safety net; renews the leases of its runs;
 * and finishes each job fenced by the attempt number. A handler that wrote nothing else frees its
 * slot as soon as it returns: its completion goes with the worker's next statement (`Dispatcher`),
 * together with the next claim, while its lease is still renewed until that completion commits.
 * A completion with the handler's writes (`persist`) commits in a transaction of its own before
 * the slot frees. Execution is at least once: a run whose worker died, or whose completion could
 * not be committed, is run again once its lease expires.
 *
 * The parts: `Dispatcher` (slots and claiming), `HandlerRuns` (running a handler), `JobSettlement`
 * (completing or retrying a run), `JobLeases` (renewing, giving back, releasing); this class starts
 * and stops them.
 */
@Injectable()
export class JobWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly id = `${hostname().slice(0, 40)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('JobWorker');
  private state: 'idle' | 'running' | 'stopping' = 'idle';
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;
  private readonly dispatcher: Dispatcher;
  private readonly runs: HandlerRuns;
  private readonly leases: JobLeases;

  constructor(
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly workers: WorkersRepository,
    handlers: JobHandlerRegistry,
    db: DatabaseSession,
    private readonly events: JobEvents,
    eta: EtaEstimator,
  ) {
    const { concurrency, maxAttempts, leaseMs } = config.jobs;
    this.dispatcher = new Dispatcher(
      concurrency,
      (completions, limit) => this.sendTurn(completions, limit),
      {
        launch: (job) => this.runs.launch(job),
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
    const settlement = new JobSettlement(store, db, events, eta, {
      maxAttempts,
      leaseMs,
      completeInBatch: (item) => this.dispatcher.complete(item),
      wake: () => this.wake(),
    });
    this.runs = new HandlerRuns(handlers, settlement, maxAttempts, (runMs) =>
      this.dispatcher.release(runMs),
    );
    this.leases = new JobLeases(store, db, leaseMs);
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Jobs claimed and not yet settled (running, or their completion on its way). */
  get activeJobs(): number {
    return this.runs.size;
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
    await this.leases.giveBack(this.dispatcher.takeQueued());
    const inFlight = this.runs.current();
    await waitAtMost(
      Promise.allSettled(inFlight.map((run) => run.done)),
      this.config.jobs.shutdownGraceMs,
    );
    const now = new Date();
    const handled: Promise<void>[] = [];
    for (const run of this.runs.current()) {
      // The handler returned: its completion is on its way; wait for it rather than release.
      if (run.returned) handled.push(run.done);
      else await this.leases.release(run, now);
    }
    await Promise.allSettled(handled);
    await this.dispatcher.settled();
    await this.workers.unregister(this.id).catch(() => undefined);
    this.logger.log(
      `Worker ${this.id} stopped; ${inFlight.length - this.runs.size} runs finished during shutdown`,
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
    return this.store.completeAndClaim(this.id, completions, limit, leaseUntil, now);
  }

  private renewLeases(): Promise<void> {
    return this.leases.renew(this.runs.current(), this.dispatcher.waiting, (run) =>
      this.runs.isUnsettled(run),
    );
  }

  private async heartbeat(): Promise<void> {
    await this.workers
      .heartbeat(this.id, new Date())
      .catch((error: unknown) => this.logger.warn(`Heartbeat failed: ${describe(error)}`));
  }
}

async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
