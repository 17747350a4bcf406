import { JWTPayload } from 'jose';
import { clientFromClaims, hasDuplicateMembers, InvalidClaimsError } from './token-claims';

const scopesOf = (payload: JWTPayload): string[] => [...clientFromClaims(payload).scopes].sort();

describe('clientFromClaims', () => {
  describe('scopes', () => {
    it('reads the space-separated scope claim, ignoring extra spaces', () => {
      expect(scopesOf({ sub: 'c', scope: '  job:read   patient:read ' })).toEqual([
        'job:read',
        'patient:read',
      ]);
    });

    it('reads the scp claim as an array', () => {
      expect(scopesOf({ sub: 'c', scp: ['job:read', 'encounter:write'] })).toEqual([
        'encounter:write',
        'job:read',
      ]);
    });

    it('merges scope and scp', () => {
      expect(scopesOf({ sub: 'c', scope: 'job:read', scp: ['encounter:write'] })).toEqual([
        'encounter:write',
        'job:read',
      ]);
    });

    it('grants nothing when neither claim is present', () => {
      expect(scopesOf({ sub: 'c' })).toEqual([]);
    });

    it('refuses a scope claim sent as an array', () => {
      expect(() => clientFromClaims({ sub: 'c', scope: ['job:read'] })).toThrow(InvalidClaimsError);
    });

    it.each([
      ['a string', 'job:read'],
      ['an array holding a number', ['job:read', 7]],
    ])('refuses an scp claim sent as %s', (_, scp) => {
      expect(() => clientFromClaims({ sub: 'c', scp })).toThrow(InvalidClaimsError);
    });

    it('does not grant job:read for scopes that only start like it', () => {
      const { scopes } = clientFromClaims({
        sub: 'c',
        scope: 'job:read2 job:reads',
        scp: ['job:read:all'],
      });

      expect(scopes.has('job:read')).toBe(false);
      expect(scopes.has('job:read2')).toBe(true);
    });
  });

  describe('client', () => {
    it('takes client_id first', () => {
      expect(
        clientFromClaims({ client_id: 'from-client-id', azp: 'from-azp', sub: 'from-sub' })
          .clientId,
      ).toBe('from-client-id');
    });

    it('falls back to azp', () => {
      expect(clientFromClaims({ azp: 'from-azp', sub: 'from-sub' }).clientId).toBe('from-azp');
    });

    it('falls back to sub', () => {
      expect(clientFromClaims({ sub: 'from-sub' }).clientId).toBe('from-sub');
    });

    it('refuses a token that names no client', () => {
      expect(() => clientFromClaims({ scope: 'job:read' })).toThrow(InvalidClaimsError);
    });

    it.each([
      ['a number', 42],
      ['an empty string', ''],
      ['a string over 200 characters', 'x'.repeat(201)],
    ])('refuses a client_id that is %s instead of falling back', (_, clientId) => {
      expect(() => clientFromClaims({ client_id: clientId, sub: 'from-sub' })).toThrow(
        InvalidClaimsError,
      );
    });
  });
});

describe('hasDuplicateMembers', () => {
  it.each([
    ['a name twice', '{"scope":"encounter:write","scope":"job:read"}'],
    ['a name twice, once escaped', '{"scope":"x","sc\\u006fpe":"job:read"}'],
    ['a name twice in a nested object', '{"a":{"b":1,"b":2}}'],
    ['the empty name twice', '{"":1,"":2}'],
  ])('finds %s', (_, json) => {
    expect(hasDuplicateMembers(json)).toBe(true);
  });

  it.each([
    ['distinct names', '{"scope":"job:read","scp":["job:read"]}'],
    ['one name in sibling objects', '{"a":[{"b":1},{"b":2}],"c":{"b":3}}'],
    ['a name inside a string value', '{"a":"\\"a\\":1","b":"a"}'],
    ['strings in arrays', '{"a":["a","a"],"b":1}'],
  ])('finds none with %s', (_, json) => {
    expect(hasDuplicateMembers(json)).toBe(false);
  });
});
