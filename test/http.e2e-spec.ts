import request from 'supertest';
import { declaredRoutes } from './support/declared-routes';
import { startTestApp, TestApp } from './support/test-app';

const VALIDATION_MESSAGE =
  'Validation failed. You can find validators description at our API Manifest: http://docs.apimanifest.apiary.io/#introduction/interacting-with-api/errors.';

describe('HTTP conventions (SPEC sections 2 and 3)', () => {
  let t: TestApp;
  let token: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL: 'http://mis.hospital.local:3000' });
    token = await t.token();
  });
  afterAll(() => t.close());

  describe('envelope and request id', () => {
    it('wraps a success as data with meta.url, meta.code, meta.type and a new request id', async () => {
      const res = await http().get('/api/probe/search?limit=5').expect(200);
      expect(res.body).toEqual({
        data: [{ limit: 5 }],
        meta: {
          code: 200,
          url: 'http://mis.hospital.local:3000/api/probe/search',
          type: 'list',
          request_id: res.headers['x-request-id'],
        },
      });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('echoes a caller request id of 20 to 200 visible characters in the header and meta', async () => {
      for (const id of ['req-adasdoijasdojsda', 'x'.repeat(200), 'MIS:42/visit#7?a=b&c=[d]']) {
        const res = await http().get('/api/jobs/unknown').set('x-request-id', id);
        expect(res.headers['x-request-id']).toBe(id);
        expect(res.body.meta.request_id).toBe(id);
      }
    });

    it.each([
      ['too short', 'short-id'],
      ['too long', 'y'.repeat(201)],
      ['not visible ASCII', 'request id with spaces ok?'],
    ])('replaces a request id that is %s', async (_, id) => {
      const res = await http().get('/api/jobs/unknown').set('x-request-id', id);
      expect(res.headers['x-request-id']).not.toBe(id);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.meta.request_id).toBe(res.headers['x-request-id']);
    });

    it('builds meta.url from PUBLIC_URL, never from the Host a client sent', async () => {
      const res = await http().get('/api/jobs/unknown').set('host', 'evil.example');
      expect(res.body.meta.url).toBe('http://mis.hospital.local:3000/api/jobs/unknown');
      expect(res.text).not.toContain('evil.example');
    });

    it('ignores X-Forwarded-Proto and -Host when no proxy is trusted', async () => {
      const res = await http()
        .get('/api/jobs/unknown?x=1')
        .set('x-forwarded-proto', 'https')
        .set('x-forwarded-host', 'mis.example.org');
      expect(res.body.meta.url).toBe('http://mis.hospital.local:3000/api/jobs/unknown');
    });

    it('carries data on 303 and error on 4xx, never both', async () => {
      const res = await http().get('/api/jobs/unknown').set('authorization', `Bearer ${token}`);
      expect(res.status).toBe(404);
      expect(res.body).toHaveProperty('error');
      expect(res.body).not.toHaveProperty('data');
    });
  });

  describe('the shared error filter', () => {
    it('answers an unknown route with 404 not_found in the envelope', async () => {
      const res = await http().get('/api/nothing/here').expect(404);
      expect(res.body).toEqual({
        error: { type: 'not_found', message: expect.any(String) },
        meta: expect.objectContaining({
          code: 404,
          url: 'http://mis.hospital.local:3000/api/nothing/here',
        }),
      });
    });

    it('answers malformed JSON with 400 request_malformed and the json rule', async () => {
      const res = await http()
        .post('/api/probe/echo')
        .set('content-type', 'application/json')
        .send('{"name": "x", ')
        .expect(400);
      expect(res.body.error).toEqual({
        type: 'request_malformed',
        message: 'Malformed request. Probably, you have sent corrupted JSON.',
        invalid: [{ entry_type: 'request', rules: [{ rule: 'json' }] }],
      });
      expect(res.body.meta.code).toBe(400);
    });

    it('answers an empty JSON body as corrupted JSON too', async () => {
      const res = await http()
        .post('/api/probe/echo')
        .set('content-type', 'application/json')
        .expect(400);
      expect(res.body.error.message).toBe(
        'Malformed request. Probably, you have sent corrupted JSON.',
      );
    });

    it.each(['QUERY', 'PUT', 'DELETE', 'OPTIONS'])(
      'answers %s, which no route serves, with 405 method_not_allowed and Allow, not corrupted JSON',
      async (method) => {
        const res = await http()[method.toLowerCase() as 'get'](`/api/anything`);
        expect(res.status).toBe(405);
        // Every method some route serves (HEAD with GET), whichever modules the service has.
        const served = new Set([
          'HEAD',
          ...declaredRoutes(t.app).map((r) => r.method.toUpperCase()),
        ]);
        expect(served).not.toContain(method);
        expect(res.headers.allow).toBe([...served].sort().join(', '));
        expect(res.body).toEqual({
          error: {
            type: 'method_not_allowed',
            message: `The method ${method} is not allowed here.`,
          },
          meta: expect.objectContaining({ code: 405, request_id: res.headers['x-request-id'] }),
        });
      },
    );

    it('answers a body nested too deep with 400 request_malformed saying so', async () => {
      let nested: unknown = 'x';
      for (let level = 0; level < 70; level++) nested = [nested];
      const res = await http()
        .post('/api/probe/echo')
        .send({ name: 'x', items: nested })
        .expect(400);
      expect(res.body.error).toEqual({
        type: 'request_malformed',
        message: 'The request body nests objects and arrays deeper than 64 levels.',
      });
    });

    it('answers a body that is not JSON with 415 content_type_invalid', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await http().post('/api/probe/echo').set('content-type', type).send('name=x');
        expect(res.status).toBe(415);
        expect(res.body.error).toEqual({
          type: 'content_type_invalid',
          message:
            "Invalid Content-Type header. Try to set 'Content-Type: application/json' header.",
        });
      }
    });

    it('answers a body over the limit with 413 request_too_large', async () => {
      const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), items: [] });
      const res = await http()
        .post('/api/probe/echo')
        .set('content-type', 'application/json')
        .send(huge)
        .expect(413);
      expect(res.body.error).toEqual({
        type: 'request_too_large',
        message: 'Request body is too large.',
      });
    });

    it('answers an invalid body with 422 listing every failing property with its full path', async () => {
      const res = await http()
        .post('/api/probe/echo')
        .send({ name: 7, items: [{ role: 'primary' }, { role: 'chief', rank: 0 }], extra: true })
        .expect(422);
      expect(res.body.error.type).toBe('validation_failed');
      expect(res.body.error.message).toBe(VALIDATION_MESSAGE);
      const rules = Object.fromEntries(
        res.body.error.invalid.map((entry: { entry: string; rules: { rule: string }[] }) => [
          entry.entry,
          entry.rules.map((rule) => rule.rule),
        ]),
      );
      expect(rules).toEqual({
        '$.name': ['cast'],
        '$.extra': ['schema'],
        '$.items.[1].role': ['inclusion'],
        '$.items.[1].rank': ['number'],
      });
      for (const entry of res.body.error.invalid) {
        expect(entry.entry_type).toBe('json_data_property');
      }
    });

    it('answers a missing property as rule required', async () => {
      const res = await http()
        .post('/api/probe/echo')
        .send({ items: [{ role: 'primary' }] });
      expect(res.status).toBe(422);
      expect(res.body.error.invalid).toEqual([
        {
          entry_type: 'json_data_property',
          entry: '$.name',
          rules: [
            { rule: 'required', params: [], description: 'required property name was not present' },
          ],
        },
      ]);
    });

    it.each([
      ['an array', '[{"name":"x","items":[]}]'],
      ['a string', '"name"'],
      ['null', 'null'],
    ])('answers a body that is %s instead of an object with 422 cast at $', async (_, body) => {
      const res = await http()
        .post('/api/probe/echo')
        .set('content-type', 'application/json')
        .send(body)
        .expect(422);
      expect(res.body.error.invalid).toEqual([
        {
          entry_type: 'json_data_property',
          entry: '$',
          rules: [
            {
              rule: 'cast',
              params: ['object'],
              description: 'the request body must be a JSON object',
            },
          ],
        },
      ]);
    });

    it('validates query strings as query_parameter entries with the bare name', async () => {
      const res = await http().get('/api/probe/search?limit=500&sort=desc').expect(422);
      const entries = res.body.error.invalid.map((entry: { entry_type: string; entry: string }) => [
        entry.entry_type,
        entry.entry,
      ]);
      expect(entries).toEqual(
        expect.arrayContaining([
          ['query_parameter', 'limit'],
          ['query_parameter', 'sort'],
        ]),
      );
    });

    it('answers an unexpected crash with a generic 500 carrying an error id, never the error text', async () => {
      const res = await http().get('/api/probe/crash').expect(500);
      expect(res.body.error.type).toBe('internal_error');
      expect(res.body.error.message).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT|secrets|relation|constraint|\.ts:\d+/);
      expect(res.body.meta.code).toBe(500);
    });
  });
});

describe('HTTP conventions behind a trusted proxy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true', PUBLIC_URL: 'https://mis.hospital.example' });
  });
  afterAll(() => t.close());
  const get = () => request(t.app.getHttpServer()).get('/api/jobs/unknown?page=2');

  it('builds meta.url from X-Forwarded-Proto and -Host', async () => {
    const res = await get()
      .set('x-forwarded-proto', 'http')
      .set('x-forwarded-host', 'mis.example.org');
    expect(res.body.meta.url).toBe('http://mis.example.org/api/jobs/unknown');
  });

  it('takes the scheme of PUBLIC_URL when only the host is forwarded', async () => {
    const res = await get().set('x-forwarded-host', 'mis.example.org');
    expect(res.body.meta.url).toBe('https://mis.example.org/api/jobs/unknown');
  });

  it('falls back to PUBLIC_URL, not the Host header, when nothing is forwarded', async () => {
    const res = await get().set('host', 'evil.example');
    expect(res.body.meta.url).toBe('https://mis.hospital.example/api/jobs/unknown');
  });
});

describe('meta.url without PUBLIC_URL', () => {
  it('is the listen address, whatever Host the client sent', async () => {
    const t = await startTestApp({ PORT: '8081' });
    try {
      const res = await request(t.app.getHttpServer())
        .get('/api/jobs/unknown')
        .set('host', 'evil.example');
      expect(res.body.meta.url).toBe('http://localhost:8081/api/jobs/unknown');
    } finally {
      await t.close();
    }
  });

  it('keeps the path prefix of a PUBLIC_URL behind a gateway', async () => {
    const t = await startTestApp({ PUBLIC_URL: 'https://gateway.example/jobs-api/' });
    try {
      const res = await request(t.app.getHttpServer()).get('/api/jobs/unknown');
      expect(res.body.meta.url).toBe('https://gateway.example/jobs-api/api/jobs/unknown');
    } finally {
      await t.close();
    }
  });
});

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
  });
  afterAll(() => t.close());
  const http = () => request(t.app.getHttpServer());

  const expectSecurityHeaders = (res: request.Response) => {
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  };

  it.each([
    ['a success', () => http().get('/api/probe/search?limit=1'), 200],
    ['a 401', () => http().get('/api/jobs/NBXk9EyErUZv1RhXgyvgg'), 401],
    ['an unknown route', () => http().get('/api/nothing'), 404],
    ['a path the router cannot decode', () => http().get('/api/%ff'), 404],
    ['a method no route serves', () => http().put('/api/jobs/x'), 405],
    ['a probe', () => http().get('/health/live'), 200],
  ])('are on %s', async (_, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    expectSecurityHeaders(res);
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none';frame-ancestors 'none'",
    );
  });

  it('let the OpenAPI UI page load its own scripts and styles, and nothing else', async () => {
    const res = await http().get('/api/docs').expect(200);
    expectSecurityHeaders(res);
    const csp = res.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toMatch(/https?:/);
  });

  it('add HSTS only when the request came over TLS through the trusted proxy', async () => {
    const tls = await http().get('/health/live').set('x-forwarded-proto', 'https');
    expect(tls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const plain = await http().get('/health/live');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('HSTS without a trusted proxy', () => {
  it('is never sent, whatever X-Forwarded-Proto says', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.app.getHttpServer())
        .get('/health/live')
        .set('x-forwarded-proto', 'https');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
