// First: on an unsupported Node.js, one line and exit 1 before any package is loaded.
import '../../node-version-check';
import { closeOnSignals, ConfigError, loadConfig, readDotEnv } from '@app/config';
import { createWorker } from './create-worker';

async function main(): Promise<void> {
  readDotEnv();
  closeOnSignals(await createWorker(loadConfig()));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
