import { DatabaseSession, isUniqueViolation } from '@app/database';
import { ApiException, PagedList } from '@app/http';
import {
  EtaEstimator,
  isJobId,
  JOB_NOT_FOUND,
  JobEvents,
  JOB_TYPE_PATTERN,
  JobsService,
  statesOf,
  WORKER_LIVE_MS,
} from '@app/jobs';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { OperatorActionQuery, OperatorJobQuery } from './dto/operator-queries.dto';
import {
  JobTypePauseState,
  OperatorActionEntry,
  OperatorJob,
  OperatorJobDetail,
  QueuesOverview,
} from './dto/operator-views.schema';
import { OperatorActionName, OperatorActionsRepository } from './operator-actions.repository';
import { OperatorJobsRepository } from './operator-jobs.repository';
import {
  presentJobTypeQueue,
  presentLiveWorker,
  presentOperatorAction,
  presentOperatorJob,
  presentOperatorJobDetail,
} from './operator-views';
import { QueuesRepository } from './queues.repository';

export const JOB_TYPE_NOT_FOUND = 'Job type not found.';
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Who acts, and the request that carried the action (both go to the audit). */
export interface Operator {
  clientId: string;
  requestId: string;
}

/**
 * What operators see and do: every client's jobs and queues, never their payloads or results; and
 * the actions (retry, pause, resume), each audited in its own transaction.
 */
@Injectable()
export class JobAdminService {
  constructor(
    private readonly db: DatabaseSession,
    private readonly jobs: OperatorJobsRepository,
    private readonly queues: QueuesRepository,
    private readonly actions: OperatorActionsRepository,
    private readonly jobsService: JobsService,
    private readonly eta: EtaEstimator,
    private readonly events: JobEvents,
  ) {}

  async overview(now: Date = new Date()): Promise<QueuesOverview> {
    const hourAgo = new Date(now.getTime() - HOUR_MS);
    const firstMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - 59 * MINUTE_MS;
    const [pending, failed, finished, durations, pauses, workers] = await Promise.all([
      this.queues.pendingByType(now),
      this.queues.failedWithErrorSince(new Date(now.getTime() - DAY_MS)),
      this.queues.finishedPerMinute(new Date(firstMinute)),
      this.queues.durationsSince(hourAgo),
      this.queues.pauses(),
      this.queues.liveWorkers(new Date(now.getTime() - WORKER_LIVE_MS)),
    ]);
    const types = new Set([
      ...this.jobsService.jobTypes,
      ...pending.keys(),
      ...failed.keys(),
      ...pauses.keys(),
      ...finished.map((row) => row.type),
    ]);
    const perMinute = new Map<string, number[]>();
    for (const row of finished) {
      const slot = Math.round((row.minute.getTime() - firstMinute) / MINUTE_MS);
      if (slot < 0 || slot >= 60) continue;
      const counts = perMinute.get(row.type) ?? new Array<number>(60).fill(0);
      counts[slot] += row.count;
      perMinute.set(row.type, counts);
    }
    return {
      generated_at: now.toISOString(),
      minutes: Array.from({ length: 60 }, (_, i) =>
        new Date(firstMinute + i * MINUTE_MS).toISOString(),
      ),
      types: [...types].sort().map((type) =>
        presentJobTypeQueue(
          {
            type,
            pending: pending.get(type),
            pause: pauses.get(type),
            failedWithError24h: failed.get(type) ?? 0,
            finishedPerMinute: perMinute.get(type) ?? new Array<number>(60).fill(0),
            durationsMs: durations.filter((run) => run.type === type).map((run) => run.ms),
          },
          now,
        ),
      ),
      workers: workers.map(presentLiveWorker),
      capacity: workers.reduce((sum, worker) => sum + worker.concurrency, 0),
    };
  }

  async listJobs(query: OperatorJobQuery): Promise<PagedList<OperatorJob>> {
    const { rows, total } = await this.jobs.list(
      {
        states: query.status ? statesOf(query.status) : undefined,
        type: query.type,
        clientId: query.client_id,
      },
      { offset: query.offset, limit: query.page_size },
    );
    return PagedList.of(rows.map(presentOperatorJob), total, query);
  }

  async job(id: string): Promise<OperatorJobDetail> {
    const job = isJobId(id) ? await this.jobs.find(id) : null;
    if (!job) throw ApiException.notFound(JOB_NOT_FOUND);
    return presentOperatorJobDetail(job, await this.jobs.attempts(id));
  }

  /**
   * Runs a `failed_with_error` job again: it waits, due now, with a fresh attempt budget; its
   * client sees it pending, then its new outcome. 409 in any other state.
   */
  async retry(id: string, operator: Operator): Promise<OperatorJobDetail> {
    const job = isJobId(id) ? await this.jobs.find(id) : null;
    if (!job) throw ApiException.notFound(JOB_NOT_FOUND);
    const eta = await this.eta.estimate(job.type);
    const now = new Date();
    try {
      await this.db.transaction(async (manager) => {
        if (!(await this.jobs.retry(manager, id, eta, now))) {
          throw new ApiException(
            'request_conflict',
            `Only a failed_with_error job can be retried; this one is ${job.state}.`,
          );
        }
        await this.audit(manager, operator, 'job.retry', id, now);
        await this.events.enqueued(manager);
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ApiException(
        'request_conflict',
        'The same request of this client is pending in another job; it was not retried.',
      );
    }
    return this.job(id);
  }

  /** Stops workers claiming a type's jobs; its submissions are still accepted, eta paused. */
  async pause(type: string, operator: Operator): Promise<JobTypePauseState> {
    this.assertJobType(type);
    const now = new Date();
    await this.db.transaction(async (manager) => {
      const paused = await this.queues.pause(manager, {
        type,
        pausedAt: now,
        pausedBy: operator.clientId,
      });
      if (!paused)
        throw new ApiException('request_conflict', `Job type ${type} is paused already.`);
      await this.audit(manager, operator, 'queue.pause', type, now);
    });
    this.eta.invalidate();
    return { type, paused: true, paused_at: now.toISOString(), paused_by: operator.clientId };
  }

  /** Lets workers claim a paused type's jobs again; they get a real eta. */
  async resume(type: string, operator: Operator): Promise<JobTypePauseState> {
    if (!JOB_TYPE_PATTERN.test(type) || type.length > 100) {
      throw ApiException.notFound(JOB_TYPE_NOT_FOUND);
    }
    const now = new Date();
    await this.db.transaction(async (manager) => {
      // A paused type resumes even when this version has no handler for it any more.
      if (!(await this.queues.resume(manager, type))) {
        this.assertJobType(type);
        throw new ApiException('request_conflict', `Job type ${type} is not paused.`);
      }
      await this.audit(manager, operator, 'queue.resume', type, now);
      await this.events.enqueued(manager);
    });
    this.eta.invalidate();
    await this.queues.replacePausedEta(type, await this.eta.estimate(type));
    return { type, paused: false, paused_at: null, paused_by: null };
  }

  async auditTrail(query: OperatorActionQuery): Promise<PagedList<OperatorActionEntry>> {
    const { rows, total } = await this.actions.list({
      offset: query.offset,
      limit: query.page_size,
    });
    return PagedList.of(rows.map(presentOperatorAction), total, query);
  }

  /** Only the types this service has handlers for can be paused. */
  private assertJobType(type: string): void {
    if (!this.jobsService.jobTypes.includes(type)) throw ApiException.notFound(JOB_TYPE_NOT_FOUND);
  }

  private audit(
    manager: EntityManager,
    operator: Operator,
    action: OperatorActionName,
    target: string,
    at: Date,
  ): Promise<void> {
    return this.actions.record(manager, {
      at,
      operator: operator.clientId,
      action,
      target,
      requestId: operator.requestId,
    });
  }
}
