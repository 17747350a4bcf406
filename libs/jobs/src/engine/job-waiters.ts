import { AppConfig } from '@app/config';
import { ApiException, ERROR_MESSAGES } from '@app/http';
import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ALL_JOBS, JobEvents } from './job-events';

/**
 * Long-poll waiters: requests holding a pending answer until their job finishes. One subscription
 * to the finish events serves them all; a waiting request costs no query until it is woken.
 *
 * On shutdown (the first hook Nest runs, before the HTTP server closes) every held request is
 * woken to answer at once with its job as it is, and no new one waits: a held poll never delays
 * the process's exit.
 */
@Injectable()
export class JobWaiters implements OnModuleInit, OnModuleDestroy {
  private readonly byJob = new Map<string, Set<() => void>>();
  private readonly byClient = new Map<string, number>();
  private total = 0;
  private closing = false;

  constructor(
    private readonly events: JobEvents,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.events.onFinished((jobId) => this.wake(jobId));
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
   * Resolves `true` when the job's finish is announced, `false` after `ms` or on `signal`. Register
   * before reading the job, so a finish between the read and the wait is not missed.
   */
  watch(jobId: string): {
    woken: (ms: number, signal?: AbortSignal) => Promise<boolean>;
    cancel: () => void;
  } {
    let wake!: () => void;
    const announced = new Promise<void>((resolve) => (wake = resolve));
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
    return { woken, cancel };
  }

  private wake(jobId: string): void {
    const targets = jobId === ALL_JOBS ? [...this.byJob.values()] : [this.byJob.get(jobId)];
    for (const listeners of targets) for (const wake of listeners ?? []) wake();
  }
}
