import { publicStatusOf } from '@app/jobs';
import {
  JobAttemptView,
  JobTypeQueue,
  LiveWorker,
  OperatorActionEntry,
  OperatorJob,
  OperatorJobDetail,
} from './dto/operator-views.schema';
import { OperatorActionRow } from './operator-actions.repository';
import {
  AttemptRow,
  OperatorJobDetail as DetailRow,
  OperatorJobRow,
} from './operator-jobs.repository';
import { LiveWorkerRow, PendingCounts, Pause } from './queues.repository';

/** How the operator API answers what its repositories read. */

const NOTHING_STORED = { bytes: null, sha256: null };

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function presentOperatorJob(row: OperatorJobRow): OperatorJob {
  return {
    id: row.id,
    type: row.type,
    client_id: row.clientId,
    status: publicStatusOf(row.state),
    state: row.state,
    status_code: row.statusCode,
    attempts: row.attempts,
    inserted_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    finished_at: iso(row.finishedAt),
    error_id: row.errorId,
  };
}

export function presentOperatorJobDetail(
  row: DetailRow,
  attempts: AttemptRow[],
): OperatorJobDetail {
  return {
    ...presentOperatorJob(row),
    eta: row.eta.toISOString(),
    run_at: row.runAt.toISOString(),
    started_at: iso(row.startedAt),
    locked_by: row.lockedBy,
    locked_until: iso(row.lockedUntil),
    attempts_before_retry: row.attemptBase,
    payload: row.payload ?? NOTHING_STORED,
    result: row.result ?? NOTHING_STORED,
    attempt_history: attempts.map((attempt): JobAttemptView => ({
      attempt: attempt.attempt,
      worker: attempt.worker,
      started_at: iso(attempt.startedAt),
      ended_at: iso(attempt.endedAt),
      outcome: attempt.outcome,
      error_id: attempt.errorId,
    })),
  };
}

export interface TypeFigures {
  type: string;
  pending?: PendingCounts;
  pause?: Pause;
  failedWithError24h: number;
  finishedPerMinute: number[];
  durationsMs: number[];
}

export function presentJobTypeQueue(figures: TypeFigures, now: Date): JobTypeQueue {
  const oldest = figures.pending?.oldestWaitingAt;
  return {
    type: figures.type,
    paused: figures.pause !== undefined,
    paused_at: iso(figures.pause?.pausedAt ?? null),
    paused_by: figures.pause?.pausedBy ?? null,
    waiting: figures.pending?.waiting ?? 0,
    running: figures.pending?.running ?? 0,
    retry_scheduled: figures.pending?.retryScheduled ?? 0,
    failed_with_error_24h: figures.failedWithError24h,
    oldest_waiting_age_seconds: oldest
      ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 100) / 10)
      : null,
    finished_per_minute: figures.finishedPerMinute,
    duration_ms: {
      p50: percentile(figures.durationsMs, 0.5),
      p95: percentile(figures.durationsMs, 0.95),
    },
  };
}

/** The nearest-rank percentile of `values` (any order); null of none. */
export function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1];
}

export function presentLiveWorker(row: LiveWorkerRow): LiveWorker {
  return {
    id: row.id,
    capacity: row.concurrency,
    started_at: row.startedAt.toISOString(),
    last_heartbeat_at: row.heartbeatAt.toISOString(),
  };
}

export function presentOperatorAction(row: OperatorActionRow): OperatorActionEntry {
  return {
    id: row.id,
    at: row.at.toISOString(),
    operator: row.operator,
    action: row.action,
    target: row.target,
    request_id: row.requestId,
  };
}
