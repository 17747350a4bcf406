import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { JwksServer, startJwksServer } from './reliability/support/jwks-server';
import { signTestToken, startTestApp, TestApp } from './support/test-app';

const MISSING = "Authorization header is not set or doesn't contain Bearer token";
const INVALID = 'Invalid access token';

describe('Authentication and scopes on GET /api/jobs/:id', () => {
  let t: TestApp;
  let jobId: string;
  const get = (authorization?: string) => {
    const req = request(t.app.getHttpServer()).get(`/api/jobs/${jobId}`);
    return authorization === undefined ? req : req.set('authorization', authorization);
  };
  const expectDenied = async (authorization: string | undefined, message: string) => {
    const res = await get(authorization).expect(401);
    expect(res.body.error).toEqual({ type: 'access_denied', message });
    expect(res.body.meta.code).toBe(401);
  };
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await startTestApp();
    const job = await t.jobs.insert({
      type: 'test.job',
      clientId: 'mis-1',
      payload: {},
      eta: new Date(Date.now() + 10_000),
    });
    jobId = job.id;
  });
  afterAll(() => t.close());

  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['a Basic credential', 'Basic bWlzOnNlY3JldA=='],
    ['Bearer without a token', 'Bearer '],
  ])('401 %s', async (_, header) => {
    await expectDenied(header, MISSING);
  });

  it('401 for a token signed with another secret', async () => {
    const token = await signTestToken({}, 'another-secret-0123456789abcdef0123456789');
    await expectDenied(`Bearer ${token}`, INVALID);
  });

  it('401 for an expired token', async () => {
    await expectDenied(`Bearer ${await signTestToken({ exp: now() - 10 })}`, INVALID);
  });

  it('401 for a token not valid yet', async () => {
    await expectDenied(`Bearer ${await signTestToken({ nbf: now() + 600 })}`, INVALID);
  });

  it('401 for a token without exp', async () => {
    const token = await new SignJWT({ client_id: 'mis-1', scope: 'job:read' })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(
        new TextEncoder().encode(
          t.config.auth.key.kind === 'secret' ? t.config.auth.key.secret : '',
        ),
      );
    await expectDenied(`Bearer ${token}`, INVALID);
  });

  it('401 for an unsigned token (alg none)', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ client_id: 'mis-1', scope: 'job:read', exp: now() + 60 })}.`;
    await expectDenied(`Bearer ${token}`, INVALID);
  });

  it('401 for a tampered payload', async () => {
    const [header, , signature] = (await signTestToken()).split('.');
    const payload = Buffer.from(
      JSON.stringify({ client_id: 'mis-2', scope: 'job:read', exp: now() + 60 }),
    ).toString('base64url');
    await expectDenied(`Bearer ${header}.${payload}.${signature}`, INVALID);
  });

  it('401 for a token that names no client', async () => {
    const token = await signTestToken({ client_id: undefined });
    await expectDenied(`Bearer ${token}`, INVALID);
  });

  it('403 naming the missing scope when the token lacks job:read', async () => {
    for (const scope of ['', 'encounter:write', 'job:read2 job:reads job:write']) {
      const res = await get(`Bearer ${await signTestToken({ scope })}`).expect(403);
      expect(res.body.error).toEqual({
        type: 'forbidden',
        message: 'Your scope does not allow to access this resource. Missing allowances: job:read',
      });
    }
  });

  it('accepts job:read from scope (space-separated) or scp (array)', async () => {
    await get(`Bearer ${await signTestToken({ scope: 'encounter:write job:read' })}`).expect(200);
    await get(`Bearer ${await signTestToken({ scope: undefined, scp: ['job:read'] })}`).expect(200);
    await get(`bearer ${await signTestToken()}`).expect(200);
  });

  it('401 for scope smuggled in the wrong shape', async () => {
    await expectDenied(`Bearer ${await signTestToken({ scope: ['job:read'] })}`, INVALID);
    await expectDenied(
      `Bearer ${await signTestToken({ scope: undefined, scp: 'job:read' })}`,
      INVALID,
    );
  });

  it('takes the client from client_id, then azp, then sub', async () => {
    const azp = await signTestToken({ client_id: undefined, azp: 'mis-1', sub: 'someone' });
    const sub = await signTestToken({ client_id: undefined, sub: 'mis-1' });
    const other = await signTestToken({ client_id: undefined, azp: 'mis-2', sub: 'mis-1' });
    await get(`Bearer ${azp}`).expect(200);
    await get(`Bearer ${sub}`).expect(200);
    await get(`Bearer ${other}`).expect(404);
  });
});

describe('Authentication while the key server is down (AUTH_JWKS_URL)', () => {
  let t: TestApp | undefined;
  let jwks: JwksServer;
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    pair = await generateKeyPair('ES256');
  });
  afterEach(() => t?.close());

  /** The app trusting a key server that publishes the key pair, and a pending job of mis-1. */
  async function start(): Promise<{ get: (token: string) => request.Test }> {
    jwks = await startJwksServer([
      { ...(await exportJWK(pair.publicKey)), kid: 'known', alg: 'ES256' },
    ]);
    const app = await startTestApp({ AUTH_JWT_SECRET: undefined, AUTH_JWKS_URL: jwks.url });
    t = app;
    const job = await app.jobs.insert({
      type: 'test.job',
      clientId: 'mis-1',
      payload: {},
      eta: new Date(Date.now() + 10_000),
    });
    return {
      get: (token) =>
        request(app.app.getHttpServer())
          .get(`/api/jobs/${job.id}`)
          .set('authorization', `Bearer ${token}`),
    };
  }
  const token = () =>
    new SignJWT({ client_id: 'mis-1', scope: 'job:read', jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'known' })
      .setExpirationTime('5m')
      .sign(pair.privateKey);

  it('keeps accepting tokens signed with a key fetched before', async () => {
    const { get } = await start();
    await get(await token()).expect(200);
    await jwks.close();
    await get(await token()).expect(200);
  });

  it('answers 503 with Retry-After, not 401, for a token whose key cannot be fetched', async () => {
    const { get } = await start();
    await jwks.close();
    const res = await get(await token()).expect(503);
    expect(res.body.error.type).toBe('service_unavailable');
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });
});

describe('Tokens for this service only (AUTH_ISSUER and AUTH_AUDIENCE with a JWKS)', () => {
  let t: TestApp;
  let jwks: JwksServer;
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;
  let jobId: string;

  beforeAll(async () => {
    pair = await generateKeyPair('ES256');
    jwks = await startJwksServer([
      { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256' },
    ]);
    t = await startTestApp({
      NODE_ENV: 'production',
      AUTH_JWT_SECRET: undefined,
      AUTH_JWKS_URL: jwks.url,
      AUTH_ISSUER: 'https://idp.hospital.example',
      AUTH_AUDIENCE: 'mis-jobs',
    });
    jobId = (
      await t.jobs.insert({
        type: 'test.job',
        clientId: 'mis-1',
        payload: {},
        eta: new Date(Date.now() + 10_000),
      })
    ).id;
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });

  const tokenFor = (audience: string) =>
    new SignJWT({ client_id: 'mis-1', scope: 'job:read' })
      .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
      .setIssuer('https://idp.hospital.example')
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(pair.privateKey);
  const get = async (audience: string) =>
    request(t.app.getHttpServer())
      .get(`/api/jobs/${jobId}`)
      .set('authorization', `Bearer ${await tokenFor(audience)}`);

  it('accepts a token the identity provider issued for this service', async () => {
    expect((await get('mis-jobs')).status).toBe(200);
  });

  it('refuses, 401, a token of the same issuer and scope issued for another application', async () => {
    const res = await get('hospital-portal');
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ type: 'access_denied', message: 'Invalid access token' });
  });
});
