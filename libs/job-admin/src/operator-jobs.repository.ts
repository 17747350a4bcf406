import { DatabaseSession } from '@app/database';
import { JobState } from '@app/jobs';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';

/** Which jobs an operator lists: any client's. */
export interface OperatorJobFilter {
  states?: readonly JobState[];
  type?: string;
  clientId?: string;
}

/** A job as operators see it in a list: never its payload or result. */
export interface OperatorJobRow {
  id: string;
  type: string;
  clientId: string;
  state: JobState;
  statusCode: number | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  /** The error id of a crash (the start of `last_error`), never the error's text. */
  errorId: string | null;
}

/** Stored clinical data, described without being shown: its size and a SHA-256. */
export interface StoredDigest {
  bytes: number;
  sha256: string;
}

export interface OperatorJobDetail extends OperatorJobRow {
  eta: Date;
  runAt: Date;
  startedAt: Date | null;
  lockedBy: string | null;
  lockedUntil: Date | null;
  attemptBase: number;
  payload: StoredDigest | null;
  result: StoredDigest | null;
}

export interface AttemptRow {
  attempt: number;
  worker: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  outcome: string | null;
  errorId: string | null;
}

const LIST_COLUMNS = `id, type, client_id, state, status_code, attempts, created_at, updated_at,
  finished_at, last_error`;

/**
 * The operators' queries on the jobs of every client. Payloads and results are read only to be
 * measured and hashed here: they never leave this class.
 */
@Injectable()
export class OperatorJobsRepository {
  constructor(private readonly db: DatabaseSession) {}

  /** One page of jobs, newest first, and how many match. */
  async list(
    filter: OperatorJobFilter,
    page: { offset: number; limit: number },
  ): Promise<{ rows: OperatorJobRow[]; total: number }> {
    const where = ['1 = 1'];
    if (filter.states) where.push('state IN (:...states)');
    if (filter.type !== undefined) where.push('type = :type');
    if (filter.clientId !== undefined) where.push('client_id = :clientId');
    const parameters = { ...filter, ...page };
    const [rows, [count]] = await Promise.all([
      this.db.query<Record<string, unknown>>(
        `SELECT ${LIST_COLUMNS} FROM jobs WHERE ${where.join(' AND ')}
          ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset`,
        parameters,
      ),
      this.db.query<{ total: string | number }>(
        `SELECT COUNT(*) AS total FROM jobs WHERE ${where.join(' AND ')}`,
        parameters,
      ),
    ]);
    return { rows: rows.map((row) => this.toRow(row)), total: Number(count?.total ?? 0) };
  }

  async find(id: string): Promise<OperatorJobDetail | null> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT ${LIST_COLUMNS}, eta, run_at, started_at, locked_by, locked_until, attempt_base,
              payload, result
         FROM jobs WHERE id = :id`,
      { id },
    );
    if (!row) return null;
    return {
      ...this.toRow(row),
      eta: this.db.fromDatabase(row.eta)!,
      runAt: this.db.fromDatabase(row.run_at)!,
      startedAt: this.db.fromDatabase(row.started_at),
      lockedBy: (row.locked_by as string | null) ?? null,
      lockedUntil: this.db.fromDatabase(row.locked_until),
      attemptBase: Number(row.attempt_base),
      payload: digest(row.payload),
      result: digest(row.result),
    };
  }

  async attempts(id: string): Promise<AttemptRow[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT attempt, worker, started_at, ended_at, outcome, error_id FROM job_attempts
        WHERE job_id = :id ORDER BY attempt`,
      { id },
    );
    return rows.map((row) => ({
      attempt: Number(row.attempt),
      worker: (row.worker as string | null) ?? null,
      startedAt: this.db.fromDatabase(row.started_at),
      endedAt: this.db.fromDatabase(row.ended_at),
      outcome: (row.outcome as string | null) ?? null,
      errorId: (row.error_id as string | null) ?? null,
    }));
  }

  /**
   * Puts a `failed_with_error` job back to wait, due now, with a fresh attempt budget
   * (`attempt_base`); false when the job is in any other state. Its finished result is cleared, so
   * its client sees it pending until it ends again.
   */
  async retry(manager: EntityManager, id: string, eta: Date, now: Date): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `UPDATE jobs
          SET state = 'waiting', status_code = NULL, result = NULL, run_at = :now, eta = :eta,
              finished_at = NULL, locked_until = NULL, locked_by = NULL,
              attempt_base = attempts, updated_at = :now
        WHERE id = :id AND state = 'failed_with_error'
        RETURNING id`,
      { id, eta, now },
      manager,
    );
    return rows.length === 1;
  }

  private toRow(row: Record<string, unknown>): OperatorJobRow {
    const state = row.state as JobState;
    const lastError = (row.last_error as string | null) ?? null;
    return {
      id: row.id as string,
      type: row.type as string,
      clientId: row.client_id as string,
      state,
      statusCode: row.status_code === null ? null : Number(row.status_code),
      attempts: Number(row.attempts),
      createdAt: this.db.fromDatabase(row.created_at)!,
      updatedAt: this.db.fromDatabase(row.updated_at)!,
      finishedAt: this.db.fromDatabase(row.finished_at),
      errorId: state === 'failed_with_error' && lastError ? lastError.split(' ')[0] : null,
    };
  }
}

function digest(stored: unknown): StoredDigest | null {
  if (stored === null || stored === undefined) return null;
  const text = typeof stored === 'string' ? stored : JSON.stringify(stored);
  return {
    bytes: Buffer.byteLength(text, 'utf8'),
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}
