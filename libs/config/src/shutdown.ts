import { Logger } from '@nestjs/common';

/**
 * Closes the application on SIGTERM or SIGINT (running every shutdown hook: the worker finishes or
 * releases its jobs, connections close) and exits 0; exits 1 when closing fails.
 */
export function closeOnSignals(
  app: { close(): Promise<void> },
  logger = new Logger('Shutdown'),
): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: shutting down`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('Shutdown failed', error instanceof Error ? error.stack : String(error));
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}
