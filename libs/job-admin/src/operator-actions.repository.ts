import { DatabaseSession } from '@app/database';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export type OperatorActionName = 'job.retry' | 'queue.pause' | 'queue.resume';

export interface OperatorActionRow {
  id: number;
  at: Date;
  operator: string;
  action: OperatorActionName;
  target: string;
  requestId: string;
}

/** The audit of operator actions: each written in the transaction of its action. */
@Injectable()
export class OperatorActionsRepository {
  constructor(private readonly db: DatabaseSession) {}

  async record(manager: EntityManager, action: Omit<OperatorActionRow, 'id'>): Promise<void> {
    await this.db.query(
      `INSERT INTO job_admin_audit (at, operator, action, target, request_id)
       VALUES (:at, :operator, :action, :target, :requestId)`,
      { ...action },
      manager,
    );
  }

  /** One page of the audit, newest first, and how many entries it has. */
  async list(page: {
    offset: number;
    limit: number;
  }): Promise<{ rows: OperatorActionRow[]; total: number }> {
    const [rows, [count]] = await Promise.all([
      this.db.query<Record<string, unknown>>(
        `SELECT id, at, operator, action, target, request_id FROM job_admin_audit
          ORDER BY id DESC LIMIT :limit OFFSET :offset`,
        page,
      ),
      this.db.query<{ total: string | number }>(
        'SELECT COUNT(*) AS total FROM job_admin_audit',
        {},
      ),
    ]);
    return {
      rows: rows.map((row) => ({
        id: Number(row.id),
        at: this.db.fromDatabase(row.at)!,
        operator: row.operator as string,
        action: row.action as OperatorActionName,
        target: row.target as string,
        requestId: row.request_id as string,
      })),
      total: Number(count?.total ?? 0),
    };
  }
}
