/** What the eta of a new job is computed from, measured from the jobs table and the live workers. */
export interface QueueSnapshot {
  /** Mean run time of recent jobs, by type. */
  meanDurationMs: ReadonlyMap<string, number>;
  /** Mean run time of recent jobs of any type; undefined when nothing ran recently. */
  overallMeanMs: number | undefined;
  /** Pending jobs by type, the work ahead of a new job. */
  pendingByType: ReadonlyMap<string, number>;
  /** Jobs the live workers run at once. */
  capacity: number;
  /** Types an operator paused: no worker claims them until they resume. */
  paused?: ReadonlySet<string>;
}

/**
 * The eta of a job whose type is paused: no estimate holds until an operator resumes the type, and
 * this date says so (its `Retry-After` is the longest, 60 s). Resuming gives those jobs a real eta.
 */
export const PAUSED_ETA = new Date('9999-12-31T23:59:59.999Z');

/** Before any job of any type has run, one second is the guess. */
export const UNMEASURED_DURATION_MS = 1_000;

export function expectedDurationMs(snapshot: QueueSnapshot, type: string): number {
  return snapshot.meanDurationMs.get(type) ?? snapshot.overallMeanMs ?? UNMEASURED_DURATION_MS;
}

/**
 * When a new job of `type` should be done: the queued work ahead of it (each pending job at the
 * mean duration of its type), spread over the workers' capacity, plus its own duration;
 * `PAUSED_ETA` while its type is paused.
 */
export function estimateEta(snapshot: QueueSnapshot, type: string, now: Date): Date {
  if (snapshot.paused?.has(type)) return PAUSED_ETA;
  let aheadMs = 0;
  for (const [pendingType, count] of snapshot.pendingByType) {
    // Paused work is not run, so it is not ahead of anything.
    if (snapshot.paused?.has(pendingType)) continue;
    aheadMs += count * expectedDurationMs(snapshot, pendingType);
  }
  const capacity = Math.max(1, snapshot.capacity);
  return new Date(now.getTime() + aheadMs / capacity + expectedDurationMs(snapshot, type));
}

export function meanDurations(samples: readonly { type: string; ms: number }[]): {
  byType: Map<string, number>;
  overall: number | undefined;
} {
  const sums = new Map<string, { total: number; count: number }>();
  let total = 0;
  for (const { type, ms } of samples) {
    const sum = sums.get(type) ?? { total: 0, count: 0 };
    sum.total += ms;
    sum.count += 1;
    sums.set(type, sum);
    total += ms;
  }
  const byType = new Map([...sums].map(([type, sum]) => [type, sum.total / sum.count]));
  return { byType, overall: samples.length > 0 ? total / samples.length : undefined };
}
