import { DatabaseSession, POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_KEEPALIVE } from '@app/database';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import { EntityManager } from 'typeorm';
import { finishNotification, FinishedJob } from '../engine/finish-event';
import {
  ALL_JOBS,
  Channel,
  CHANNELS,
  ENQUEUED_CHANNEL,
  FINISHED_CHANNEL,
  JobEvents,
} from '../engine/job-events';

const RECONNECT_MS = 1_000;

/**
 * Job events between processes on PostgreSQL: NOTIFY inside the writing transaction (delivered on
 * commit), heard through one LISTEN connection per process, which listens only to the channels this
 * process has subscribers for (a worker process never hears finish events). After the connection
 * drops, whatever happened meanwhile is unknown: on reconnecting, workers and long polls are woken
 * to look.
 */
export class PostgresJobEvents extends JobEvents implements OnModuleDestroy {
  private readonly logger = new Logger('JobEvents');
  private listener: Client | undefined;
  private readonly listening = new Map<Channel, number>();
  private connecting: Promise<void> | undefined;

  constructor(
    private readonly db: DatabaseSession,
    private readonly url: string,
  ) {
    super();
  }

  async enqueued(manager: EntityManager): Promise<void> {
    await this.notify(ENQUEUED_CHANNEL, '', manager);
  }

  async finished(jobId: string, manager: EntityManager, finished?: FinishedJob): Promise<void> {
    await this.notify(FINISHED_CHANNEL, finishNotification(jobId, finished), manager);
  }

  finishEventsHeardSince(): number | undefined {
    return this.listening.get(FINISHED_CHANNEL);
  }

  async onModuleDestroy(): Promise<void> {
    this.close();
    const listener = this.listener;
    this.listener = undefined;
    this.listening.clear();
    await listener?.end().catch(() => undefined);
  }

  protected hear(channel: Channel): void {
    if (this.listener) void this.listenTo(this.listener, channel);
    else void this.listen();
  }

  private async notify(channel: string, payload: string, manager: EntityManager): Promise<void> {
    await this.db.query('SELECT pg_notify(:channel, :payload)', { channel, payload }, manager);
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
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
      ...POSTGRES_KEEPALIVE,
    });
    client.on('notification', (message) => this.deliver(message.channel, message.payload ?? ''));
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
      this.local.emit(ENQUEUED_CHANNEL, '');
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
