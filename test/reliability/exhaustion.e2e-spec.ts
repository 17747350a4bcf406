import { ERROR_MESSAGES } from '@app/http';
import { JobsService } from '@app/jobs';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, TestApp } from '../support/test-app';
import { TestGates } from '../support/test-jobs.module';
import { waitFor } from '../support/wait-for';
import { sized } from './size';
import { Answer, expectContractAnswer } from './support/contract-answer';
import { listenLocally, LongPolls } from './support/long-polls';
import { RawConnection } from './support/raw-connection';

const JOB_ROUTE = '/api/jobs/:id';
const ECHO = '/api/probe/echo';
const RECEIVE_TIMEOUT_SECONDS = 2;
const BODY_LIMIT_BYTES = 2048;
/** Room for a slow client to be cut off: the timeout, the deadline check, a loaded machine. */
const SLOW_CLIENT_TEST_MS = 20_000;

const requestHead = (headers: Record<string, string | number>) =>
  `POST ${ECHO} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
  Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  '\r\n';

function expectRefusal(answer: Answer | undefined, route: string, status: number) {
  expect(answer?.status).toBe(status);
  expectContractAnswer(answer!, { route });
  return JSON.parse(answer!.body) as { error: { type: string; message: string } };
}

/** The test app's public URL: where callers reach it, whatever address they connected to. */
const PUBLIC_URL = 'http://localhost:3000';

/**
 * What the connection itself refused (a receive timeout, oversized headers), in the envelope, with
 * the types of their own (`request_timeout`, `request_headers_too_large`).
 */
function expectConnectionRefusal(
  answer: Answer | undefined,
  status: 408 | 431,
  message: string,
  url: RegExp,
) {
  expect(answer?.status).toBe(status);
  expect(answer!.headers['content-type']).toMatch(/^application\/json/);
  expect(answer!.headers['x-content-type-options']).toBe('nosniff');
  const type = status === 408 ? 'request_timeout' : 'request_headers_too_large';
  expect(JSON.parse(answer!.body)).toEqual({
    error: { type, message },
    meta: {
      code: status,
      url: expect.stringMatching(url),
      type: 'object',
      request_id: answer!.headers['x-request-id'],
    },
  });
}

const expectTimedOut = (answer: Answer | undefined, url: RegExp) =>
  expectConnectionRefusal(answer, 408, 'The request was not received in time.', url);

describe('resource exhaustion, with small limits', () => {
  let t: TestApp;
  let port: number;
  let polls: LongPolls;
  let jobs: JobsService;
  let gates: TestGates;
  const tokens: Record<string, string> = {};
  const pendingJob = async (clientId: string, gate: string) =>
    (await jobs.enqueue('test.gate', { gate }, { clientId })).job.id;

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_POLL_INTERVAL_SECONDS: '300',
      LONG_POLL_MAX_WAITERS: '3',
      LONG_POLL_MAX_WAITERS_PER_CLIENT: '2',
      REQUEST_RECEIVE_TIMEOUT_SECONDS: String(RECEIVE_TIMEOUT_SECONDS),
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
    });
    port = await listenLocally(t.app);
    polls = new LongPolls(t.app, port);
    jobs = t.app.get(JobsService);
    gates = t.app.get(TestGates);
    for (const client of ['mis-a', 'mis-b', 'mis-c']) {
      tokens[client] = await t.token({ client_id: client });
    }
  });
  afterAll(async () => {
    polls.close();
    await t.close();
  }, 30_000);

  describe('long-poll waiters', () => {
    it('are capped per client and overall with 429, and admitted again once earlier ones finish', async () => {
      const [a1, b1, c1] = [
        await pendingJob('mis-a', 'cap-a1'),
        await pendingJob('mis-b', 'cap-b1'),
        await pendingJob('mis-c', 'cap-c1'),
      ];
      const held = [polls.poll(a1, tokens['mis-a'], 30), polls.poll(a1, tokens['mis-a'], 30)];
      await polls.untilHeld(2);

      const perClient = expectRefusal(await polls.poll(a1, tokens['mis-a'], 30), JOB_ROUTE, 429);
      expect(perClient.error.type).toBe('too_many_requests');
      // Another client still gets a slot, up to the process's cap.
      held.push(polls.poll(b1, tokens['mis-b'], 30));
      await polls.untilHeld(3);
      const overall = await polls.poll(c1, tokens['mis-c'], 30);
      expect(expectRefusal(overall, JOB_ROUTE, 429).error.type).toBe('too_many_requests');
      expect(overall.headers['retry-after']).toBe('1');
      // A poll without `Prefer: wait` takes no slot: answered at once.
      const plain = await polls.poll(c1, tokens['mis-c']);
      expect(plain.status).toBe(200);
      expect(JSON.parse(plain.body).data.status).toBe('pending');

      gates.open('cap-a1');
      gates.open('cap-b1');
      const finished = await Promise.all(held);
      expect(finished.map((answer) => JSON.parse(answer.body).data.status)).toEqual([
        'processed',
        'processed',
        'processed',
      ]);
      await polls.untilHeld(0);

      // The slots are free again: both the refused client and the full one are admitted.
      const a2 = await pendingJob('mis-a', 'cap-a2');
      const again = [
        polls.poll(c1, tokens['mis-c'], 30),
        polls.poll(a2, tokens['mis-a'], 30),
        polls.poll(a2, tokens['mis-a'], 30),
      ];
      await polls.untilHeld(3);
      gates.open('cap-c1');
      gates.open('cap-a2');
      const answers = await Promise.all(again);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      expect(answers.map((answer) => JSON.parse(answer.body).data.status)).toEqual([
        'processed',
        'processed',
        'processed',
      ]);
    });
  });

  describe('slow clients are cut off by the receive timeout', () => {
    it(
      'a body dripped one byte at a time: 408 and disconnected long before it is whole',
      async () => {
        const body = JSON.stringify({ name: 'x'.repeat(200), items: [{ role: 'primary' }] });
        const conn = await RawConnection.open(port);
        const started = Date.now();
        await conn.send(requestHead({ 'Content-Length': body.length }));
        for (const byte of body) {
          if (!(await conn.send(byte))) break;
          await sleep(100);
        }
        await conn.closed;
        const answer = conn.response();
        console.log(
          `Dripped body: cut off after ${Date.now() - started} ms and ${conn.sent} bytes (timeout ${RECEIVE_TIMEOUT_SECONDS} s)`,
        );
        expect(conn.sent).toBeLessThan(
          requestHead({ 'Content-Length': body.length }).length + body.length,
        );
        expectTimedOut(answer, new RegExp(`^${PUBLIC_URL}${ECHO}$`));
      },
      SLOW_CLIENT_TEST_MS,
    );

    it(
      'a body that stops halfway: 408 and disconnected',
      async () => {
        const conn = await RawConnection.open(port);
        await conn.send(
          requestHead({ 'Content-Length': 100, 'x-request-id': 'half-a-body-0123456789' }),
        );
        await conn.send('{"name":"half');
        await conn.closed;
        expectTimedOut(conn.response(), /\/api\/probe\/echo$/);
        expect(conn.response()!.headers['x-request-id']).toBe('half-a-body-0123456789');
      },
      SLOW_CLIENT_TEST_MS,
    );

    it(
      'headers dripped one line at a time (slowloris): 408 and disconnected',
      async () => {
        const conn = await RawConnection.open(port);
        const started = Date.now();
        await conn.send(`GET ${JOB_ROUTE.replace(':id', 'NBXk9EyErUZv1RhXgyvgg')} HTTP/1.1\r\n`);
        let lines = 0;
        for (; lines < 200; lines++) {
          if (!(await conn.send(`x-slow-${lines}: ${'y'.repeat(20)}\r\n`))) break;
          await sleep(100);
        }
        await conn.closed;
        console.log(
          `Dripped headers: cut off after ${Date.now() - started} ms and ${lines} header lines`,
        );
        expect(lines).toBeLessThan(200);
        // The request line never completed a request: the url is the service's root.
        expectTimedOut(conn.response(), new RegExp(`^${PUBLIC_URL}/$`));
      },
      SLOW_CLIENT_TEST_MS,
    );

    it(
      'a connection that sends nothing: 408 and closed',
      async () => {
        const conn = await RawConnection.open(port);
        await conn.closed;
        expect(conn.sent).toBe(0);
        expectTimedOut(conn.response(), new RegExp(`^${PUBLIC_URL}/$`));
      },
      SLOW_CLIENT_TEST_MS,
    );
  });

  describe('oversized requests are refused at the limit', () => {
    it('headers beyond what Node parses (16 KiB): 431 in the envelope, and closed', async () => {
      const conn = await RawConnection.open(port);
      await conn.send(requestHead({ 'x-padding': 'p'.repeat(20 * 1024), 'Content-Length': 2 }));
      await conn.closed;
      expectConnectionRefusal(
        conn.response(),
        431,
        'The request headers are too large.',
        new RegExp(`^${PUBLIC_URL}/$`),
      );
    });

    it('Content-Length beyond the limit: 413 after a fraction of the body, then the connection closes', async () => {
      const conn = await RawConnection.open(port);
      const declared = 10 * 1024 * 1024;
      await conn.send(requestHead({ 'Content-Length': declared }));
      await conn.send('{"name":"' + 'x'.repeat(500));
      const answer = await conn.answer();
      const refused = expectRefusal(answer, ECHO, 413);
      expect(refused.error).toEqual({
        type: 'request_too_large',
        message: ERROR_MESSAGES.tooLarge,
      });
      expect(conn.sent).toBeLessThan(BODY_LIMIT_BYTES);
      await conn.closed;
    });

    it('a chunked body growing past the limit: 413 as it passes the limit, then cut off', async () => {
      const conn = await RawConnection.open(port);
      await conn.send(requestHead({ 'Transfer-Encoding': 'chunked' }));
      const head = conn.sent;
      const chunk = 256;
      let answer: Answer | undefined;
      while (!conn.isClosed && conn.sent - head < 100 * BODY_LIMIT_BYTES) {
        answer = conn.response();
        if (answer) break;
        await conn.send(`${chunk.toString(16)}\r\n${'x'.repeat(chunk)}\r\n`);
        await sleep(20);
      }
      answer ??= await conn.answer();
      const bodySent = conn.sent - head;
      console.log(`Chunked body: refused after ${bodySent} bytes (limit ${BODY_LIMIT_BYTES})`);
      expect(expectRefusal(answer, ECHO, 413).error.type).toBe('request_too_large');
      expect(bodySent).toBeGreaterThan(BODY_LIMIT_BYTES);
      expect(bodySent).toBeLessThanOrEqual(BODY_LIMIT_BYTES + 4 * (chunk + 10));
      // Whatever comes next is not read: the connection is closed.
      for (let i = 0; i < 50 && (await conn.send(`100\r\n${'x'.repeat(256)}\r\n`)); i++) {
        await sleep(20);
      }
      await conn.closed;
      expect(conn.isClosed).toBe(true);
    });
  });
});

describe('thousands of concurrent long polls', () => {
  const WAITERS = sized(1_000, 5_000);
  const JOBS = 50;
  let t: TestApp;
  let polls: LongPolls;
  let jobs: JobsService;

  beforeAll(async () => {
    t = await startTestApp({
      WORKER_ENABLED: 'true',
      JOB_POLL_INTERVAL_SECONDS: '300',
      LONG_POLL_MAX_WAITERS: String(WAITERS),
      LONG_POLL_MAX_WAITERS_PER_CLIENT: String(WAITERS),
      RATE_LIMIT_POLL_PER_MINUTE: '1000000',
    });
    polls = new LongPolls(t.app, await listenLocally(t.app));
    jobs = t.app.get(JobsService);
  });
  afterAll(async () => {
    polls.close();
    await t.close();
  }, 60_000);

  it(`${WAITERS} long polls held at once leave the database pool to ordinary requests, and all get their answer`, async () => {
    const token = await t.token({ client_id: 'mis-load' });
    // A finished job for the ordinary poll, done before the gated jobs take every worker slot.
    const linked = await jobs.enqueue('test.links', { n: 1 }, { clientId: 'mis-load' });
    await waitFor(async () => {
      const job = await t.jobs.findById(linked.job.id);
      return job?.state === 'processed' ? job : undefined;
    });
    const gates = Array.from({ length: JOBS }, (_, i) => `load-${i}`);
    const ids: string[] = [];
    for (const gate of gates) {
      ids.push((await jobs.enqueue('test.gate', { gate }, { clientId: 'mis-load' })).job.id);
    }

    const started = Date.now();
    const answers = await polls.hold(WAITERS, 250, (i) => polls.poll(ids[i % JOBS], token, 60));
    const admittedMs = Date.now() - started;

    // While every long poll is held, an ordinary poll and the readiness probe are answered.
    let at = Date.now();
    const ordinary = await polls.poll(linked.job.id, token);
    const ordinaryMs = Date.now() - at;
    at = Date.now();
    const ready = await polls.get('/health/ready', '/health/ready');
    const readyMs = Date.now() - at;
    expect(ordinary.status).toBe(303);
    expect(ready.status).toBe(200);
    expect(polls.held).toBe(WAITERS);

    at = Date.now();
    for (const gate of gates) t.app.get(TestGates).open(gate);
    const finals = await Promise.all(answers);
    const finishedMs = Date.now() - at;
    const wrong = finals.filter((answer, i) => {
      const data = answer.status === 200 ? JSON.parse(answer.body).data : undefined;
      return data?.status !== 'processed' || data.response_data.gate !== gates[i % JOBS];
    });
    console.log(
      `${WAITERS} long polls on ${JOBS} jobs (${t.config.database.kind}): all held after ${admittedMs} ms; ` +
        `meanwhile an ordinary poll took ${ordinaryMs} ms and /health/ready ${readyMs} ms; ` +
        `every final answer within ${finishedMs} ms of the jobs being let finish; ` +
        `wrong answers: ${wrong.length}`,
    );
    expect(wrong).toEqual([]);
    expect(finals).toHaveLength(WAITERS);
    await polls.untilHeld(0);
  }, 180_000);
});
