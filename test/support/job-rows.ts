import { DatabaseSession } from '@app/database';
import { Job, newJobId } from '@app/jobs';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** A row to put in the jobs table: the columns a test cares about; the others as a new job has them. */
export type NewJobRow = Pick<Job, 'type' | 'clientId' | 'payload' | 'eta'> &
  Partial<Omit<Job, 'id' | 'type' | 'clientId' | 'payload' | 'eta'>>;

/**
 * The jobs table as a test sees it, outside the service's own paths: rows made in any state (a
 * dead worker's, an old finished one) and rows read back whole.
 */
export class JobRows {
  constructor(private readonly db: DatabaseSession) {}

  async insert(job: NewJobRow): Promise<Job> {
    const now = new Date();
    const entity = this.db.dataSource.getRepository(Job).create({
      state: 'waiting',
      statusCode: null,
      result: null,
      dedupeKey: null,
      attempts: 0,
      runAt: now,
      lockedUntil: null,
      lockedBy: null,
      startedAt: null,
      finishedAt: null,
      lastError: null,
      createdAt: now,
      updatedAt: now,
      ...job,
      id: newJobId(),
    });
    await this.db.serialized(() =>
      this.db.dataSource.manager.insert(Job, entity as QueryDeepPartialEntity<Job>),
    );
    return entity;
  }

  findById(id: string): Promise<Job | null> {
    return this.db.dataSource.getRepository(Job).findOneBy({ id });
  }

  /** The row as the database holds it: every column, by its column name, read with plain SQL. */
  async raw(id: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>(
      'SELECT * FROM jobs WHERE id = :id',
      { id },
    );
    return row;
  }
}
