import { preferredWaitSeconds } from './prefer-wait';

describe('preferredWaitSeconds', () => {
  it.each<[string, string, number]>([
    ['a bare wait', 'wait=10', 10],
    ['wait after another preference', 'respond-async, wait=5', 5],
    ['a quoted value', 'wait="7"', 7],
    ['an upper-case token', 'WAIT=3', 3],
    ['spaces around "="', 'wait = 4', 4],
    ['zero', 'wait=0', 0],
  ])('reads %s (%s) as %i seconds', (_, header, seconds) => {
    expect(preferredWaitSeconds(header)).toBe(seconds);
  });

  it.each(['wait=61', 'wait=600', 'wait=999999999'])('caps %s at 60 seconds', (header) => {
    expect(preferredWaitSeconds(header)).toBe(60);
  });

  it('keeps exactly 60', () => {
    expect(preferredWaitSeconds('wait=60')).toBe(60);
  });

  it.each<[string, string | undefined]>([
    ['an absent header', undefined],
    ['an empty header', ''],
    ['a non-numeric value', 'wait=abc'],
    ['a negative value', 'wait=-1'],
    ['a fractional value', 'wait=1.5'],
    ['a longer token starting with wait', 'waiting=5'],
    ['a longer token ending with wait', 'nowait=5'],
    ['another preference only', 'respond-async'],
  ])('answers 0 for %s', (_, header) => {
    expect(preferredWaitSeconds(header)).toBe(0);
  });

  it('finds wait among several header values', () => {
    expect(preferredWaitSeconds(['respond-async', 'wait=8'])).toBe(8);
  });

  it('answers 0 for an empty list of header values', () => {
    expect(preferredWaitSeconds([])).toBe(0);
  });
});
