import { loadConfig } from '@app/config';
import { ApiException } from '@app/http';
import { JobEvents } from './job-events';
import { JobWaiters } from './job-waiters';

const config = loadConfig({
  NODE_ENV: 'test',
  AUTH_JWT_SECRET: 'x'.repeat(32),
  LONG_POLL_MAX_WAITERS: '3',
  LONG_POLL_MAX_WAITERS_PER_CLIENT: '2',
});

/** A JobEvents stand-in that hands out the finish listener so a test can announce finishes. */
function fakeEvents(): { events: JobEvents; finish: (jobId: string) => void } {
  let listener: ((jobId: string) => void) | undefined;
  const events = {
    onFinished: (l: (jobId: string) => void) => {
      listener = l;
      return () => (listener = undefined);
    },
  };
  return {
    events: events as unknown as JobEvents,
    finish: (jobId) => {
      if (!listener) throw new Error('JobWaiters did not subscribe to finish events');
      listener(jobId);
    },
  };
}

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
  let finish: (jobId: string) => void;

  beforeEach(() => {
    const fake = fakeEvents();
    finish = fake.finish;
    waiters = new JobWaiters(fake.events, config);
    waiters.onModuleInit();
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

    it('is not woken after cancel', async () => {
      const watch = waiters.watch('job-1');
      watch.cancel();
      finish('job-1');
      await expect(watch.woken(50)).resolves.toBe(false);
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
