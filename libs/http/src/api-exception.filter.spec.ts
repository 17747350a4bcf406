import {
  ArgumentsHost,
  BadRequestException,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { ApiException } from './api.exception';
import { ApiExceptionFilter } from './api-exception.filter';
import { PUBLIC_ADDRESS } from './envelope';
import { InvalidEntry } from './envelope.schema';
import { MalformedJsonError } from './json-body';

const REQUEST_ID = 'req-0123456789abcdefghij';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface FakeReply {
  sent: boolean;
  statusCode?: number;
  sentHeaders: Record<string, string>;
  contentType?: string;
  body?: unknown;
  code(status: number): FakeReply;
  headers(values: Record<string, string>): FakeReply;
  type(value: string): FakeReply;
  send(body: unknown): FakeReply;
}

function fakeReply(): FakeReply {
  const reply: FakeReply = {
    sent: false,
    sentHeaders: {},
    code(status) {
      reply.statusCode = status;
      return reply;
    },
    headers(values) {
      Object.assign(reply.sentHeaders, values);
      return reply;
    },
    type(value) {
      reply.contentType = value;
      return reply;
    },
    send(body) {
      reply.body = body;
      reply.sent = true;
      return reply;
    },
  };
  return reply;
}

function hostFor(reply: FakeReply, url = '/path?token=secret&x=1'): ArgumentsHost {
  const server = { [PUBLIC_ADDRESS]: { url: 'http://localhost:3000', trustProxy: false } };
  const request = { id: REQUEST_ID, url, method: 'GET', headers: {}, server };
  const http = { getRequest: () => request, getResponse: () => reply, getNext: () => undefined };
  return { switchToHttp: () => http } as unknown as ArgumentsHost;
}

function renderThrough(exception: unknown): FakeReply {
  const reply = fakeReply();
  new ApiExceptionFilter().catch(exception, hostFor(reply));
  return reply;
}

function metaFor(code: number) {
  return { code, url: 'http://localhost:3000/path', type: 'object', request_id: REQUEST_ID };
}

describe('ApiExceptionFilter', () => {
  let logged: jest.SpyInstance;

  beforeEach(() => {
    logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => jest.restoreAllMocks());

  it('renders a body that fails to parse as request_malformed with the json rule', () => {
    const reply = renderThrough(new MalformedJsonError('Unexpected token } in JSON'));

    expect(reply.statusCode).toBe(400);
    expect(reply.body).toEqual({
      error: {
        type: 'request_malformed',
        message: 'Malformed request. Probably, you have sent corrupted JSON.',
        invalid: [{ entry_type: 'request', rules: [{ rule: 'json' }] }],
      },
      meta: metaFor(400),
    });
  });

  it.each([
    [
      'its own sentence',
      new HttpException('Request body size did not match Content-Length', 400),
      'Request body size did not match Content-Length',
    ],
    ['a generic sentence when it has none', new BadRequestException(), 'Malformed request.'],
  ])(
    'renders any other 400 as request_malformed with %s, never the json rule',
    (_, exception, message) => {
      const reply = renderThrough(exception);

      expect(reply.statusCode).toBe(400);
      expect(reply.body).toEqual({
        error: { type: 'request_malformed', message },
        meta: metaFor(400),
      });
    },
  );

  it.each([
    [405, 'method_not_allowed'],
    [408, 'request_timeout'],
    [431, 'request_headers_too_large'],
  ])('gives %s a type of its own: %s', (status, type) => {
    const reply = renderThrough(new HttpException('x', status));

    expect(reply.statusCode).toBe(status);
    expect((reply.body as { error: { type: string } }).error.type).toBe(type);
  });

  it('sends JSON with the status it renders', () => {
    const reply = renderThrough(new HttpException('nope', 400));

    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.sent).toBe(true);
  });

  it.each([
    [
      'no bearer token',
      ApiException.missingBearer(),
      "Authorization header is not set or doesn't contain Bearer token",
    ],
    ['a bad token', ApiException.invalidToken(), 'Invalid access token'],
  ])('renders %s as 401 access_denied with the exact message', (_, exception, message) => {
    const reply = renderThrough(exception);

    expect(reply.statusCode).toBe(401);
    expect(reply.body).toEqual({ error: { type: 'access_denied', message }, meta: metaFor(401) });
  });

  it('renders missing scopes as 403 forbidden listing them joined by a comma', () => {
    const reply = renderThrough(ApiException.missingScopes(['job:read', 'encounter:write']));

    expect(reply.statusCode).toBe(403);
    expect(reply.body).toEqual({
      error: {
        type: 'forbidden',
        message:
          'Your scope does not allow to access this resource. Missing allowances: job:read, encounter:write',
      },
      meta: metaFor(403),
    });
  });

  it('renders an unknown route as 404 not_found without the framework text', () => {
    const reply = renderThrough(new NotFoundException('Cannot GET /path?token=secret&x=1'));

    expect(reply.statusCode).toBe(404);
    expect(reply.body).toEqual({
      error: { type: 'not_found', message: expect.any(String) },
      meta: metaFor(404),
    });
    expect(JSON.stringify(reply.body)).not.toContain('Cannot GET');
  });

  it('renders ApiException.notFound with its own sentence', () => {
    const reply = renderThrough(ApiException.notFound('Job not found.'));

    expect(reply.body).toEqual({
      error: { type: 'not_found', message: 'Job not found.' },
      meta: metaFor(404),
    });
  });

  it('renders a framework 409 as request_conflict with the generic sentence', () => {
    const reply = renderThrough(new HttpException('duplicate key', 409));

    expect(reply.statusCode).toBe(409);
    expect(reply.body).toEqual({
      error: {
        type: 'request_conflict',
        message:
          'The request could not be completed due to a conflict with the current state of the resource.',
      },
      meta: metaFor(409),
    });
  });

  it('renders ApiException.conflict with its specific message', () => {
    const reply = renderThrough(ApiException.conflict('The episode is already closed.'));

    expect(reply.statusCode).toBe(409);
    expect(reply.body).toMatchObject({
      error: { type: 'request_conflict', message: 'The episode is already closed.' },
    });
  });

  it('renders 413 as request_too_large with the exact message', () => {
    const reply = renderThrough(new HttpException('body limit exceeded', 413));

    expect(reply.statusCode).toBe(413);
    expect(reply.body).toEqual({
      error: { type: 'request_too_large', message: 'Request body is too large.' },
      meta: metaFor(413),
    });
  });

  it('renders 415 as content_type_invalid with the exact message', () => {
    const reply = renderThrough(new HttpException('Unsupported Media Type: text/plain', 415));

    expect(reply.statusCode).toBe(415);
    expect(reply.body).toEqual({
      error: {
        type: 'content_type_invalid',
        message: "Invalid Content-Type header. Try to set 'Content-Type: application/json' header.",
      },
      meta: metaFor(415),
    });
  });

  it('renders a validation failure as 422 with the exact message and every invalid entry', () => {
    const invalid: InvalidEntry[] = [
      {
        entry_type: 'json_data_property',
        entry: '$.encounter.period.start',
        rules: [
          { rule: 'required', params: [], description: 'required property start was not present' },
        ],
      },
      {
        entry_type: 'json_data_property',
        entry: '$.items.[0].code',
        rules: [{ rule: 'cast', params: ['string'], description: 'code must be a string' }],
      },
    ];
    const reply = renderThrough(ApiException.validationFailed(invalid));

    expect(reply.statusCode).toBe(422);
    expect(reply.body).toEqual({
      error: {
        type: 'validation_failed',
        message:
          'Validation failed. You can find validators description at our API Manifest: http://docs.apimanifest.apiary.io/#introduction/interacting-with-api/errors.',
        invalid,
      },
      meta: metaFor(422),
    });
  });

  it('renders a framework 429 as too_many_requests', () => {
    const reply = renderThrough(new HttpException('ThrottlerException: Too Many Requests', 429));

    expect(reply.statusCode).toBe(429);
    expect(reply.body).toMatchObject({ error: { type: 'too_many_requests' }, meta: metaFor(429) });
    expect(JSON.stringify(reply.body)).not.toContain('ThrottlerException');
  });

  it('sends the headers an ApiException carries, such as Retry-After', () => {
    const exception = new ApiException('too_many_requests', 'Slow down.', undefined, {
      'retry-after': '7',
    });
    const reply = renderThrough(exception);

    expect(reply.statusCode).toBe(429);
    expect(reply.sentHeaders).toEqual({ 'retry-after': '7', 'x-request-id': REQUEST_ID });
  });

  describe('an unexpected error', () => {
    const secret = new Error('relation missing in SELECT * FROM secrets WHERE token = 42');

    it('renders 500 internal_error with an error id and none of the error text', () => {
      const reply = renderThrough(secret);
      const body = reply.body as { error: { type: string; message: string } };

      expect(reply.statusCode).toBe(500);
      expect(body).toEqual({
        error: { type: 'internal_error', message: expect.stringMatching(UUID) },
        meta: metaFor(500),
      });
      expect(body.error.message).not.toContain('SELECT');
      expect(body.error.message).not.toContain('secrets');
    });

    it('logs the same error id with the request id and the stack', () => {
      const reply = renderThrough(secret);
      const errorId = (reply.body as { error: { message: string } }).error.message.match(UUID)?.[0];

      expect(errorId).toBeDefined();
      expect(logged).toHaveBeenCalledTimes(1);
      const [fields, detail] = logged.mock.calls[0] as [object, string];
      expect(fields).toEqual({ request_id: REQUEST_ID, error_id: errorId });
      expect(detail).toContain('SELECT * FROM secrets');
    });

    it('gives every error its own id', () => {
      const first = renderThrough(secret).body as { error: { message: string } };
      const second = renderThrough(secret).body as { error: { message: string } };

      expect(first.error.message.match(UUID)?.[0]).not.toBe(second.error.message.match(UUID)?.[0]);
    });

    it('renders a thrown non-Error value as 500 too', () => {
      const reply = renderThrough('a string was thrown');

      expect(reply.statusCode).toBe(500);
      expect(JSON.stringify(reply.body)).not.toContain('a string was thrown');
    });
  });

  it('renders a 5xx HttpException as a logged 500 internal_error hiding its message', () => {
    const reply = renderThrough(new HttpException('db password is hunter2', 500));

    expect(reply.statusCode).toBe(500);
    expect(reply.body).toMatchObject({ error: { type: 'internal_error' }, meta: metaFor(500) });
    expect(JSON.stringify(reply.body)).not.toContain('hunter2');
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('renders an error its dependency says is unavailable as 503 with Retry-After, else as 500', () => {
    const lost = Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' });
    const unavailable = { isUnavailable: (error: unknown) => error === lost };
    const rendered = new ApiExceptionFilter(unavailable).render(lost);
    expect(rendered).toMatchObject({
      status: 503,
      body: { type: 'service_unavailable' },
      headers: { 'retry-after': '5' },
    });
    expect(new ApiExceptionFilter().render(lost).status).toBe(500);
  });

  it('renders a framework 503 as service_unavailable', () => {
    const reply = renderThrough(new HttpException('connection refused', 503));

    expect(reply.statusCode).toBe(503);
    expect(reply.body).toEqual({
      error: {
        type: 'service_unavailable',
        message:
          'The service is temporarily unavailable. Retry after the time given in the Retry-After header.',
      },
      meta: metaFor(503),
    });
  });

  it('renders an ApiException service_unavailable as 503 with its Retry-After', () => {
    const exception = new ApiException('service_unavailable', 'Database unreachable.', undefined, {
      'retry-after': '5',
    });
    const reply = renderThrough(exception);

    expect(reply.statusCode).toBe(503);
    expect(reply.sentHeaders).toEqual({ 'retry-after': '5', 'x-request-id': REQUEST_ID });
    expect(reply.body).toEqual({
      error: { type: 'service_unavailable', message: 'Database unreachable.' },
      meta: metaFor(503),
    });
  });

  it('keeps the path but not the query string in meta.url', () => {
    const reply = fakeReply();
    new ApiExceptionFilter().catch(ApiException.notFound(), hostFor(reply, '/api/jobs/abc?wait=1'));

    expect((reply.body as { meta: { url: string } }).meta.url).toBe(
      'http://localhost:3000/api/jobs/abc',
    );
  });

  it('leaves a reply that was already sent alone', () => {
    const reply = fakeReply();
    reply.sent = true;
    const code = jest.spyOn(reply, 'code');

    new ApiExceptionFilter().catch(new Error('late'), hostFor(reply));

    expect(code).not.toHaveBeenCalled();
    expect(reply.body).toBeUndefined();
  });
});
