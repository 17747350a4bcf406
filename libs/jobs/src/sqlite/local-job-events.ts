import { OnModuleDestroy } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { finishNotification, FinishedJob } from '../engine/finish-event';
import { Channel, ENQUEUED_CHANNEL, FINISHED_CHANNEL, JobEvents } from '../engine/job-events';

/**
 * Job events within this process, for a database only this process writes (SQLite): every event
 * is heard from the start, delivered once the surrounding transaction has committed.
 */
export class LocalJobEvents extends JobEvents implements OnModuleDestroy {
  private readonly since = performance.now();

  async enqueued(): Promise<void> {
    this.publish(ENQUEUED_CHANNEL, '');
  }

  async finished(jobId: string, _manager: EntityManager, finished?: FinishedJob): Promise<void> {
    this.publish(FINISHED_CHANNEL, finishNotification(jobId, finished));
  }

  /**
   * Announces jobs finished by a transaction that has committed (a worker's batch of completions,
   * which publishes nothing while it runs).
   */
  finishedHere(jobs: FinishedJob[]): void {
    if (jobs.length === 0) return;
    setImmediate(() => {
      for (const job of jobs) this.local.emit(FINISHED_CHANNEL, job.id, job);
    });
  }

  finishEventsHeardSince(): number {
    return this.since;
  }

  onModuleDestroy(): void {
    this.close();
  }

  protected hear(): void {
    // Nothing to connect: every event is published in this process.
  }

  private publish(channel: Channel, payload: string): void {
    // After the microtasks that commit the surrounding transaction.
    setImmediate(() => this.deliver(channel, payload));
  }
}
