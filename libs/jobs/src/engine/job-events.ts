import { EventEmitter } from 'node:events';
import { EntityManager } from 'typeorm';
import { decodeFinished, FinishedJob } from './finish-event';

/** The finish event that wakes every long poll (after an interruption of the event stream). */
export const ALL_JOBS = '*';

/** The channel of enqueue events (no payload): workers look for work. */
export const ENQUEUED_CHANNEL = 'jobs_enqueued';
/**
 * The channel of finish events. Its payload is a JSON array with one event per job finished by the
 * notifying transaction (`finish-event.ts`); a bare job id is understood too.
 */
export const FINISHED_CHANNEL = 'jobs_finished';
export const CHANNELS = [ENQUEUED_CHANNEL, FINISHED_CHANNEL] as const;
export type Channel = (typeof CHANNELS)[number];

/** A finish event: the job's id (or `ALL_JOBS`), and its finished state when the event carries it. */
export type FinishListener = (jobId: string, finished?: FinishedJob) => void;

/**
 * Wake-ups between processes: "a job was enqueued" for workers, "these jobs finished" for long
 * polls. Events are published inside the writing transaction and heard once it commits. One
 * implementation per database, chosen in `JobsModule`: NOTIFY and LISTEN on PostgreSQL
 * (`PostgresJobEvents`), in-process events where one process owns the database (`LocalJobEvents`).
 * Subscribers are called here, in this process, whatever carried the event.
 */
export abstract class JobEvents {
  protected readonly local = new EventEmitter().setMaxListeners(0);
  protected closed = false;

  /** Announces, in the inserting transaction, that a job was enqueued. */
  abstract enqueued(manager: EntityManager): Promise<void>;

  /** Announces, in the finishing transaction, that this job finished (and how, when known). */
  abstract finished(jobId: string, manager: EntityManager, finished?: FinishedJob): Promise<void>;

  /**
   * Since when (`performance.now()`) every finish event committed has reached this process without
   * a gap: undefined while not listening. A finish committed after that moment is heard.
   */
  abstract finishEventsHeardSince(): number | undefined;

  /** A subscriber appeared on `channel`: start hearing it. */
  protected abstract hear(channel: Channel): void;

  onEnqueued(listener: () => void): () => void {
    return this.subscribe(ENQUEUED_CHANNEL, listener);
  }

  onFinished(listener: FinishListener): () => void {
    return this.subscribe(FINISHED_CHANNEL, listener);
  }

  /** Resolves once finish events are heard, or after `ms` at the latest. */
  async heard(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.finishEventsHeardSince() === undefined && performance.now() < deadline) {
      if (this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Stops delivering events (the module is being destroyed). */
  protected close(): void {
    this.closed = true;
    this.local.removeAllListeners();
  }

  /** Delivers an event as published: a finish payload becomes one call per job. */
  protected deliver(channel: string, payload: string): void {
    if (channel !== FINISHED_CHANNEL) {
      this.local.emit(channel, payload);
      return;
    }
    for (const [id, finished] of decodeFinished(payload)) {
      this.local.emit(FINISHED_CHANNEL, id, finished);
    }
  }

  private subscribe(channel: Channel, listener: FinishListener): () => void {
    this.local.on(channel, listener);
    this.hear(channel);
    return () => this.local.off(channel, listener);
  }
}
