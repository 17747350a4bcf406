import { metricsRegistry } from '@app/observability';
import { Counter, Gauge, Histogram } from 'prom-client';
import { QueueDepth } from './job-statistics';

/**
 * The jobs' Prometheus metrics, on the process's registry (`GET /metrics`). The engine and
 * `JobsService` record the counters and the duration; the gauges read their sources when scraped
 * (`JobGauges` registers them).
 */
export const jobsEnqueued = new Counter({
  name: 'jobs_enqueued_total',
  help: 'Jobs created, by type.',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const jobsFinished = new Counter({
  name: 'jobs_finished_total',
  help: 'Jobs finished, by type and outcome (processed, failed, failed_with_error).',
  labelNames: ['type', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const jobsRetried = new Counter({
  name: 'jobs_retried_total',
  help: 'Runs that failed for now and were scheduled again, by type.',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const jobDuration = new Histogram({
  name: 'job_processing_duration_seconds',
  help: 'Handler run time, by type.',
  labelNames: ['type'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  registers: [metricsRegistry],
});

export const leasesReclaimed = new Counter({
  name: 'job_leases_reclaimed_total',
  help: 'Jobs claimed again because the worker holding them stopped renewing their lease.',
  registers: [metricsRegistry],
});

/** Where the gauges read from when scraped; one source each, set by the running application. */
interface GaugeSources {
  queue?: () => Promise<QueueDepth[]>;
  waiters?: () => number;
  liveWorkers?: () => Promise<number>;
}

const sources: GaugeSources = {};

/** Sets where the queue, long-poll and live-worker gauges read from. */
export function measureJobsWith(given: Required<GaugeSources>): void {
  Object.assign(sources, given);
}

let snapshot: Promise<QueueDepth[]> | undefined;
const queueRows = (): Promise<QueueDepth[]> => {
  // Both queue gauges are collected in one scrape: read the database once for them.
  snapshot ??= (sources.queue?.() ?? Promise.resolve([])).finally(() =>
    setImmediate(() => (snapshot = undefined)),
  );
  return snapshot;
};

new Gauge({
  name: 'jobs_queue_depth',
  help: 'Pending jobs (waiting or running), by type.',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const row of await queueRows()) this.set({ type: row.type }, row.depth);
  },
});

new Gauge({
  name: 'jobs_oldest_pending_age_seconds',
  help: 'Age of the oldest pending job, by type.',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const row of await queueRows()) this.set({ type: row.type }, row.oldestAgeSeconds);
  },
});

new Gauge({
  name: 'jobs_long_poll_waiters',
  help: 'Requests held by Prefer: wait in this process.',
  registers: [metricsRegistry],
  collect() {
    this.set(sources.waiters?.() ?? 0);
  },
});

new Gauge({
  name: 'jobs_live_workers',
  help: 'Worker loops with a heartbeat in the last 30 s, in every process of the deployment.',
  registers: [metricsRegistry],
  async collect() {
    this.set((await sources.liveWorkers?.()) ?? 0);
  },
});
