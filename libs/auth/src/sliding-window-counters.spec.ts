import { SlidingWindowCounters } from './sliding-window-counters';

const MINUTE = 60_000;

describe('SlidingWindowCounters', () => {
  let now: number;
  let counters: SlidingWindowCounters;
  const hit = (key = 'poll:client:a', limit = 3) => {
    const spent = counters.spend(key, MINUTE, limit);
    return { isBlocked: !spent.admitted, timeToBlockExpire: spent.retryAfterSeconds };
  };

  beforeEach(() => {
    now = 1_000_000;
    counters = new SlidingWindowCounters(() => now);
  });

  it('admits up to the limit within a window, then refuses without counting the refusals', () => {
    expect(hit().isBlocked).toBe(false);
    expect(hit().isBlocked).toBe(false);
    expect(hit().isBlocked).toBe(false);
    const refused = hit();
    expect(refused.isBlocked).toBe(true);
    expect(refused.timeToBlockExpire).toBeGreaterThanOrEqual(1);
    // Refusals are not counted: a full window later only the three admitted hits remain.
    now += MINUTE;
    const estimate = hit();
    expect(estimate.isBlocked).toBe(true);
    now += MINUTE / 2;
    expect(hit().isBlocked).toBe(false);
  });

  it('keeps budgets apart per key', () => {
    for (let i = 0; i < 3; i++) hit('poll:client:a');
    expect(hit('poll:client:a').isBlocked).toBe(true);
    expect(hit('poll:client:b').isBlocked).toBe(false);
    expect(hit('submit:client:a').isBlocked).toBe(false);
  });

  it('weights the previous window by its overlap with the last minute', () => {
    for (let i = 0; i < 10; i++) hit('client:a', 10);
    now += MINUTE + MINUTE / 4; // the previous window still counts for three quarters: 7.5 hits
    const admitted = [];
    for (let i = 0; i < 5; i++) admitted.push(!hit('client:a', 10).isBlocked);
    expect(admitted).toEqual([true, true, false, false, false]);
  });

  it('says how long until the next request fits, within the window', () => {
    for (let i = 0; i < 3; i++) hit();
    const refused = hit();
    // The whole window is full: one hit fits once the window has slid a third of the way past.
    expect(refused.timeToBlockExpire).toBe(80);
    now += 79_000;
    expect(hit().isBlocked).toBe(true);
    now += 1_000;
    expect(hit().isBlocked).toBe(false);
  });

  it('forgets clients idle for two windows', () => {
    hit('client:a');
    now += 2 * MINUTE + 1;
    hit('client:b');
    expect(counters.size).toBe(1);
  });
});
