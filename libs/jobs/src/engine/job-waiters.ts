import { AppConfig } from '@app/config';
import { ApiException, ERROR_MESSAGES } from '@app/http';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FinishedJob } from './finish-event';
import { ALL_JOBS, JobEvents } from './job-events';

/** How long start-up waits for finish events to be heard before serving (a database slow to answer). */
const LISTEN_AT_START_MS = 5_000;
/** How long, and how many, finish events are remembered for polls that read just before them. */
const JOURNAL_MS = 60_000;
const JOURNAL_MAX = 20_000;

/** What a job's finish events since a moment say: nothing (still pending), maybe, or finished. */
export type SinceRead =
  { kind: 'pending' } | { kind: 'unknown' } | { kind: 'finished'; finished: FinishedJob };

interface Heard {
  at: number;
  finished: FinishedJob | undefined;
}

/**
 * Long-poll waiters: requests holding a pending answer until their job finishes. One subscription
 * to the finish events (taken at start-up where the process serves HTTP, else by the first waiter)
 * serves them all; a waiting request costs no
 * query until it is woken, and none when its wake-up carries the finished job.
 *
 * The finish events of the last minute are remembered, so a request that read its job just before
 * subscribing learns whether the job finished in between without reading it again (`since`).
 *
 * On shutdown (the first hook Nest runs, before the HTTP server closes) every held request is
 * woken to answer at once with its job as it is, and no new one waits: a held poll never delays
 * the process's exit.
 */
@Injectable()
export class JobWaiters implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly byJob = new Map<string, Set<(finished?: FinishedJob) => void>>();
  private readonly byClient = new Map<string, number>();
  private readonly journal = new Map<string, Heard>();
  /** Events before this moment may have been forgotten. */
  private forgottenUntil = -Infinity;
  private lastWakeAll = -Infinity;
  /** When the first waiter subscribed to finish events: the journal starts there. */
  private subscribedAt: number | undefined;
  private total = 0;
  private closing = false;

  constructor(
    private readonly events: JobEvents,
    private readonly config: AppConfig,
    @Optional() private readonly http?: HttpAdapterHost,
  ) {}

  /**
   * A process that serves HTTP subscribes at start-up, before it listens, so its first polls find
   * finish events already heard; a worker process (no HTTP) never subscribes.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.http?.httpAdapter) return;
    this.subscribe();
    await this.events.heard(LISTEN_AT_START_MS);
  }

  onModuleDestroy(): void {
    this.closing = true;
    this.wake(ALL_JOBS);
  }

  get count(): number {
    return this.total;
  }

  /** Whether the process is shutting down: a poll answers with what it read, without waiting. */
  get isClosing(): boolean {
    return this.closing;
  }

  /**
   * Takes a waiting slot for this client, or refuses with 429 when the client or the process holds
   * too many; `release` gives it back.
   */
  admit(clientId: string): { release: () => void } {
    const { longPollMaxWaiters, longPollMaxWaitersPerClient } = this.config.jobs;
    const held = this.byClient.get(clientId) ?? 0;
    if (this.total >= longPollMaxWaiters || held >= longPollMaxWaitersPerClient) {
      throw new ApiException('too_many_requests', ERROR_MESSAGES.tooManyRequests, undefined, {
        'retry-after': '1',
      });
    }
    this.total += 1;
    this.byClient.set(clientId, held + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.byClient.get(clientId) ?? 1) - 1;
        if (left > 0) this.byClient.set(clientId, left);
        else this.byClient.delete(clientId);
      },
    };
  }

  /**
   * What the finish events heard since `readAt` (a `performance.now()` taken before the job was
   * read as pending) say about the job: `finished` (with its state), `pending` (none for it, and
   * every finish committed since was heard), or `unknown` (read it again). Call it after `watch`,
   * so that an event arriving later wakes the watch instead.
   */
  since(jobId: string, readAt: number): SinceRead {
    const heardSince = this.events.finishEventsHeardSince();
    if (
      heardSince === undefined ||
      this.subscribedAt === undefined ||
      Math.max(heardSince, this.subscribedAt) > readAt ||
      this.forgottenUntil >= readAt
    ) {
      return { kind: 'unknown' };
    }
    const heard = this.journal.get(jobId);
    if (heard && heard.at >= readAt) {
      return heard.finished ? { kind: 'finished', finished: heard.finished } : { kind: 'unknown' };
    }
    return this.lastWakeAll >= readAt ? { kind: 'unknown' } : { kind: 'pending' };
  }

  /**
   * Resolves `true` when the job's finish is announced, `false` after `ms` or on `signal`; then
   * `finished` holds the finished job when the announcement carried it. Register before reading
   * the job (or before `since`), so a finish between the read and the wait is not missed.
   */
  watch(jobId: string): {
    woken: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    cancel: () => void;
    readonly finished: FinishedJob | undefined;
  } {
    this.subscribe();
    let wake!: (finished?: FinishedJob) => void;
    let carried: FinishedJob | undefined;
    const announced = new Promise<void>((resolve) => {
      wake = (finished) => {
        carried ??= finished;
        resolve();
      };
    });
    const listeners = this.byJob.get(jobId) ?? new Set();
    listeners.add(wake);
    this.byJob.set(jobId, listeners);
    const cancel = () => {
      listeners.delete(wake);
      if (listeners.size === 0 && this.byJob.get(jobId) === listeners) this.byJob.delete(jobId);
    };
    const woken = (ms: number, signal?: AbortSignal) =>
      new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        const stop = () => {
          clearTimeout(timer);
          resolve(false);
        };
        if (signal?.aborted) return stop();
        signal?.addEventListener('abort', stop, { once: true });
        void announced.then(() => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', stop);
          resolve(true);
        });
      }).finally(cancel);
    return {
      woken,
      cancel,
      get finished() {
        return carried;
      },
    };
  }

  private subscribe(): void {
    if (this.subscribedAt !== undefined) return;
    this.subscribedAt = performance.now();
    this.events.onFinished((jobId, finished) => {
      this.remember(jobId, finished);
      this.wake(jobId, finished);
    });
  }

  private remember(jobId: string, finished: FinishedJob | undefined): void {
    const at = performance.now();
    if (jobId === ALL_JOBS) {
      this.lastWakeAll = at;
      return;
    }
    this.journal.delete(jobId);
    this.journal.set(jobId, { at, finished });
    // Oldest first: forget what is too old, or beyond the size.
    for (const [id, heard] of this.journal) {
      if (this.journal.size <= JOURNAL_MAX && heard.at >= at - JOURNAL_MS) break;
      this.journal.delete(id);
      this.forgottenUntil = Math.max(this.forgottenUntil, heard.at);
    }
  }

  private wake(jobId: string, finished?: FinishedJob): void {
    const targets = jobId === ALL_JOBS ? [...this.byJob.values()] : [this.byJob.get(jobId)];
    for (const listeners of targets) for (const wake of listeners ?? []) wake(finished);
  }
}
