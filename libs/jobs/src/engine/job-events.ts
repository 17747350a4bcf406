import { AppConfig } from '@app/config';
import { DatabaseSession, POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_KEEPALIVE } from '@app/database';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { decodeFinished, encodeFinished, FinishedJob } from './finish-event';

/** The finish event that wakes every long poll (after an interruption of the event stream). */
export const ALL_JOBS = '*';

/** The channel of enqueue events on PostgreSQL (no payload): workers look for work. */
export const ENQUEUED_CHANNEL = 'jobs_enqueued';
const ENQUEUED = ENQUEUED_CHANNEL;
/**
 * The channel of finish events on PostgreSQL. Its payload is a JSON array with one event per job
 * finished by the notifying transaction (`finish-event.ts`); a bare job id is understood too.
 */
export const FINISHED_CHANNEL = 'jobs_finished';
const CHANNELS = [ENQUEUED, FINISHED_CHANNEL] as const;
type Channel = (typeof CHANNELS)[number];
const RECONNECT_MS = 1_000;

/** A finish event: the job's id (or `ALL_JOBS`), and its finished state when the event carries it. */
export type FinishListener = (jobId: string, finished?: FinishedJob) => void;

/**
 * Wake-ups between processes: "a job was enqueued" for workers, "these jobs finished" for long polls.
 * On PostgreSQL they travel as NOTIFY inside the writing transaction (delivered on commit) and
 * arrive through one LISTEN connection per process, which listens only to the channels this process
 * has subscribers for (a worker process never hears finish events); on SQLite, one process, they are
 * local events.
 */
@Injectable()
export class JobEvents implements OnModuleDestroy {
  private readonly logger = new Logger('JobEvents');
  private readonly local = new EventEmitter().setMaxListeners(0);
  private listener: Client | undefined;
  private readonly listening = new Map<Channel, number>();
  private closed = false;
  private connecting: Promise<void> | undefined;
  /** On SQLite every event is local: heard from the start. */
  private readonly localSince = performance.now();

  constructor(
    private readonly db: DatabaseSession,
    private readonly config: AppConfig,
  ) {}

  async enqueued(manager: EntityManager): Promise<void> {
    await this.publish(ENQUEUED, '', manager);
  }

  /** Announces, in the finishing transaction, that this job finished (and how, when known). */
  async finished(jobId: string, manager: EntityManager, finished?: FinishedJob): Promise<void> {
    const event = finished
      ? encodeFinished(
          jobId,
          finished.state,
          finished.statusCode,
          finished.eta,
          JSON.stringify(finished.result),
        )
      : JSON.stringify(jobId);
    await this.publish(FINISHED_CHANNEL, `[${event}]`, manager);
  }

  /**
   * Announces jobs finished by a transaction that has committed, in this process only (SQLite: the
   * one process there is). On PostgreSQL the finishing statement notifies instead.
   */
  finishedHere(jobs: FinishedJob[]): void {
    if (jobs.length === 0) return;
    setImmediate(() => {
      for (const job of jobs) this.local.emit(FINISHED_CHANNEL, job.id, job);
    });
  }

  onEnqueued(listener: () => void): () => void {
    return this.subscribe(ENQUEUED, listener);
  }

  onFinished(listener: FinishListener): () => void {
    return this.subscribe(FINISHED_CHANNEL, listener);
  }

  /**
   * Since when (`performance.now()`) every finish event committed has reached this process without
   * a gap: undefined while not listening. A finish committed after that moment is heard.
   */
  finishEventsHeardSince(): number | undefined {
    if (!this.db.isPostgres) return this.localSince;
    return this.listening.get(FINISHED_CHANNEL);
  }

  /** Resolves once finish events are heard (at once on SQLite), or after `ms` at the latest. */
  async heard(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    while (this.finishEventsHeardSince() === undefined && performance.now() < deadline) {
      if (this.closed) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.local.removeAllListeners();
    const listener = this.listener;
    this.listener = undefined;
    this.listening.clear();
    await listener?.end().catch(() => undefined);
  }

  private async publish(channel: string, payload: string, manager: EntityManager): Promise<void> {
    if (this.db.isPostgres) {
      await this.db.query('SELECT pg_notify(:channel, :payload)', { channel, payload }, manager);
    } else {
      // After the microtasks that commit the surrounding SQLite transaction.
      setImmediate(() => this.emit(channel, payload));
    }
  }

  private emit(channel: string, payload: string): void {
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
    if (this.db.isPostgres) {
      if (this.listener) void this.listenTo(this.listener, channel);
      else void this.listen();
    }
    return () => this.local.off(channel, listener);
  }

  /** Starts listening to a channel on the open connection; what came before is unknown: wake all. */
  private async listenTo(client: Client, channel: Channel): Promise<void> {
    if (this.listening.has(channel)) return;
    try {
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      this.logger.warn(`LISTEN ${channel} failed: ${(error as Error).message}`);
      return;
    }
    if (this.listener !== client || this.listening.has(channel)) return;
    this.listening.set(channel, performance.now());
    this.local.emit(channel, channel === FINISHED_CHANNEL ? ALL_JOBS : '');
  }

  private listen(): Promise<void> {
    if (this.listener || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    if (this.config.database.kind !== 'postgres') return;
    const client = new Client({
      connectionString: this.config.database.url,
      connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
      ...POSTGRES_KEEPALIVE,
    });
    client.on('notification', (message) => this.emit(message.channel, message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost: ${error.message}; reconnecting`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      const channels = CHANNELS.filter((channel) => this.local.listenerCount(channel) > 0);
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.listener = client;
      const since = performance.now();
      for (const channel of channels) this.listening.set(channel, since);
      // Whatever happened while disconnected is unknown: wake workers and long polls to look.
      this.local.emit(ENQUEUED, '');
      this.local.emit(FINISHED_CHANNEL, ALL_JOBS);
      // A channel subscribed while connecting.
      for (const channel of CHANNELS) {
        if (this.local.listenerCount(channel) > 0) void this.listenTo(client, channel);
      }
    } catch (error) {
      this.logger.warn(`LISTEN connection failed: ${(error as Error).message}; retrying`);
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.listener === client) {
      this.listener = undefined;
      this.listening.clear();
    }
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
