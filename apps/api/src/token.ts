// First: on an unsupported Node.js, one line and exit 1 before any package is loaded.
import '../../node-version-check';
import { mintToken } from '@app/auth';
import { ConfigError, loadConfig, readDotEnv } from '@app/config';
import { parseArgs } from 'node:util';

const USAGE = 'Usage: npm run token -- --client-id <id> --scope "job:read" [--ttl <seconds>]';

/** Prints a bearer token the running configuration accepts; the token is the last line. */
async function main(): Promise<void> {
  readDotEnv();
  const { values } = parseArgs({
    options: {
      'client-id': { type: 'string' },
      scope: { type: 'string', default: 'job:read' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  const clientId = values['client-id'];
  const ttlSeconds = Number(values.ttl);
  if (!clientId || !Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    console.error(USAGE);
    process.exit(2);
  }
  const config = loadConfig();
  const scopes = (values.scope ?? '').split(' ').filter(Boolean);
  const token = await mintToken(config.auth, { clientId, scopes, ttlSeconds });
  console.error(
    `Token for client ${clientId}, scopes "${scopes.join(' ')}", valid ${ttlSeconds}s:`,
  );
  console.log(token);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
