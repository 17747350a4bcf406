/**
 * graphile-worker 0.17.3 as a contender, in its own schema, with its defaults but for concurrency
 * and a silent logger; or (`batched`) in its fastest documented setting: a local queue of 500 jobs
 * fetched at once, and completions and failures sent in batches without delay. A completion counts
 * at its `job:complete` event (the completion is then sent, not yet committed). Completed jobs are
 * deleted, so the database counts those left.
 */
import { Logger, makeWorkerUtils, run, Runner, WorkerUtils } from 'graphile-worker';
import { BenchQueue, NOOP, QueueHooks, QueueOptions } from './queue';

const TASK = NOOP.replace('.', '_');
const silent = new Logger(() => () => undefined);

export async function graphileWorker(options: QueueOptions, batched = false): Promise<BenchQueue> {
  const utils: WorkerUtils = await makeWorkerUtils({
    connectionString: options.url,
    schema: options.schema,
    logger: silent,
  });
  await utils.migrate();
  let enqueued = 0;
  let runner: Runner | undefined;
  return {
    async enqueue(n) {
      const job = await utils.addJob(TASK, { n });
      enqueued += 1;
      return job.id;
    },
    async start(hooks: QueueHooks) {
      runner = await run({
        connectionString: options.url,
        schema: options.schema,
        concurrency: options.concurrency,
        noHandleSignals: true,
        logger: silent,
        ...(batched
          ? {
              preset: {
                worker: {
                  localQueue: { size: 500 },
                  completeJobBatchDelay: 0,
                  failJobBatchDelay: 0,
                },
              },
            }
          : {}),
        taskList: { [TASK]: async () => hooks.handled() },
      });
      runner.events.on('job:complete', ({ job, error }) => {
        if (!error) hooks.completed(job.id);
      });
    },
    async completedInDatabase() {
      const result = await utils.withPgClient((client) =>
        client.query<{ count: string }>(
          `SELECT COUNT(*) AS count FROM "${options.schema}"._private_jobs`,
        ),
      );
      return enqueued - Number(result.rows[0].count);
    },
    async close() {
      await runner?.stop();
      await utils.release();
    },
  };
}
