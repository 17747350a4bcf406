import { SlidingWindowStorage } from './sliding-window.storage';

const MINUTE = 60_000;

describe('SlidingWindowStorage', () => {
  let now: number;
  let storage: SlidingWindowStorage;
  const hit = (key = 'client:a', limit = 3) =>
    storage.increment(key, MINUTE, limit, MINUTE, 'poll');

  beforeEach(() => {
    now = 1_000_000;
    storage = new SlidingWindowStorage(() => now);
  });

  it('admits up to the limit within a window, then refuses without counting the refusals', async () => {
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    const third = await hit();
    expect(third).toMatchObject({ isBlocked: false, totalHits: 3 });
    const refused = await hit();
    expect(refused.isBlocked).toBe(true);
    expect(refused.timeToBlockExpire).toBeGreaterThanOrEqual(1);
    // Refusals are not counted: a full window later only the three admitted hits remain.
    now += MINUTE;
    const estimate = await hit();
    expect(estimate.isBlocked).toBe(true);
    now += MINUTE / 2;
    expect((await hit()).isBlocked).toBe(false);
  });

  it('keeps budgets apart per key and per throttler', async () => {
    for (let i = 0; i < 3; i++) await hit('client:a');
    expect((await hit('client:a')).isBlocked).toBe(true);
    expect((await hit('client:b')).isBlocked).toBe(false);
    const submit = await storage.increment('client:a', MINUTE, 3, MINUTE, 'submit');
    expect(submit.isBlocked).toBe(false);
  });

  it('weights the previous window by its overlap with the last minute', async () => {
    for (let i = 0; i < 10; i++) await hit('client:a', 10);
    now += MINUTE + MINUTE / 4; // the previous window still counts for three quarters: 7.5 hits
    const admitted = [];
    for (let i = 0; i < 5; i++) admitted.push(!(await hit('client:a', 10)).isBlocked);
    expect(admitted).toEqual([true, true, false, false, false]);
  });

  it('says how long until the next request fits, within the window', async () => {
    for (let i = 0; i < 3; i++) await hit();
    const refused = await hit();
    // The whole window is full: one hit fits once the window has slid a third of the way past.
    expect(refused.timeToBlockExpire).toBe(80);
    now += 79_000;
    expect((await hit()).isBlocked).toBe(true);
    now += 1_000;
    expect((await hit()).isBlocked).toBe(false);
  });

  it('forgets clients idle for two windows', async () => {
    await hit('client:a');
    now += 2 * MINUTE + 1;
    await hit('client:b');
    expect(storage.size).toBe(1);
  });
});
