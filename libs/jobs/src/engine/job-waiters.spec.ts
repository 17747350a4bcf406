import { loadConfig } from '@app/config';
import { ApiException } from '@app/http';
import { FinishedJob } from './finish-event';
import { FinishListener, JobEvents } from './job-events';
import { JobWaiters } from './job-waiters';

const config = loadConfig({
  NODE_ENV: 'test',
  AUTH_JWT_SECRET: 'x'.repeat(32),
  LONG_POLL_MAX_WAITERS: '3',
  LONG_POLL_MAX_WAITERS_PER_CLIENT: '2',
});

/** A JobEvents stand-in that hands out the finish listener so a test can announce finishes. */
function fakeEvents(): {
  events: JobEvents;
  finish: (jobId: string, finished?: FinishedJob) => void;
  heard: { since: number | undefined };
} {
  let listener: FinishListener | undefined;
  const heard = { since: -Infinity as number | undefined };
  const events = {
    onFinished: (l: FinishListener) => {
      listener = l;
      return () => (listener = undefined);
    },
    finishEventsHeardSince: () => heard.since,
  };
  return {
    events: events as unknown as JobEvents,
    finish: (jobId, finished) => {
      if (!listener) throw new Error('JobWaiters did not subscribe to finish events');
      listener(jobId, finished);
    },
    heard,
  };
}

const processed = (id: string): FinishedJob => ({
  id,
  state: 'processed',
  statusCode: 200,
  result: { kind: 'links', links: [{ entity: 'thing', href: '/api/things/1' }] },
  eta: new Date('2030-01-01T00:00:00Z'),
});

const after = <T>(ms: number, value: T): Promise<T> =>
  new Promise((resolve) => setTimeout(() => resolve(value), ms));

function refusal(admit: () => unknown): ApiException {
  try {
    admit();
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  throw new Error('admitted, expected a refusal');
}

describe('JobWaiters', () => {
  let waiters: JobWaiters;
  let finish: (jobId: string, finished?: FinishedJob) => void;
  let heard: { since: number | undefined };

  beforeEach(() => {
    const fake = fakeEvents();
    finish = fake.finish;
    heard = fake.heard;
    waiters = new JobWaiters(fake.events, config);
  });

  describe('on shutdown', () => {
    it('wakes every held request at once, and says the process is closing', async () => {
      const held = ['job-1', 'job-2', 'job-2'].map((id) => waiters.watch(id).woken(60_000));
      expect(waiters.isClosing).toBe(false);
      waiters.onModuleDestroy();
      expect(waiters.isClosing).toBe(true);
      await expect(Promise.race([Promise.all(held), after(100, 'still held')])).resolves.toEqual([
        true,
        true,
        true,
      ]);
    });
  });

  describe('watch(id).woken(ms)', () => {
    it('resolves true when that job finishes', async () => {
      const woken = waiters.watch('job-1').woken(5_000);
      finish('job-1');
      await expect(woken).resolves.toBe(true);
    });

    it('resolves true for a finish announced between watch and woken', async () => {
      const watch = waiters.watch('job-1');
      finish('job-1');
      await expect(watch.woken(5_000)).resolves.toBe(true);
    });

    it('resolves false once the time is up', async () => {
      const started = Date.now();
      await expect(waiters.watch('job-1').woken(50)).resolves.toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    });

    it('resolves false as soon as the signal aborts', async () => {
      const gone = new AbortController();
      const woken = waiters.watch('job-1').woken(5_000, gone.signal);
      gone.abort();
      await expect(Promise.race([woken, after(500, 'still waiting')])).resolves.toBe(false);
    });

    it('resolves false at once for a signal aborted before the wait', async () => {
      const gone = new AbortController();
      gone.abort();
      const woken = waiters.watch('job-1').woken(5_000, gone.signal);
      const outcome = await Promise.race([woken, after(500, 'still waiting')]);
      finish('job-1'); // clears the 5 s timer if the wait ignored the signal
      expect(outcome).toBe(false);
    });

    it("is not woken by another job's finish", async () => {
      const woken = waiters.watch('job-1').woken(50);
      finish('job-2');
      await expect(woken).resolves.toBe(false);
    });

    it('wakes every waiter of the job', async () => {
      const first = waiters.watch('job-1').woken(5_000);
      const second = waiters.watch('job-1').woken(5_000);
      finish('job-1');
      await expect(Promise.all([first, second])).resolves.toEqual([true, true]);
    });

    it('wakes every waiter of every job on "*"', async () => {
      const woken = ['job-1', 'job-2', 'job-3'].map((id) => waiters.watch(id).woken(5_000));
      finish('*');
      await expect(Promise.all(woken)).resolves.toEqual([true, true, true]);
    });

    it('hands over the finished job when the announcement carries it', async () => {
      const watch = waiters.watch('job-1');
      finish('job-1', processed('job-1'));
      await expect(watch.woken(5_000)).resolves.toBe(true);
      expect(watch.finished).toEqual(processed('job-1'));
    });

    it('has no finished job after a wake-up that carried none', async () => {
      const watch = waiters.watch('job-1');
      finish('*');
      await expect(watch.woken(5_000)).resolves.toBe(true);
      expect(watch.finished).toBeUndefined();
    });

    it('is not woken after cancel', async () => {
      const watch = waiters.watch('job-1');
      watch.cancel();
      finish('job-1');
      await expect(watch.woken(50)).resolves.toBe(false);
    });
  });

  describe('since(id, readAt): what a poll that read its job as pending at readAt missed', () => {
    it('nothing: the job is still pending, no read needed', () => {
      waiters.watch('job-1');
      const readAt = performance.now();
      finish('job-2', processed('job-2'));
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'pending' });
    });

    it('its finish, heard between the read and the watch: the finished job, no read needed', () => {
      waiters.watch('job-0');
      const readAt = performance.now();
      finish('job-1', processed('job-1'));
      waiters.watch('job-1');
      expect(waiters.since('job-1', readAt)).toEqual({
        kind: 'finished',
        finished: processed('job-1'),
      });
    });

    it('a finish that carried only the id: unknown, read once', () => {
      waiters.watch('job-0');
      const readAt = performance.now();
      finish('job-1');
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'unknown' });
    });

    it('a finish heard before the read is not taken for one after it', () => {
      waiters.watch('job-0');
      finish('job-1');
      const readAt = performance.now() + 1;
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'pending' });
    });

    it('unknown when the read came before the first waiter subscribed', () => {
      const readAt = performance.now();
      waiters.watch('job-1');
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'unknown' });
    });

    it('unknown while finish events are not heard (the LISTEN connection is down)', () => {
      waiters.watch('job-0');
      const readAt = performance.now();
      heard.since = undefined;
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'unknown' });
    });

    it('unknown when the events were heard only since after the read (a reconnection)', () => {
      waiters.watch('job-0');
      const readAt = performance.now();
      heard.since = readAt + 1;
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'unknown' });
    });

    it('unknown after a wake-up of every job since the read', () => {
      waiters.watch('job-0');
      const readAt = performance.now();
      finish('*');
      expect(waiters.since('job-1', readAt)).toEqual({ kind: 'unknown' });
    });
  });

  describe('admit', () => {
    it('refuses a client its third slot with 429 too_many_requests and Retry-After', () => {
      waiters.admit('client-a');
      waiters.admit('client-a');

      const refused = refusal(() => waiters.admit('client-a'));
      expect(refused.type).toBe('too_many_requests');
      expect(refused.getStatus()).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    });

    it('still admits another client when one client is at its limit', () => {
      waiters.admit('client-a');
      waiters.admit('client-a');
      expect(() => waiters.admit('client-b')).not.toThrow();
    });

    it('refuses the fourth slot of the process, whoever asks', () => {
      waiters.admit('client-a');
      waiters.admit('client-b');
      waiters.admit('client-c');

      const refused = refusal(() => waiters.admit('client-d'));
      expect(refused.type).toBe('too_many_requests');
      expect(refused.headers).toHaveProperty('retry-after');
    });

    it('gives a client its slot back on release', () => {
      const first = waiters.admit('client-a');
      waiters.admit('client-a');
      first.release();
      expect(() => waiters.admit('client-a')).not.toThrow();
    });

    it('gives a process slot back on release', () => {
      const first = waiters.admit('client-a');
      waiters.admit('client-b');
      waiters.admit('client-c');
      first.release();
      expect(() => waiters.admit('client-d')).not.toThrow();
    });

    it('frees one client slot only when released twice', () => {
      const first = waiters.admit('client-a');
      waiters.admit('client-a');
      first.release();
      first.release();
      waiters.admit('client-a');
      expect(refusal(() => waiters.admit('client-a')).type).toBe('too_many_requests');
    });

    it('frees one process slot only when released twice', () => {
      const first = waiters.admit('client-a');
      waiters.admit('client-b');
      waiters.admit('client-c');
      first.release();
      first.release();
      waiters.admit('client-d');
      expect(refusal(() => waiters.admit('client-e')).type).toBe('too_many_requests');
    });
  });

  describe('count', () => {
    it('tracks the slots held', () => {
      expect(waiters.count).toBe(0);
      const a = waiters.admit('client-a');
      const b = waiters.admit('client-b');
      expect(waiters.count).toBe(2);
      a.release();
      a.release();
      expect(waiters.count).toBe(1);
      b.release();
      expect(waiters.count).toBe(0);
    });

    it('does not count a refused request', () => {
      waiters.admit('client-a');
      waiters.admit('client-a');
      refusal(() => waiters.admit('client-a'));
      expect(waiters.count).toBe(2);
    });
  });
});
