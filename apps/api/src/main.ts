// First: on an unsupported Node.js, one line and exit 1 before any package is loaded.
import '../../node-version-check';
import { closeOnSignals, ConfigError, loadConfig, readDotEnv } from '@app/config';
import { Logger } from '@nestjs/common';
import { createApp } from './create-app';

async function main(): Promise<void> {
  readDotEnv();
  const config = loadConfig();
  const app = await createApp(config);
  closeOnSignals(app);
  await app.listen(config.port, config.host);
  const where =
    config.database.kind === 'postgres' ? 'PostgreSQL' : `SQLite at ${config.database.file}`;
  new Logger('Main').log(`Listening on http://${config.host}:${config.port} (database: ${where})`);
}

main().catch((error: unknown) => {
  // A configuration mistake is one clear sentence, not a stack trace.
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
