import { exportJWK, generateKeyPair, JWK, jwtVerify, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { KeyServerUnavailableError, resilientRemoteKeySet } from './remote-key-set';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/** A key server on 127.0.0.1 that answers with `respond()` until closed. */
async function keyServer(respond: () => { status: number; body: string }) {
  const server: Server = createServer((_, response) => {
    const { status, body } = respond();
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`);
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, close };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('resilientRemoteKeySet', () => {
  let known: KeyPair;
  let unknown: KeyPair;
  let published: JWK;

  beforeAll(async () => {
    [known, unknown] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
    published = { ...(await exportJWK(known.publicKey)), kid: 'known', alg: 'ES256' };
  });

  const sign = (pair: KeyPair, kid: string) =>
    new SignJWT({ client_id: 'mis-1' })
      .setProtectedHeader({ alg: 'ES256', kid })
      .setExpirationTime('5m')
      .sign(pair.privateKey);

  it('keeps verifying with the keys fetched before once the key server is down, even past the cache age', async () => {
    const server = await keyServer(() => ({
      status: 200,
      body: JSON.stringify({ keys: [published] }),
    }));
    const keys = resilientRemoteKeySet(server.url, { cacheMaxAge: 50, cooldownDuration: 0 });
    await jwtVerify(await sign(known, 'known'), keys);
    await server.close();
    await sleep(100);

    const { payload } = await jwtVerify(await sign(known, 'known'), keys);
    expect(payload.client_id).toBe('mis-1');
  });

  it('says the key server is unavailable for a key it never fetched', async () => {
    const server = await keyServer(() => ({
      status: 200,
      body: JSON.stringify({ keys: [published] }),
    }));
    const keys = resilientRemoteKeySet(server.url, { cacheMaxAge: 50, cooldownDuration: 0 });
    await jwtVerify(await sign(known, 'known'), keys);
    await server.close();

    await expect(jwtVerify(await sign(unknown, 'rotated'), keys)).rejects.toThrow(
      KeyServerUnavailableError,
    );
  });

  it.each([
    ['answers 500', { status: 500, body: 'oops' }],
    ['answers something that is not a key set', { status: 200, body: '{"keys": 1}' }],
  ])('says the key server is unavailable when it %s', async (_, answer) => {
    const server = await keyServer(() => answer);
    try {
      const keys = resilientRemoteKeySet(server.url);
      await expect(jwtVerify(await sign(known, 'known'), keys)).rejects.toThrow(
        KeyServerUnavailableError,
      );
    } finally {
      await server.close();
    }
  });

  it('leaves a key the reachable server does not publish to jose (an invalid token, not an outage)', async () => {
    const server = await keyServer(() => ({
      status: 200,
      body: JSON.stringify({ keys: [published] }),
    }));
    try {
      const keys = resilientRemoteKeySet(server.url);
      const refusal = await jwtVerify(await sign(unknown, 'forged'), keys).catch((e: unknown) => e);
      expect(refusal).not.toBeInstanceOf(KeyServerUnavailableError);
      expect((refusal as { code?: string }).code).toBe('ERR_JWKS_NO_MATCHING_KEY');
    } finally {
      await server.close();
    }
  });
});
