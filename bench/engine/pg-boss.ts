/**
 * pg-boss 10.4.2 as a contender, in its own schema. pg-boss 10 has no per-worker concurrency: one
 * `work()` loop per slot, each fetching a batch, then waiting out its polling interval (0.5 s, the
 * least it accepts) unless the batch took longer. A completion counts when the handler returns
 * (pg-boss then sends its completion without waiting for it).
 */
import PgBoss from 'pg-boss';
import { BenchQueue, NOOP, QueueHooks, QueueOptions } from './queue';

const QUEUE = NOOP.replace('.', '_');

export async function pgBoss(options: QueueOptions, batchSize: number): Promise<BenchQueue> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    max: 10,
    schedule: false,
  });
  boss.on('error', (error) => console.error(error));
  await boss.start();
  await boss.createQueue(QUEUE);
  return {
    async enqueue(n) {
      const id = await boss.send(QUEUE, { n });
      if (!id) throw new Error('pg-boss did not enqueue the job');
      return id;
    },
    async start(hooks: QueueHooks) {
      for (let slot = 0; slot < options.concurrency; slot++) {
        await boss.work<{ n: number }>(
          QUEUE,
          { batchSize, pollingIntervalSeconds: 0.5 },
          async (batch) => {
            for (const job of batch) {
              hooks.handled();
              hooks.completed(job.id);
            }
          },
        );
      }
    },
    async completedInDatabase() {
      const result = await boss
        .getDb()
        .executeSql(
          `SELECT COUNT(*) AS count FROM "${options.schema}".job WHERE name = $1 AND state = 'completed'`,
          [QUEUE],
        );
      return Number((result.rows[0] as { count: string }).count);
    },
    async close() {
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}
