import { Claim, Completion } from '../jobs.repository';

/** The most completions one statement carries. */
const MAX_BATCH = 100;

interface Pending {
  claim: Claim;
  completion: Completion;
  resolve: (finished: boolean) => void;
  reject: (error: unknown) => void;
}

/** Sends completions; resolves with the ids of the jobs it finished (the fencing held). */
export type SendCompletions = (
  batch: { claim: Claim; completion: Completion }[],
) => Promise<Set<string>>;

/**
 * Completions that write nothing else, sent together: the first goes at once, and those that
 * arrive while a statement is in flight go in the next one. Under load a worker finishes many jobs
 * per round trip; alone, a job waits for nobody.
 */
export class CompletionBatch {
  private queue: Pending[] = [];
  private sending = false;

  constructor(private readonly send: SendCompletions) {}

  /** Whether this run still held the job and finished it. */
  complete(claim: Claim, completion: Completion): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ claim, completion, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        const finished = await this.send(batch);
        for (const item of batch) item.resolve(finished.has(item.claim.id));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.sending = false;
  }
}
