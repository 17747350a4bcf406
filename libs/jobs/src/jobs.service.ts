import { DatabaseSession } from '@app/database';
import { ApiException, PagedList } from '@app/http';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { jobsEnqueued } from './job-metrics';
import { dedupeKeyOf } from './engine/dedupe-key';
import { EtaEstimator } from './engine/eta-estimator';
import { JobEvents } from './engine/job-events';
import { JobHandlerRegistry } from './engine/job-handler.registry';
import { FinishedJob } from './engine/finish-event';
import { JobWaiters, SinceRead } from './engine/job-waiters';
import { JobListQuery } from './dto/job-list-query.dto';
import { isJobId } from './job-id';
import { JobListItem } from './job-list-item.schema';
import { presentListItem } from './job.presenter';
import { isPending, statesOf } from './job-state';
import { Job } from './job.entity';
import { JobsRepository, JobStatus } from './jobs.repository';

export const JOB_NOT_FOUND = 'Job not found.';
/** The poll's 404 is the same every time: one instance, no stack captured per unknown id. */
const UNKNOWN_JOB = ApiException.notFound(JOB_NOT_FOUND);

export interface EnqueueOptions {
  /** The client the job belongs to: only it can read the job. */
  clientId: string;
  /** The caller's transaction: the job commits (and runs) only if the caller's writes commit. */
  manager?: EntityManager;
}

/** A new job (`created`), or the earlier identical job still pending. */
export interface EnqueuedJob {
  job: Job;
  created: boolean;
}

@Injectable()
export class JobsService {
  /** When `getForClient` read each job it returned (`performance.now()` before the read). */
  private readonly readAt = new WeakMap<JobStatus, number>();

  constructor(
    private readonly jobs: JobsRepository,
    private readonly db: DatabaseSession,
    private readonly handlers: JobHandlerRegistry,
    private readonly events: JobEvents,
    private readonly eta: EtaEstimator,
    private readonly waiters: JobWaiters,
  ) {}

  /**
   * Creates a job of `type` for `payload`, unless the same client has an identical job (same type,
   * same payload) still pending: then that job is returned and nothing is created. The eta comes
   * from the queue as measured now.
   */
  async enqueue(
    type: string,
    payload: Record<string, unknown>,
    options: EnqueueOptions,
  ): Promise<EnqueuedJob> {
    if (!this.handlers.has(type))
      throw new Error(`No @JobHandler is registered for job type ${type}`);
    const eta = await this.eta.estimate(type);
    const submission = {
      type,
      clientId: options.clientId,
      payload,
      eta,
      dedupeKey: dedupeKeyOf(options.clientId, type, payload),
    };
    let enqueued: EnqueuedJob;
    if (options.manager) {
      enqueued = await this.jobs.insertPending(options.manager, submission);
      if (enqueued.created) await this.events.enqueued(options.manager);
    } else {
      enqueued = await this.jobs.insertAnnounced(submission);
    }
    if (enqueued.created) jobsEnqueued.inc({ type });
    return enqueued;
  }

  /**
   * Runs `work` in a transaction that `enqueue` can join (`{ manager }`), so a module's writes and
   * its job commit together. Use it rather than the data source directly: on SQLite it takes the
   * write lock that keeps transactions apart.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * The job, when it exists and belongs to this client. An unknown id, a malformed id and another
   * client's job all answer the same 404, so ids cannot be probed.
   */
  async getForClient(id: string, clientId: string): Promise<JobStatus> {
    const readAt = performance.now();
    const job = isJobId(id) ? await this.jobs.findVisible(id, clientId) : null;
    if (!job) throw UNKNOWN_JOB;
    this.readAt.set(job, readAt);
    return job;
  }

  /** One page of this client's jobs, newest first, filtered as the query asks. */
  async listForClient(clientId: string, query: JobListQuery): Promise<PagedList<JobListItem>> {
    const instant = (text?: string) => (text === undefined ? undefined : new Date(text));
    const { rows, total } = await this.jobs.listForClient(
      clientId,
      {
        states: query.status ? statesOf(query.status) : undefined,
        type: query.type,
        insertedFrom: instant(query.inserted_from),
        insertedTo: instant(query.inserted_to),
      },
      { offset: query.offset, limit: query.page_size },
    );
    return PagedList.of(rows.map(presentListItem), total, query);
  }

  /** The job types this application has handlers for. */
  get jobTypes(): string[] {
    return this.handlers.types();
  }

  /** Whether the process is shutting down (held polls answer at once, and close their connection). */
  get isClosing(): boolean {
    return this.waiters.isClosing;
  }

  /**
   * Holds a pending job's answer until it finishes or `ms` pass (long poll), and returns the job as
   * it then is. It never polls the database: it subscribes to the job's finish event, and the event
   * usually carries the finished state, so the answer needs no read at all. A job read by
   * `getForClient` just before is not read again unless a finish event may have been missed between
   * that read and the subscription (the event stream was interrupted, or the event carried only the
   * id); then it is read once. When the process shuts down the poll is woken too, and answers with
   * the job as it reads it then.
   */
  async waitForFinish(job: JobStatus, ms: number, signal?: AbortSignal): Promise<JobStatus> {
    const slot = this.waiters.admit(job.clientId);
    const deadline = Date.now() + ms;
    let current = job;
    let watch = this.waiters.watch(job.id);
    try {
      const readAt = this.readAt.get(job);
      let known: SinceRead =
        readAt === undefined ? { kind: 'unknown' } : this.waiters.since(job.id, readAt);
      while (isPending(current.state) && !signal?.aborted) {
        if (known.kind === 'finished') return finishedAs(current, known.finished);
        if (known.kind === 'unknown') {
          const fresh = await this.jobs.findVisible(job.id, job.clientId);
          if (!fresh || !isPending(fresh.state)) return fresh ?? current;
          current = fresh;
        }
        if (this.waiters.isClosing) break;
        const remaining = deadline - Date.now();
        if (remaining <= 0 || !(await watch.woken(remaining, signal))) break;
        const carried = watch.finished;
        if (carried) return finishedAs(current, carried);
        // Woken without the state (a bare id, a reconnection, shutdown): subscribe again, then read.
        watch = this.waiters.watch(job.id);
        known = { kind: 'unknown' };
      }
      return current;
    } finally {
      watch.cancel();
      slot.release();
    }
  }
}

/** The job as its finish event describes it. */
function finishedAs(job: JobStatus, finished: FinishedJob): JobStatus {
  return {
    ...job,
    state: finished.state,
    statusCode: finished.statusCode,
    result: finished.result,
    eta: finished.eta,
  };
}
