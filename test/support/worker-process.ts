/**
 * A worker process for the multi-process tests: the real worker app with the test job types, on the
 * suite's schema. Environment: the service's variables plus TEST_SCHEMA. Prints READY <worker id>.
 */
import { closeOnSignals, loadConfig } from '@app/config';
import { JobWorker } from '@app/jobs';
import { createWorker } from '../../apps/worker/src/create-worker';
import { TestJobsModule } from './test-jobs.module';

async function main(): Promise<void> {
  const worker = await createWorker(loadConfig(), {
    database: { schema: process.env.TEST_SCHEMA || undefined },
    imports: [TestJobsModule],
    logger: ['error'],
  });
  await worker.init();
  closeOnSignals(worker);
  console.log(`READY ${worker.get(JobWorker).id}`);
}

void main();
