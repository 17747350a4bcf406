/** One job queue under test, driven the same way for each contender. */
export interface BenchQueue {
  /** Enqueues the no-op job number `n`; resolves with its id once committed. */
  enqueue(n: number): Promise<string>;
  /** Starts processing: `handled` after each handler run, `completed(id)` where it ends. */
  start(hooks: QueueHooks): Promise<void>;
  /** Jobs the database holds as completed. */
  completedInDatabase(): Promise<number>;
  close(): Promise<void>;
}

export interface QueueHooks {
  handled(): void;
  /** The job's completion as the contender reports it (see each contender for when that is). */
  completed(id: string): void;
  /**
   * A contender whose `completed` comes after its completion committed also reports the moment
   * its handler returned, the point at which the others report `completed`.
   */
  returned?(id: string): void;
}

export interface QueueOptions {
  url: string;
  schema: string;
  concurrency: number;
}

export const NOOP = 'bench.noop';
