import { DatabaseSession } from '@app/database';
import { EntityManager } from 'typeorm';
import { finishedJobOf } from '../engine/finish-event';
import { Claim, CycleResult, JobStore, QueuedCompletion, UNPAUSED } from '../engine/job-store';
import { FINISHED_STATES } from '../job-state';
import { LocalJobEvents } from './local-job-events';

const FINISHED = FINISHED_STATES.map((state) => `'${state}'`).join(', ');

/**
 * The engine's statements on SQLite: one process owns the database and its writes take turns
 * (`DatabaseSession`'s write lock), so a claim reads the due jobs, then claims them, with no other
 * worker to race. Finish events are delivered in this process once a turn has committed.
 */
export class SqliteJobStore extends JobStore {
  constructor(
    db: DatabaseSession,
    private readonly events: LocalJobEvents,
  ) {
    super(db);
  }

  /** The turn in one transaction: each completion fenced like `complete`, then the claim. */
  async completeAndClaim(
    workerId: string,
    completions: QueuedCompletion[],
    limit: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<CycleResult> {
    const result = await this.db.transaction(async (manager) => {
      const finished = new Set<string>();
      for (const { claim, completion } of completions) {
        if (await this.complete(manager, claim, completion, now)) finished.add(claim.id);
      }
      return { finished, ...(await this.claim(manager, workerId, limit, leaseUntil, now)) };
    });
    this.events.finishedHere(
      completions
        .filter(({ claim }) => result.finished.has(claim.id))
        .map(({ claim, completion, eta }) => finishedJobOf(claim, completion, eta)),
    );
    return result;
  }

  async renewLeases(claims: Claim[], until: Date): Promise<Set<string>> {
    const held = new Set<string>();
    for (const claim of claims) {
      const rows = await this.db.query<{ id: string }>(
        `UPDATE jobs SET locked_until = :until
          WHERE id = :id AND attempts = :attempt AND state = 'running'
          RETURNING id`,
        { ...claim, until },
      );
      if (rows.length === 1) held.add(claim.id);
    }
    return held;
  }

  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    const rows = await this.db.query<{ id: string }>(
      `DELETE FROM jobs WHERE id IN (
         SELECT id FROM jobs WHERE state IN (${FINISHED}) AND updated_at < :cutoff LIMIT :limit)
       RETURNING id`,
      { cutoff, limit },
    );
    return rows.length;
  }

  private async claim(
    manager: EntityManager,
    workerId: string,
    limit: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<Omit<CycleResult, 'finished'>> {
    if (limit <= 0) return { jobs: [], reclaimed: 0 };
    const parameters = { workerId, leaseUntil, now, limit };
    const found = await this.db.query<{ id: string; state: string }>(
      `SELECT id, state FROM jobs
        WHERE ((state = 'waiting' AND run_at <= :now) OR (state = 'running' AND locked_until < :now))
          AND ${UNPAUSED}
        ORDER BY run_at
        LIMIT :limit`,
      parameters,
      manager,
    );
    if (found.length === 0) return { jobs: [], reclaimed: 0 };
    const rows = await this.db.query<Record<string, unknown>>(
      `UPDATE jobs
          SET state = 'running', attempts = attempts + 1, locked_until = :leaseUntil,
              locked_by = :workerId, started_at = :now, updated_at = :now
        WHERE id IN (:...ids)
        RETURNING id, type, client_id, payload, attempts, attempt_base, eta`,
      { ...parameters, ids: found.map((row) => row.id) },
      manager,
    );
    const jobs = rows.map((row) => ({
      id: row.id as string,
      type: row.type as string,
      clientId: row.client_id as string,
      payload: JSON.parse(row.payload as string) as Record<string, unknown>,
      attempts: Number(row.attempts),
      attemptBase: Number(row.attempt_base),
      eta: this.db.fromDatabase(row.eta)!,
    }));
    return { jobs, reclaimed: found.filter((row) => row.state === 'running').length };
  }
}
