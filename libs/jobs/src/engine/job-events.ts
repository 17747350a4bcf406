import { AppConfig } from '@app/config';
import { DatabaseSession, POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_KEEPALIVE } from '@app/database';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';

/** The finish event that wakes every long poll (after an interruption of the event stream). */
export const ALL_JOBS = '*';

const ENQUEUED = 'jobs_enqueued';
/** The channel of finish events on PostgreSQL; its payload is the job's id. */
export const FINISHED_CHANNEL = 'jobs_finished';
const RECONNECT_MS = 1_000;

type Listener = (jobId: string) => void;

/**
 * Wake-ups between processes: "a job was enqueued" for workers, "this job finished" for long polls.
 * On PostgreSQL they travel as NOTIFY inside the writing transaction (delivered on commit) and
 * arrive through one LISTEN connection per process; on SQLite, one process, they are local events.
 */
@Injectable()
export class JobEvents implements OnModuleDestroy {
  private readonly logger = new Logger('JobEvents');
  private readonly local = new EventEmitter().setMaxListeners(0);
  private listener: Client | undefined;
  private closed = false;
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly db: DatabaseSession,
    private readonly config: AppConfig,
  ) {}

  async enqueued(manager: EntityManager): Promise<void> {
    await this.publish(ENQUEUED, '', manager);
  }

  async finished(jobId: string, manager: EntityManager): Promise<void> {
    await this.publish(FINISHED_CHANNEL, jobId, manager);
  }

  onEnqueued(listener: () => void): () => void {
    return this.subscribe(ENQUEUED, listener);
  }

  onFinished(listener: Listener): () => void {
    return this.subscribe(FINISHED_CHANNEL, listener);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.local.removeAllListeners();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private async publish(channel: string, payload: string, manager: EntityManager): Promise<void> {
    if (this.db.isPostgres) {
      await this.db.query('SELECT pg_notify(:channel, :payload)', { channel, payload }, manager);
    } else {
      // After the microtasks that commit the surrounding SQLite transaction.
      setImmediate(() => this.local.emit(channel, payload));
    }
  }

  private subscribe(channel: string, listener: Listener): () => void {
    this.local.on(channel, listener);
    if (this.db.isPostgres) void this.listen();
    return () => this.local.off(channel, listener);
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
    client.on('notification', (message) => this.local.emit(message.channel, message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn(`LISTEN connection lost: ${error.message}; reconnecting`);
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${ENQUEUED}`);
      await client.query(`LISTEN ${FINISHED_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.listener = client;
      // Whatever happened while disconnected is unknown: wake workers and long polls to look.
      this.local.emit(ENQUEUED, '');
      this.local.emit(FINISHED_CHANNEL, ALL_JOBS);
    } catch (error) {
      this.logger.warn(`LISTEN connection failed: ${(error as Error).message}; retrying`);
      this.reconnect(client);
    }
  }

  private reconnect(client: Client): void {
    if (this.listener === client) this.listener = undefined;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.closed) return;
    setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
