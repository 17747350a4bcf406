import { ERROR_MESSAGES, missingScopesMessage } from '@app/http';
import { exportJWK, exportSPKI, generateKeyPair, JWK } from 'jose';
import { KeyObject } from 'node:crypto';
import { startTestApp, TEST_SECRET, TestApp } from '../support/test-app';
import { expectContractAnswer } from './support/contract-answer';
import { signRaw } from './support/forged-tokens';
import { JwksServer, startJwksServer } from './support/jwks-server';
import { injectRequest } from './support/send-request';
import { AttackKit, Claims, Outcome, TOKEN_ATTACKS, TokenMode } from './support/token-attack-cases';

const ISSUER = 'https://idp.hospital.example';
const AUDIENCE = 'mis-jobs';

const EXPECTED: Record<Outcome, (status: number, body: Record<string, unknown>) => void> = {
  accepted: (status, body) => {
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ status: 'pending' });
  },
  'invalid token': (status, body) => {
    expect(status).toBe(401);
    expect(body.error).toEqual({ type: 'access_denied', message: ERROR_MESSAGES.invalidToken });
  },
  'no bearer token': (status, body) => {
    expect(status).toBe(401);
    expect(body.error).toEqual({ type: 'access_denied', message: ERROR_MESSAGES.missingBearer });
  },
  'missing job:read': (status, body) => {
    expect(status).toBe(403);
    expect(body.error).toEqual({ type: 'forbidden', message: missingScopesMessage(['job:read']) });
  },
};

interface KeyPair {
  privateKey: KeyObject;
  publicJwk: JWK;
  publicPem: string;
}

async function keyPair(alg: 'RS256' | 'ES256', kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    // jose 6 generates Web Crypto keys; the forged tokens are signed with node:crypto.
    privateKey: KeyObject.from(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    publicPem: await exportSPKI(publicKey),
  };
}

/** A token's claims: a client of this service with job:read, for five minutes. */
function controlClaims(changes: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1000);
  const claims: Claims = {
    client_id: 'mis-1',
    scope: 'job:read',
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 300,
    ...changes,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return claims;
}

describe.each<[string, TokenMode]>([
  ['an HS256 shared secret', 'secret'],
  ['a JWKS with an RS256 and an ES256 key', 'jwks'],
])('token attacks on a service trusting %s', (_, mode) => {
  let t: TestApp;
  let jwks: JwksServer;
  let kit: AttackKit;
  let jobPath: string;
  let tokensTried = 0;
  const attacks = TOKEN_ATTACKS.filter((attack) => !attack.only || attack.only === mode);

  async function ask(authorization: string) {
    tokensTried += 1;
    const answer = await injectRequest(t.app, {
      route: { method: 'GET', url: '/api/jobs/:id' },
      method: 'GET',
      url: jobPath,
      headers: { authorization },
    });
    expectContractAnswer(answer, { route: '/api/jobs/:id', path: jobPath });
    return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
  }

  beforeAll(async () => {
    const [rsa, ec, stranger] = await Promise.all([
      keyPair('RS256', 'k1'),
      keyPair('ES256', 'k2'),
      keyPair('RS256', 'k1'),
    ]);
    jwks = await startJwksServer([rsa.publicJwk, ec.publicJwk], [stranger.publicJwk]);
    const keySettings =
      mode === 'secret'
        ? { AUTH_JWT_SECRET: TEST_SECRET }
        : { AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: jwks.url };
    t = await startTestApp({ ...keySettings, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
    const job = await t.jobs.insert({
      type: 'test.job',
      clientId: 'mis-1',
      payload: {},
      eta: new Date(Date.now() + 60_000),
    });
    jobPath = `/api/jobs/${job.id}`;

    const trustedHeader = mode === 'secret' ? { alg: 'HS256' } : { alg: 'RS256', kid: 'k1' };
    const signWithTrustedKey = (header: string, payload: string) =>
      mode === 'secret'
        ? signRaw(header, payload, 'HS256', { secret: TEST_SECRET })
        : signRaw(header, payload, 'RS256', { privateKey: rsa.privateKey });
    kit = {
      mode,
      claims: controlClaims,
      signWithTrustedKey,
      trustedHeader,
      valid: (changes, header = trustedHeader) =>
        signWithTrustedKey(JSON.stringify(header), JSON.stringify(controlClaims(changes))),
      secret: TEST_SECRET,
      trustedRsaKey: rsa.privateKey,
      trustedEcKey: ec.privateKey,
      publicPem: rsa.publicPem,
      publicJwk: rsa.publicJwk,
      strangerKey: stranger.privateKey,
      strangerJwk: stranger.publicJwk,
      otherJwksUrl: jwks.otherUrl,
    };
  });

  afterAll(async () => {
    await t.close();
    await jwks.close();
    console.log(`token attacks (${mode}): ${attacks.length} attacks, ${tokensTried} tokens tried`);
  });

  it.each(attacks.map((attack) => [attack.name, attack] as const))('%s', async (__, attack) => {
    // The control first, on the same application: the refusal is then about this token only.
    const control = await ask(`Bearer ${kit.valid()}`);
    EXPECTED.accepted(control.status, control.body);
    const { status, body } = await ask(attack.authorization(kit));
    EXPECTED[attack.outcome](status, body);
  });

  it('never fetched the key set a token pointed at', () => {
    expect(jwks.fetches.other).toBe(0);
    if (mode === 'jwks') expect(jwks.fetches.trusted).toBeGreaterThan(0);
  });
});
