import { DatabaseSession } from '@app/database';
import { chunkEvents } from '../engine/finish-event';
import { FINISHED_CHANNEL } from '../engine/job-events';
import {
  Claim,
  ClaimedJob,
  CycleResult,
  JobStore,
  KEEPS_PAYLOAD,
  QueuedCompletion,
  UNPAUSED,
} from '../engine/job-store';
import { FINISHED_STATES } from '../job-state';

const FINISHED = FINISHED_STATES.map((state) => `'${state}'`).join(', ');

/**
 * The engine's statements on PostgreSQL. A worker's turn and its lease renewals are named prepared
 * statements, planned once per connection; claims skip rows other workers hold
 * (`FOR UPDATE SKIP LOCKED`), so any number of workers share the table.
 */
export class PostgresJobStore extends JobStore {
  private readonly completeAndClaimStatement;
  private readonly renewLeasesStatement;

  constructor(db: DatabaseSession) {
    super(db);
    // Expired leases first, then waiting jobs oldest first: each read walks its partial index in
    // order and stops at `limit`, however long the queue. The finish events go as NOTIFY on
    // `jobs_finished`, as few notifications as fit, sent on commit. A completion erases the
    // payload unless the job keeps it (`KEEPS_PAYLOAD`).
    this.completeAndClaimStatement = db.prepare<Record<string, unknown>>(
      'jobs_complete_and_claim',
      `WITH v AS (
         SELECT * FROM unnest(:ids::varchar[], :attempts::int[], :states::varchar[], :codes::int[],
                              :results::text[], :errors::text[], :events::text[], :chunks::int[])
             AS v(id, attempt, state, status_code, result, last_error, event, chunk)),
       done AS (
         UPDATE jobs
            SET state = v.state, status_code = v.status_code, result = v.result,
                last_error = v.last_error,
                payload = CASE WHEN v.state = :keeps THEN jobs.payload END,
                dedupe_key = CASE WHEN v.state = :keeps THEN jobs.dedupe_key END,
                finished_at = :now, updated_at = :now, locked_until = NULL, locked_by = NULL
           FROM v
          WHERE jobs.id = v.id AND jobs.attempts = v.attempt AND jobs.state = 'running'
          RETURNING jobs.id, v.event, v.chunk),
       announced AS (
         SELECT pg_notify(:channel, '[' || string_agg(event, ',') || ']') FROM done GROUP BY chunk),
       expired AS (
         SELECT id, state FROM jobs
          WHERE state = 'running' AND locked_until < :now AND id <> ALL(:ids::varchar[])
            AND ${UNPAUSED}
          ORDER BY locked_until LIMIT :limit FOR UPDATE SKIP LOCKED),
       waiting AS (
         SELECT id, state FROM jobs WHERE state = 'waiting' AND run_at <= :now AND ${UNPAUSED}
          ORDER BY run_at LIMIT :limit FOR UPDATE SKIP LOCKED),
       due AS (SELECT * FROM expired UNION ALL SELECT * FROM waiting LIMIT :limit),
       claimed AS (
         UPDATE jobs
            SET state = 'running', attempts = attempts + 1, locked_until = :leaseUntil,
                locked_by = :workerId, started_at = :now, updated_at = :now
           FROM due
          WHERE jobs.id = due.id
          RETURNING jobs.id, jobs.type, jobs.client_id, jobs.payload, jobs.attempts,
                    jobs.attempt_base, (extract(epoch FROM jobs.eta) * 1000)::float8 AS eta_ms,
                    due.state AS previous_state)
       SELECT NULL AS finished, NULL AS announced, c.* FROM claimed c
       UNION ALL
       SELECT (SELECT string_agg(id, ',') FROM done), (SELECT count(*) FROM announced),
              NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
    );
    this.renewLeasesStatement = db.prepare<{ id: string }>(
      'jobs_renew_leases',
      `UPDATE jobs SET locked_until = :until
         FROM unnest(:ids::varchar[], :attempts::int[]) AS v(id, attempt)
        WHERE jobs.id = v.id AND jobs.attempts = v.attempt AND jobs.state = 'running'
        RETURNING jobs.id`,
    );
  }

  /** One statement: the completions, their finish events and the claim. */
  async completeAndClaim(
    workerId: string,
    completions: QueuedCompletion[],
    limit: number,
    leaseUntil: Date,
    now: Date,
  ): Promise<CycleResult> {
    const events = completions.map((item) => item.event);
    const rows = await this.completeAndClaimStatement({
      ids: completions.map(({ claim }) => claim.id),
      attempts: completions.map(({ claim }) => claim.attempt),
      states: completions.map(({ completion }) => completion.state),
      codes: completions.map(({ completion }) => completion.statusCode),
      results: completions.map(({ completion }) => JSON.stringify(completion.result)),
      errors: completions.map(({ completion }) => completion.lastError ?? null),
      events,
      chunks: chunkEvents(events),
      channel: FINISHED_CHANNEL,
      keeps: KEEPS_PAYLOAD,
      limit,
      leaseUntil,
      now,
      workerId,
    });
    // The last row carries the ids finished (job ids hold no comma); the others, a claimed job each.
    const finishedIds = rows[rows.length - 1]?.finished as string | null | undefined;
    const finished = new Set<string>(finishedIds ? finishedIds.split(',') : []);
    const jobs: ClaimedJob[] = [];
    let reclaimed = 0;
    for (const row of rows) {
      if (row.id === null || row.id === undefined) continue;
      jobs.push({
        id: row.id as string,
        type: row.type as string,
        clientId: row.client_id as string,
        payload: JSON.parse(row.payload as string) as Record<string, unknown>,
        attempts: row.attempts as number,
        attemptBase: row.attempt_base as number,
        eta: new Date(row.eta_ms as number),
      });
      if (row.previous_state === 'running') reclaimed += 1;
    }
    return { finished, jobs, reclaimed };
  }

  async renewLeases(claims: Claim[], until: Date): Promise<Set<string>> {
    if (claims.length === 0) return new Set();
    const rows = await this.renewLeasesStatement({
      ids: claims.map((claim) => claim.id),
      attempts: claims.map((claim) => claim.attempt),
      until,
    });
    return new Set(rows.map((row) => row.id));
  }

  async deleteFinishedBefore(cutoff: Date, limit: number): Promise<number> {
    // `IN (subquery)` would hash-join against the whole table; an array of ids makes each batch a
    // walk of the primary key.
    const rows = await this.db.query<{ id: string }>(
      `DELETE FROM jobs WHERE id = ANY(ARRAY(
         SELECT id FROM jobs WHERE state IN (${FINISHED}) AND updated_at < :cutoff LIMIT :limit))
       RETURNING id`,
      { cutoff, limit },
    );
    return rows.length;
  }
}
