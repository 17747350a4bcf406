import { AppConfig, loadConfig } from '@app/config';
import { CryptoKey, exportJWK, exportSPKI, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-that-is-at-least-32-characters-long';
const OTHER_SECRET = 'another-secret-that-is-also-32-characters-or-more';

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'token-verifier-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function configWith(env: Record<string, string>): AppConfig {
  return loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, ...env });
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const base64url = (value: object): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function signHs256(
  claims: JWTPayload = { client_id: 'mis-1', scope: 'job:read' },
  secret: string | Uint8Array = SECRET,
  expiresIn: string | null = '5m',
): Promise<string> {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt();
  if (expiresIn) jwt.setExpirationTime(expiresIn);
  return jwt.sign(typeof secret === 'string' ? bytes(secret) : secret);
}

describe('TokenVerifier with a shared secret', () => {
  const verifier = new TokenVerifier(configWith({ AUTH_JWT_SECRET: SECRET }));

  it('accepts a valid token and reads its client and scopes', async () => {
    const client = await verifier.verify(
      await signHs256({ client_id: 'mis-1', scope: 'job:read patient:read' }),
    );

    expect(client.clientId).toBe('mis-1');
    expect([...client.scopes].sort()).toEqual(['job:read', 'patient:read']);
  });

  it('rejects an expired token', async () => {
    const token = await signHs256({ client_id: 'mis-1', exp: nowSeconds() - 120 }, SECRET, null);

    await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects a token not yet valid (nbf in the future), as a refusal that may not last', async () => {
    const token = await signHs256({ client_id: 'mis-1', nbf: nowSeconds() + 600 });

    const refusal = await verifier.verify(token).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(InvalidTokenError);
    expect((refusal as InvalidTokenError).lasting).toBe(false);
  });

  it('rejects a badly signed token for good', async () => {
    const refusal = await verifier
      .verify(await signHs256(undefined, OTHER_SECRET))
      .catch((error: unknown) => error);
    expect((refusal as InvalidTokenError).lasting).toBe(true);
  });

  it('rejects a token signed with another secret', async () => {
    await expect(verifier.verify(await signHs256(undefined, OTHER_SECRET))).rejects.toThrow(
      InvalidTokenError,
    );
  });

  it('rejects an unsecured token (alg none)', async () => {
    const payload = { client_id: 'mis-1', scope: 'job:read', exp: nowSeconds() + 300 };
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;

    await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects a token without exp', async () => {
    await expect(verifier.verify(await signHs256(undefined, SECRET, null))).rejects.toThrow(
      InvalidTokenError,
    );
  });

  it('rejects a token whose claims name no client', async () => {
    await expect(verifier.verify(await signHs256({ scope: 'job:read' }))).rejects.toThrow(
      InvalidTokenError,
    );
  });

  it('rejects a string that is not a JWT', async () => {
    await expect(verifier.verify('not.a.jwt')).rejects.toThrow(InvalidTokenError);
  });
});

describe('TokenVerifier with an issuer and an audience', () => {
  const verifier = new TokenVerifier(
    configWith({
      AUTH_JWT_SECRET: SECRET,
      AUTH_ISSUER: 'https://idp.example',
      AUTH_AUDIENCE: 'mis-jobs',
    }),
  );
  const base = { client_id: 'mis-1', scope: 'job:read' };

  it('accepts the right issuer and audience', async () => {
    const token = await signHs256({ ...base, iss: 'https://idp.example', aud: 'mis-jobs' });

    expect((await verifier.verify(token)).clientId).toBe('mis-1');
  });

  it.each<[string, JWTPayload]>([
    ['a wrong issuer', { iss: 'https://evil.example', aud: 'mis-jobs' }],
    ['no issuer', { aud: 'mis-jobs' }],
    ['a wrong audience', { iss: 'https://idp.example', aud: 'other-service' }],
    ['no audience', { iss: 'https://idp.example' }],
  ])('rejects %s', async (_, claims) => {
    await expect(verifier.verify(await signHs256({ ...base, ...claims }))).rejects.toThrow(
      InvalidTokenError,
    );
  });
});

describe('TokenVerifier with a JWKS', () => {
  let server: Server;
  let verifier: TokenVerifier;
  let privateKey: CryptoKey;
  let publicPem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    server = createServer((request, response) => {
      if (request.url !== '/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    verifier = new TokenVerifier(
      configWith({ AUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` }),
    );
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const claims = { client_id: 'mis-1', scope: 'job:read' };

  it('accepts an RS256 token signed with the published key', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setExpirationTime('5m')
      .sign(privateKey);

    const client = await verifier.verify(token);
    expect(client.clientId).toBe('mis-1');
    expect(client.scopes.has('job:read')).toBe(true);
  });

  it('rejects an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setExpirationTime('5m')
      .sign(bytes(publicPem));

    await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects an ES256 token from a key the set does not hold', async () => {
    const foreign = await generateKeyPair('ES256');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'key-1' })
      .setExpirationTime('5m')
      .sign(foreign.privateKey);

    await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
  });

  it('rejects an RS256 token signed by a key the set does not hold', async () => {
    const foreign = await generateKeyPair('RS256');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setExpirationTime('5m')
      .sign(foreign.privateKey);

    await expect(verifier.verify(token)).rejects.toThrow(InvalidTokenError);
  });
});
