import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, one registry per process (`GET /metrics`). Libraries record
 * into these directly; gauges that read the database are computed when they are scraped.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route, method and status.',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [metricsRegistry],
});

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

export interface QueueSnapshotRow {
  type: string;
  depth: number;
  oldestAgeSeconds: number;
}

let queueSource: (() => Promise<QueueSnapshotRow[]>) | undefined;
let waiterSource: (() => number) | undefined;
let liveWorkerSource: (() => Promise<number>) | undefined;

/** Where the queue gauges read from when scraped (the jobs library registers it). */
export function measureQueueWith(source: () => Promise<QueueSnapshotRow[]>): void {
  queueSource = source;
}

/** Where the long-poll gauge reads from when scraped. */
export function measureWaitersWith(source: () => number): void {
  waiterSource = source;
}

/** Where the live-worker gauge reads from when scraped. */
export function measureLiveWorkersWith(source: () => Promise<number>): void {
  liveWorkerSource = source;
}

let snapshot: Promise<QueueSnapshotRow[]> | undefined;
const queueRows = (): Promise<QueueSnapshotRow[]> => {
  // Both queue gauges are collected in one scrape: read the database once for them.
  snapshot ??= (queueSource?.() ?? Promise.resolve([])).finally(() =>
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
    this.set(waiterSource?.() ?? 0);
  },
});

new Gauge({
  name: 'jobs_live_workers',
  help: 'Worker loops with a heartbeat in the last 30 s, in every process of the deployment.',
  registers: [metricsRegistry],
  async collect() {
    this.set((await liveWorkerSource?.()) ?? 0);
  },
});
