import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

export interface JwksServer {
  /** The address of the key set the service is told to trust (`AUTH_JWKS_URL`). */
  url: string;
  /** The address of another key set, one the service was never told about. */
  otherUrl: string;
  /** How many times each key set was fetched. */
  fetches: { trusted: number; other: number };
  close(): Promise<void>;
}

/**
 * An identity provider's key set endpoint on 127.0.0.1: `trusted` at `/jwks.json`, `other` at
 * `/other-jwks.json` (what an attacker would point a `jku` header at).
 */
export async function startJwksServer(trusted: JWK[], other: JWK[] = []): Promise<JwksServer> {
  const fetches = { trusted: 0, other: 0 };
  const server = createServer((request, response) => {
    const keys =
      request.url === '/jwks.json' ? trusted : request.url === '/other-jwks.json' ? other : null;
    if (!keys) {
      response.writeHead(404).end();
      return;
    }
    fetches[keys === trusted ? 'trusted' : 'other'] += 1;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/jwks.json`,
    otherUrl: `${origin}/other-jwks.json`,
    fetches,
    close: () =>
      new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      ),
  };
}
