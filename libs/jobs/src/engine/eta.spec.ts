import { estimateEta, expectedDurationMs, meanDurations, PAUSED_ETA, QueueSnapshot } from './eta';

const NOW = new Date('2024-05-01T12:00:00.000Z');

function snapshot(over: Partial<QueueSnapshot> = {}): QueueSnapshot {
  return {
    meanDurationMs: new Map(),
    overallMeanMs: undefined,
    pendingByType: new Map(),
    capacity: 1,
    ...over,
  };
}

const msAhead = (eta: Date): number => eta.getTime() - NOW.getTime();

describe('estimateEta', () => {
  const measured = snapshot({
    meanDurationMs: new Map([
      ['slow', 2_000],
      ['fast', 500],
    ]),
    overallMeanMs: 1_500,
    pendingByType: new Map([
      ['slow', 4],
      ['fast', 2],
    ]),
    capacity: 2,
  });

  it('spreads the queued work over the capacity and adds the job own mean', () => {
    // (4 × 2,000 + 2 × 500) / 2 = 4,500 ahead, + 500 for a fast job
    expect(estimateEta(measured, 'fast', NOW)).toEqual(new Date('2024-05-01T12:00:05.000Z'));
    // + 2,000 for a slow job
    expect(msAhead(estimateEta(measured, 'slow', NOW))).toBe(6_500);
  });

  it('says paused for a paused type, and counts no paused work ahead of the others', () => {
    const paused = { ...measured, paused: new Set(['slow']) };
    expect(estimateEta(paused, 'slow', NOW)).toEqual(PAUSED_ETA);
    // (2 × 500) / 2 = 500 ahead, + 500 for a fast job: the 4 slow ones wait for the resume.
    expect(msAhead(estimateEta(paused, 'fast', NOW))).toBe(1_000);
  });

  it('answers the job own mean on an empty queue', () => {
    expect(msAhead(estimateEta({ ...measured, pendingByType: new Map() }, 'slow', NOW))).toBe(
      2_000,
    );
  });

  it('treats a capacity of 0 (no live worker) as 1', () => {
    // 4 × 2,000 + 2 × 500 = 9,000 ahead, + 500
    expect(msAhead(estimateEta({ ...measured, capacity: 0 }, 'fast', NOW))).toBe(9_500);
  });

  it('uses the overall mean for a type without history', () => {
    const s = snapshot({
      meanDurationMs: new Map([['known', 2_000]]),
      overallMeanMs: 800,
      pendingByType: new Map([['new', 5]]),
    });
    // 5 × 800 + 800
    expect(msAhead(estimateEta(s, 'new', NOW))).toBe(4_800);
  });

  it('guesses one second a job when nothing ran yet', () => {
    const s = snapshot({ pendingByType: new Map([['any', 2]]) });
    // 2 × 1,000 + 1,000
    expect(msAhead(estimateEta(s, 'any', NOW))).toBe(3_000);
  });

  it('gives an earlier eta with more capacity', () => {
    const etas = [1, 2, 4, 8].map((capacity) =>
      msAhead(estimateEta({ ...measured, capacity }, 'fast', NOW)),
    );
    for (let i = 1; i < etas.length; i++) expect(etas[i]).toBeLessThan(etas[i - 1]);
  });

  it('gives a later eta with more queued work', () => {
    const etas = [0, 1, 5, 20].map((slow) =>
      msAhead(
        estimateEta(
          { ...measured, pendingByType: new Map([...measured.pendingByType, ['slow', slow]]) },
          'fast',
          NOW,
        ),
      ),
    );
    for (let i = 1; i < etas.length; i++) expect(etas[i]).toBeGreaterThan(etas[i - 1]);
  });

  it('does not move now', () => {
    const now = new Date(NOW);
    estimateEta(measured, 'fast', now);
    expect(now).toEqual(NOW);
  });
});

describe('expectedDurationMs', () => {
  it('prefers the type mean, then the overall mean, then one second', () => {
    const s = snapshot({ meanDurationMs: new Map([['a', 250]]), overallMeanMs: 700 });
    expect(expectedDurationMs(s, 'a')).toBe(250);
    expect(expectedDurationMs(s, 'b')).toBe(700);
    expect(expectedDurationMs(snapshot(), 'b')).toBe(1_000);
  });
});

describe('meanDurations', () => {
  it('averages per type and over all samples', () => {
    const { byType, overall } = meanDurations([
      { type: 'a', ms: 100 },
      { type: 'b', ms: 800 },
      { type: 'a', ms: 300 },
    ]);
    expect(byType).toEqual(
      new Map([
        ['a', 200],
        ['b', 800],
      ]),
    );
    expect(overall).toBe(400);
  });

  it('has no means without samples', () => {
    const { byType, overall } = meanDurations([]);
    expect(byType.size).toBe(0);
    expect(overall).toBeUndefined();
  });
});
