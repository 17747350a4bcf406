import { DatabaseSession } from '@app/database';
import { isPending, JobsService, JobWorker } from '@app/jobs';
import { startTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

/**
 * The engine's side of an operator's retry (the operator API sends the same statement): a job
 * `failed_with_error` after using its attempts runs again with a fresh budget, and its claim
 * numbers keep growing.
 */
describe('a failed_with_error job run again', () => {
  let t: TestApp;
  const finished = (id: string) =>
    waitFor(async () => {
      const job = await t.jobs.findById(id);
      return job && !isPending(job.state) ? job : undefined;
    });

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_POLL_INTERVAL_SECONDS: '1',
      JOB_MAX_ATTEMPTS: '2',
    });
  });
  afterAll(() => t.close());

  it('gets JOB_MAX_ATTEMPTS runs after the retry, numbered after the earlier ones', async () => {
    const { job } = await t.app
      .get(JobsService)
      .enqueue('test.transient', { succeedAt: 3 }, { clientId: 'mis-1' });
    // Two transient failures use the budget of two (the second waits out a backoff).
    const gaveUp = await finished(job.id);
    expect([gaveUp.state, gaveUp.attempts]).toEqual(['failed_with_error', 2]);

    const db = t.app.get(DatabaseSession);
    const now = new Date();
    await db.serialized(() =>
      db.query(
        `UPDATE jobs SET state = 'waiting', status_code = NULL, result = NULL, run_at = :now,
                finished_at = NULL, attempt_base = attempts, updated_at = :now
          WHERE id = :id AND state = 'failed_with_error'`,
        { id: job.id, now },
      ),
    );
    t.app.get(JobWorker).wake();
    const again = await finished(job.id);
    // The third claim is the first run of the new budget: the handler succeeds on attempt 3.
    expect([again.state, again.attempts, again.attemptBase]).toEqual(['processed', 3, 2]);
    expect(again.result).toEqual({ kind: 'data', response_data: { attempt: 3 } });
  });
});
