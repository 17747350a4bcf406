import { dedupeKeyOf } from './dedupe-key';

const payload = {
  patient_id: 'a1b2',
  encounter: { period: { start: '2024-05-01', end: '2024-05-02' }, codes: ['A01', 'B02'] },
};

describe('dedupeKeyOf', () => {
  it('is 64 hex characters', () => {
    expect(dedupeKeyOf('client-a', 'encounter_package.create', payload)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is the same for the same payload with its keys in another order, nested too', () => {
    const reordered = {
      encounter: { codes: ['A01', 'B02'], period: { end: '2024-05-02', start: '2024-05-01' } },
      patient_id: 'a1b2',
    };
    expect(dedupeKeyOf('client-a', 'encounter_package.create', reordered)).toBe(
      dedupeKeyOf('client-a', 'encounter_package.create', payload),
    );
  });

  it('differs for another client', () => {
    expect(dedupeKeyOf('client-b', 'encounter_package.create', payload)).not.toBe(
      dedupeKeyOf('client-a', 'encounter_package.create', payload),
    );
  });

  it('differs for another job type', () => {
    expect(dedupeKeyOf('client-a', 'episode.close', payload)).not.toBe(
      dedupeKeyOf('client-a', 'encounter_package.create', payload),
    );
  });

  it.each<[string, unknown]>([
    ['a top-level value', { ...payload, patient_id: 'a1b3' }],
    [
      'a nested value',
      {
        ...payload,
        encounter: { ...payload.encounter, period: { start: '2024-05-01', end: 'x' } },
      },
    ],
    ['an added key', { ...payload, extra: null }],
    ['a number for a string', { ...payload, patient_id: 1 }],
  ])('differs when %s differs', (_, other) => {
    expect(dedupeKeyOf('client-a', 't', other)).not.toBe(dedupeKeyOf('client-a', 't', payload));
  });

  it('keeps array order', () => {
    expect(dedupeKeyOf('client-a', 't', { ids: [1, 2] })).not.toBe(
      dedupeKeyOf('client-a', 't', { ids: [2, 1] }),
    );
  });

  it('does not let a client and type run together', () => {
    expect(dedupeKeyOf('ab', 'c', {})).not.toBe(dedupeKeyOf('a', 'bc', {}));
  });
});
