import { Logger } from '@nestjs/common';
import { jobDuration } from '../job-metrics';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobOutcome } from './job-outcome';
import { Claim, ClaimedJob, runsOf } from './job-store';
import { JobSettlement } from './job-settlement';

/** An AbortController made only when a handler reads its signal, or when it is aborted. */
export class LazyAbort {
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

/** A claimed job from its launch until it is settled. */
export interface RunningJob {
  claim: Claim;
  abort: LazyAbort;
  /** Whether the handler has returned (or thrown). */
  returned: boolean;
  /** Settled when the job is settled: completed, rescheduled, or given up to its lease. */
  done: Promise<void>;
}

/**
 * Runs handlers in the worker's slots: each claimed job's handler, with its attempt number and an
 * abort signal, then its settlement. A run holds its slot until its handler returns, or, when the
 * handler has writes of its own (`persist`), until they commit with the completion.
 */
export class HandlerRuns {
  private readonly logger = new Logger('JobWorker');
  /** Runs not yet settled: their handler runs, or their completion is on its way. */
  private readonly running = new Map<string, RunningJob>();

  constructor(
    private readonly handlers: JobHandlerRegistry,
    private readonly settlement: JobSettlement,
    private readonly maxAttempts: number,
    /** Gives a slot back, after a run of `runMs` when the handler ran. */
    private readonly releaseSlot: (runMs?: number) => void,
  ) {}

  /** Jobs launched and not yet settled. */
  get size(): number {
    return this.running.size;
  }

  /** The runs not yet settled, as they are now. */
  current(): RunningJob[] {
    return [...this.running.values()];
  }

  /** Whether this run is still the one unsettled for its job. */
  isUnsettled(run: RunningJob): boolean {
    return this.running.get(run.claim.id) === run;
  }

  /** Starts a claimed job's handler in the slot the dispatcher gave it. */
  launch(job: ClaimedJob): void {
    const abort = new LazyAbort();
    const claim = { id: job.id, attempt: job.attempts };
    const run: RunningJob = { claim, abort, returned: false, done: Promise.resolve() };
    this.running.set(job.id, run);
    let slotHeld = true;
    const started = performance.now();
    const freeSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      this.releaseSlot(performance.now() - started);
    };
    run.done = this.execute(job, run, freeSlot)
      .catch((error: Error) => {
        this.logger.error(`Job ${job.id} could not be settled: ${error.message}`);
        this.settlement.wakeWhenLeaseExpires();
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
      return this.settlement.crash(job, claim, new Error(`No handler for job type ${job.type}`));
    }
    if (runsOf(job, claim) > this.maxAttempts) {
      freeSlot();
      return this.settlement.giveUp(job, claim);
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
      return this.settlement.failure(job, claim, error);
    }
    run.returned = true;
    timer();
    // Writes of its own commit with the completion, in the slot; else the slot is free now.
    if (!outcome.persist) freeSlot();
    try {
      await this.settlement.processed(job, claim, outcome);
    } catch (error) {
      freeSlot();
      return this.settlement.completionFailed(job, claim, error);
    }
  }
}
