import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Reads `.env` from the working directory into the environment, for development. Variables already
 * set win over the file; production sets the environment and has no such file.
 */
export function readDotEnv(file = '.env'): void {
  const path = resolve(file);
  if (existsSync(path)) process.loadEnvFile(path);
}
