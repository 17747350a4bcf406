import { DatabaseSession } from '@app/database';
import { ChildWorker, startChildWorker, workerEnvFor } from '../../support/child-worker';
import { TestApp } from '../../support/test-app';

/** What a killed worker was running: the jobs and the attempt each was on. */
export interface Orphans {
  worker: string;
  killedAt: number;
  jobs: { id: string; attempts: number }[];
}

/**
 * Worker processes (the real worker app, `test/support/worker-process.ts`) on the suite's
 * PostgreSQL schema, that a test can kill with SIGKILL and replace.
 */
export class WorkerFleet {
  readonly alive: ChildWorker[] = [];
  private readonly starting = new Set<Promise<ChildWorker>>();
  private readonly env: NodeJS.ProcessEnv;
  killed = 0;

  constructor(
    private readonly t: TestApp,
    env: NodeJS.ProcessEnv = {},
  ) {
    this.env = workerEnvFor(t, env);
  }

  /** Starts `count` more workers and waits until each claims jobs. */
  async start(count = 1): Promise<ChildWorker[]> {
    return Promise.all(
      Array.from({ length: count }, () => {
        const starting = startChildWorker(this.env);
        this.starting.add(starting);
        return starting.then(
          (child) => {
            this.starting.delete(starting);
            this.alive.push(child);
            return child;
          },
          (error: unknown) => {
            this.starting.delete(starting);
            throw error;
          },
        );
      }),
    );
  }

  /**
   * SIGKILLs a worker caught running jobs (any live one when none is for `patienceMs`), and returns
   * what it was running at that moment.
   */
  async killBusy(db: DatabaseSession, patienceMs = 5_000): Promise<Orphans> {
    if (this.alive.length === 0) throw new Error('No live worker to kill');
    const deadline = Date.now() + patienceMs;
    let candidates: ChildWorker[] = [];
    while (candidates.length === 0 && Date.now() < deadline) {
      const busy = await db.query<{ locked_by: string }>(
        `SELECT DISTINCT locked_by FROM jobs WHERE state = 'running' AND locked_by IN (:...ids)`,
        { ids: this.alive.map((child) => child.id) },
      );
      candidates = this.alive.filter((child) => busy.some((row) => row.locked_by === child.id));
      if (candidates.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (candidates.length === 0) candidates = this.alive;
    const victim = candidates[Math.floor(Math.random() * candidates.length)];
    this.alive.splice(this.alive.indexOf(victim), 1);
    victim.process.kill('SIGKILL');
    const killedAt = Date.now();
    await victim.exited;
    this.killed += 1;
    const jobs = await db.query<{ id: string; attempts: number }>(
      `SELECT id, attempts FROM jobs WHERE state = 'running' AND locked_by = :worker`,
      { worker: victim.id },
    );
    return { worker: victim.id, killedAt, jobs };
  }

  /** Waits for workers still starting, then SIGKILLs every worker. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.starting]);
    for (const child of this.alive.splice(0)) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  }
}

/** Whether every job a killed worker held has been claimed again or has finished. */
export async function orphansTakenOver(db: DatabaseSession, orphans: Orphans): Promise<boolean> {
  if (orphans.jobs.length === 0) return true;
  const rows = await db.query<{ id: string; attempts: number; state: string }>(
    `SELECT id, attempts, state FROM jobs WHERE id IN (:...ids)`,
    { ids: orphans.jobs.map((job) => job.id) },
  );
  return orphans.jobs.every((orphan) => {
    const row = rows.find((candidate) => candidate.id === orphan.id);
    return row !== undefined && (row.state !== 'running' || row.attempts > orphan.attempts);
  });
}
