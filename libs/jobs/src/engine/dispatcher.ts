import { ClaimedJob, CycleResult, QueuedCompletion } from './job-store';

/** The most completions one statement carries. */
export const MAX_COMPLETIONS = 500;
/** The most jobs a worker holds claimed ahead of its free slots (see `Dispatcher.ahead`). */
export const MAX_AHEAD = 500;
/**
 * Statements in flight at once: while one claims, the next can carry the completions of the jobs
 * that ran meanwhile (each on its own connection, so the database works on both).
 */
export const MAX_IN_FLIGHT = 2;
/** Weight of the newest sample in the running means of run and statement durations. */
const SMOOTHING = 0.1;

/** Sends completions and claims up to `limit` jobs, in one statement. */
export type SendTurn = (completions: QueuedCompletion[], limit: number) => Promise<CycleResult>;

interface Pending {
  item: QueuedCompletion;
  resolve: (finished: boolean) => void;
  reject: (error: unknown) => void;
}

export interface DispatcherHooks {
  /** Starts a claimed job in a free slot; it holds the slot until it calls `release`. */
  launch: (job: ClaimedJob) => void;
  /** A statement's result, before its jobs are launched (for metrics). */
  claimed?: (result: CycleResult) => void;
  /** A statement failed; its completions are rejected and its claims come to nothing. */
  failed?: (error: unknown) => void;
}

/**
 * A worker's traffic with the database: a statement at a time (two when completions pile up
 * behind a claim), each carrying every completion that waits and a claim for every free slot. A slot is freed when a handler returns, before its
 * completion is sent: the completion goes with the next statement while the slot runs the next job.
 * Wake-ups within one turn of the event loop (jobs finishing together, enqueue events) make one
 * statement, so under load a worker pays a fraction of a round trip per job; alone, a job waits
 * for nobody.
 *
 * When runs are shorter than a statement's round trip, slots would idle waiting for claims: the
 * worker then claims ahead (`ahead`) as many jobs as its slots finish during one round trip, at
 * most `MAX_AHEAD`. Those wait here, claimed (their leases renewed), and start as slots free; none
 * waits much longer than a claim would have taken. Jobs longer than a round trip are not claimed
 * ahead at all, so a worker never sits on jobs another idle worker could run.
 */
export class Dispatcher {
  private readonly outbox: Pending[] = [];
  /** Claimed, waiting for a slot. */
  private readonly queued: ClaimedJob[] = [];
  /** Slots held by launched jobs. */
  private held = 0;
  private claiming = false;
  /** Statements in flight, and the jobs they may claim. */
  private readonly inFlight = new Set<Promise<void>>();
  private reserved = 0;
  private scheduled = false;
  private again = false;
  private idle: (() => void)[] = [];
  /** Running means (ms) of a run and of a statement's round trip; undefined until measured. */
  private runMs: number | undefined;
  private turnMs: number | undefined;

  constructor(
    private readonly concurrency: number,
    private readonly send: SendTurn,
    private readonly hooks: DispatcherHooks,
  ) {}

  /** Jobs claimed ahead, waiting for a slot. */
  get waiting(): readonly ClaimedJob[] {
    return this.queued;
  }

  /**
   * How many jobs to hold claimed beyond the free slots: what the slots finish during one round
   * trip, from the running means; none until both are measured.
   */
  get ahead(): number {
    if (this.runMs === undefined || this.turnMs === undefined) return 0;
    const perSlot = this.turnMs / Math.max(this.runMs, 0.01);
    return Math.min(MAX_AHEAD, Math.floor(this.concurrency * perSlot));
  }

  /** Starts claiming for free slots. */
  start(): void {
    this.claiming = true;
    this.wake();
  }

  /** Stops claiming and starting jobs; completions are still sent. */
  stopClaiming(): void {
    this.claiming = false;
  }

  /** Takes the jobs claimed ahead and not started (to be given back after `stopClaiming`). */
  takeQueued(): ClaimedJob[] {
    return this.queued.splice(0);
  }

  /** Look for work now (an enqueue, the poll, a retry coming due). */
  wake(): void {
    if (this.inFlight.size > 0) this.again = true;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.turn();
    });
  }

  /** A launched job gives its slot back, after a run of `runMs` (when it ran its handler). */
  release(runMs?: number): void {
    this.held -= 1;
    if (runMs !== undefined) this.runMs = mean(this.runMs, runMs);
    this.fill();
    this.wake();
  }

  /** Queues a completion for the next statement; whether it finished the job (the fencing held). */
  complete(item: QueuedCompletion): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.outbox.push({ item, resolve, reject });
      this.wake();
    });
  }

  /** Resolves when no completion waits and no statement is in flight. */
  settled(): Promise<void> {
    if (this.inFlight.size === 0 && this.outbox.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Starts queued jobs in the free slots. */
  private fill(): void {
    while (this.claiming && this.held < this.concurrency && this.queued.length > 0) {
      this.held += 1;
      this.hooks.launch(this.queued.shift()!);
    }
  }

  private turn(): void {
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.again = true;
      return;
    }
    const wanted = this.concurrency + this.ahead - this.held - this.queued.length - this.reserved;
    const limit = this.claiming ? Math.max(0, wanted) : 0;
    const batch = this.outbox.splice(0, MAX_COMPLETIONS);
    // A second statement goes only with completions; a claim alone waits for the first.
    if ((limit === 0 || this.inFlight.size > 0) && batch.length === 0) {
      if (this.inFlight.size > 0) this.again = true;
      else for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.again = false;
    this.reserved += limit;
    const statement: Promise<void> = this.run(batch, limit).finally(() => {
      this.reserved -= limit;
      this.inFlight.delete(statement);
      if (this.again || this.outbox.length > 0) this.wake();
      else if (this.inFlight.size === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
    this.inFlight.add(statement);
  }

  private async run(batch: Pending[], limit: number): Promise<void> {
    let result: CycleResult;
    const started = performance.now();
    try {
      result = await this.send(
        batch.map((pending) => pending.item),
        limit,
      );
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      this.hooks.failed?.(error);
      return;
    }
    this.turnMs = mean(this.turnMs, performance.now() - started);
    for (const pending of batch) pending.resolve(result.finished.has(pending.item.claim.id));
    this.hooks.claimed?.(result);
    // Claimed by a statement sent before claiming stopped: they stay queued, to be given back.
    this.queued.push(...result.jobs);
    this.fill();
    // Found as many as asked: there may be more.
    if (result.jobs.length > 0 && result.jobs.length === limit) this.again = true;
  }
}

function mean(current: number | undefined, sample: number): number {
  return current === undefined ? sample : current + SMOOTHING * (sample - current);
}
