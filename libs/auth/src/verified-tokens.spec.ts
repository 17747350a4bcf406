import { UnsecuredJWT } from 'jose';
import { AuthenticatedClient } from './authenticated-client';
import { REFUSED, VerifiedTokens } from './verified-tokens';

const client: AuthenticatedClient = { clientId: 'mis-1', scopes: new Set(['job:read']) };
const tokenExpiringAt = (seconds: number) =>
  new UnsecuredJWT({ client_id: 'mis-1' }).setExpirationTime(seconds).encode();

describe('VerifiedTokens', () => {
  let now: number;
  const at = () => now;

  beforeEach(() => (now = 1_700_000_000_000));

  it('answers for a remembered token until it expires', () => {
    const tokens = new VerifiedTokens(10, 60_000, at);
    const token = tokenExpiringAt(now / 1000 + 30);
    expect(tokens.get(token)).toBeUndefined();
    tokens.remember(token, client);
    expect(tokens.get(token)).toBe(client);
    now += 29_999;
    expect(tokens.get(token)).toBe(client);
    now += 1;
    expect(tokens.get(token)).toBeUndefined();
  });

  it('answers at most maxAge after verification, however long the token lives', () => {
    const tokens = new VerifiedTokens(10, 60_000, at);
    const token = tokenExpiringAt(now / 1000 + 3_600);
    tokens.remember(token, client);
    now += 60_000;
    expect(tokens.get(token)).toBeUndefined();
  });

  it('keeps nothing for a token already expired or without exp', () => {
    const tokens = new VerifiedTokens(10, 60_000, at);
    const expired = tokenExpiringAt(now / 1000 - 1);
    const endless = new UnsecuredJWT({ client_id: 'mis-1' }).encode();
    tokens.remember(expired, client);
    tokens.remember(endless, client);
    expect(tokens.get(expired)).toBeUndefined();
    expect(tokens.get(endless)).toBeUndefined();
  });

  it('drops the oldest entry once full', () => {
    const tokens = new VerifiedTokens(2, 60_000, at);
    const [a, b, c] = [1, 2, 3].map((n) => tokenExpiringAt(now / 1000 + 100 + n));
    tokens.remember(a, client);
    tokens.remember(b, client);
    tokens.remember(c, client);
    expect([tokens.get(a), tokens.get(b), tokens.get(c)]).toEqual([undefined, client, client]);
  });
});

describe('VerifiedTokens refusals', () => {
  let now: number;
  const at = () => now;
  beforeEach(() => (now = 1_700_000_000_000));

  it('answers REFUSED for a token refused within maxAge, then forgets it', () => {
    const tokens = new VerifiedTokens(10, 60_000, at);
    tokens.refuse('not.a.token');
    expect(tokens.get('not.a.token')).toBe(REFUSED);
    now += 60_000;
    expect(tokens.get('not.a.token')).toBeUndefined();
  });

  it('never lets refusals push verified tokens out', () => {
    const tokens = new VerifiedTokens(2, 60_000, at);
    const good = tokenExpiringAt(now / 1000 + 100);
    tokens.remember(good, client);
    for (let n = 0; n < 10; n++) tokens.refuse(`bad-${n}`);
    expect(tokens.get(good)).toBe(client);
    expect([tokens.get('bad-0'), tokens.get('bad-8'), tokens.get('bad-9')]).toEqual([
      undefined,
      REFUSED,
      REFUSED,
    ]);
  });
});
