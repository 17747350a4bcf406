import { ClaimedJob, CycleResult, QueuedCompletion } from '../jobs.repository';

/** The most completions one statement carries. */
export const MAX_COMPLETIONS = 100;

/** Sends completions and claims up to `limit` jobs, in one statement. */
export type SendTurn = (completions: QueuedCompletion[], limit: number) => Promise<CycleResult>;

interface Pending {
  item: QueuedCompletion;
  resolve: (finished: boolean) => void;
  reject: (error: unknown) => void;
}

export interface DispatcherHooks {
  /** Starts a claimed job; it holds its slot until it calls `release`. */
  launch: (job: ClaimedJob) => void;
  /** A statement's result, before its jobs are launched (for metrics). */
  claimed?: (result: CycleResult) => void;
  /** A statement failed; its completions are rejected and its claims come to nothing. */
  failed?: (error: unknown) => void;
}

/**
 * A worker's traffic with the database: one statement at a time, each carrying every completion
 * that waits and a claim for every free slot. A slot is freed when a handler returns, before its
 * completion is sent: the completion goes with the next statement while the slot runs the next job.
 * Wake-ups within one turn of the event loop (jobs finishing together, enqueue events) make one
 * statement, so under load a worker pays a fraction of a round trip per job; alone, a job waits
 * for nobody.
 */
export class Dispatcher {
  private readonly outbox: Pending[] = [];
  /** Slots held by launched jobs, and reserved by the claim in flight. */
  private held = 0;
  private claiming = false;
  private inFlight: Promise<void> | undefined;
  private scheduled = false;
  private again = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly send: SendTurn,
    private readonly hooks: DispatcherHooks,
  ) {}

  /** Slots in use: jobs running their handler (or settling in their own transaction). */
  get busy(): number {
    return this.held;
  }

  /** Completions not yet committed (waiting for, or in, a statement). */
  get unsent(): number {
    return this.outbox.length;
  }

  /** Starts claiming for free slots. */
  start(): void {
    this.claiming = true;
    this.wake();
  }

  /** Stops claiming; completions are still sent. */
  stopClaiming(): void {
    this.claiming = false;
  }

  /** Look for work now (an enqueue, the poll, a retry coming due). */
  wake(): void {
    if (this.inFlight) this.again = true;
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.turn();
    });
  }

  /** A launched job gives its slot back. */
  release(): void {
    this.held -= 1;
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
    if (!this.inFlight && this.outbox.length === 0) return Promise.resolve();
    return new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private turn(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const limit = this.claiming ? Math.max(0, this.concurrency - this.held) : 0;
    const batch = this.outbox.splice(0, MAX_COMPLETIONS);
    if (limit === 0 && batch.length === 0) {
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.held += limit;
    this.again = false;
    this.inFlight = this.run(batch, limit).finally(() => {
      this.inFlight = undefined;
      if (this.again || this.outbox.length > 0) this.wake();
      else for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  private async run(batch: Pending[], limit: number): Promise<void> {
    let result: CycleResult;
    try {
      result = await this.send(
        batch.map((pending) => pending.item),
        limit,
      );
    } catch (error) {
      this.held -= limit;
      for (const pending of batch) pending.reject(error);
      this.hooks.failed?.(error);
      return;
    }
    this.held -= limit - result.jobs.length;
    for (const pending of batch) pending.resolve(result.finished.has(pending.item.claim.id));
    this.hooks.claimed?.(result);
    for (const job of result.jobs) this.hooks.launch(job);
    // Found work: there may be more.
    if (result.jobs.length > 0 && result.jobs.length === limit) this.again = true;
  }
}
