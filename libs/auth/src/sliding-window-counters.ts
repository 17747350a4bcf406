/** Whether a request fits its budget: admitted, or refused until `retryAfterSeconds`. */
export interface Spent {
  admitted: boolean;
  /** Seconds until one more request fits under the limit (0 when admitted). */
  retryAfterSeconds: number;
}

const ADMITTED: Spent = Object.freeze({ admitted: true, retryAfterSeconds: 0 });

interface Window {
  /** When the current window began (ms). */
  startedAt: number;
  current: number;
  previous: number;
}

/**
 * Rate-limit counters in memory with the sliding-window-counter estimate: the hits of the current
 * window plus the previous window's hits weighted by how much of it still overlaps the last `ttl`.
 * Each request costs O(1) time and memory, whatever the limit, and nothing asynchronous.
 *
 * Refused requests are not counted, so a client that keeps retrying is admitted again as soon as
 * its rate falls below the limit; `retryAfterSeconds` says when that will be. Clients idle for two
 * windows are forgotten by a sweep that runs at most once per window, on a request (no timer).
 */
export class SlidingWindowCounters {
  private readonly windows = new Map<string, Window>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  /** Spends one request of the budget `key` (at most `limit` per `ttl` ms), unless it is spent. */
  spend(key: string, ttl: number, limit: number): Spent {
    const at = this.now();
    const window = this.windowAt(key, ttl, at);
    const estimate = window.previous * (1 - (at - window.startedAt) / ttl) + window.current;
    if (estimate + 1 > limit) {
      return {
        admitted: false,
        retryAfterSeconds: this.secondsUntilAdmitted(window, ttl, limit, at),
      };
    }
    window.current += 1;
    return ADMITTED;
  }

  private windowAt(id: string, ttl: number, at: number): Window {
    this.sweep(ttl, at);
    let window = this.windows.get(id);
    if (!window) {
      window = { startedAt: at, current: 0, previous: 0 };
      this.windows.set(id, window);
      return window;
    }
    const passed = Math.floor((at - window.startedAt) / ttl);
    if (passed >= 1) {
      window.previous = passed === 1 ? window.current : 0;
      window.current = 0;
      window.startedAt += passed * ttl;
    }
    return window;
  }

  /** Seconds until one more hit fits under the limit, if nothing else arrives meanwhile. */
  private secondsUntilAdmitted(window: Window, ttl: number, limit: number, at: number): number {
    let admittedAt: number;
    if (window.current + 1 <= limit && window.previous > 0) {
      // previous * (1 - (t - start) / ttl) + current + 1 <= limit
      admittedAt = window.startedAt + ttl * (1 - (limit - 1 - window.current) / window.previous);
    } else {
      // The current window alone is full: it becomes the previous one at the next boundary.
      const next = window.startedAt + ttl;
      admittedAt = window.current > 0 ? next + ttl * (1 - (limit - 1) / window.current) : next;
    }
    return Math.min(Math.ceil(ttl / 1000) * 2, Math.max(1, Math.ceil((admittedAt - at) / 1000)));
  }

  /** Forgets clients idle for two windows; runs at most once per window. */
  private sweep(ttl: number, at: number): void {
    if (at - this.lastSweep < ttl) return;
    this.lastSweep = at;
    for (const [id, window] of this.windows)
      if (window.startedAt < at - 2 * ttl) this.windows.delete(id);
  }

  /** How many clients and budgets are tracked (for tests). */
  get size(): number {
    return this.windows.size;
  }
}
