import { Client, ClientConfig } from 'pg';

/** The message pg gives a query that outlived `query_timeout` without an answer. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * A pg client that closes its connection when a query outlives `query_timeout`. pg gives up on
 * the query but keeps the connection, whose next queries would queue behind the lost one for good:
 * a connection gone silent (packets dropped, not reset) would hold its pool slot forever. Ended,
 * it is dropped by the pool when released, and the slot is opened afresh.
 */
export class GuardedPgClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) {
            // With a query in flight, `end()` destroys the socket rather than waiting on it.
            void this.end().catch(() => undefined);
          }
        });
      }
      return result;
    }) as Client['query'];
  }
}
