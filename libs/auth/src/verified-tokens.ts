import { decodeJwt } from 'jose';
import { AuthenticatedClient } from './authenticated-client';

interface Entry<T> {
  value: T;
  /** Until when (ms) the entry may answer for the token. */
  until: number;
}

/** What `VerifiedTokens.get` answers for a token that failed verification lately. */
export const REFUSED = Symbol('refused');

/** Entries by token, at most `max` of them: the oldest go first. */
class BoundedMemory<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly max: number,
    private readonly now: () => number,
  ) {}

  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.value;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, value: T, until: number): void {
    if (until <= this.now()) return;
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { value, until });
  }
}

/**
 * Tokens verified recently, so a client polling with the same token is not verified again on every
 * request (the signature check is the most expensive step of a poll). An entry lasts until the
 * token expires and at most `maxAgeMs`, so a key withdrawn from the JWKS stops being honoured
 * within that time; the oldest entries go first once `maxEntries` are held. Only tokens that passed
 * verification are kept, whole (a tampered token is another key and is verified, and refused).
 *
 * Tokens refused lately are remembered apart, for `maxAgeMs` and `maxEntries` of their own (so a
 * flood of bad tokens never pushes out good ones): a client repeating a bad token is refused
 * without another signature check, at no more cost than a good poll.
 */
export class VerifiedTokens {
  private readonly verified: BoundedMemory<AuthenticatedClient>;
  private readonly refused: BoundedMemory<true>;

  constructor(
    maxEntries = 10_000,
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.verified = new BoundedMemory(maxEntries, now);
    this.refused = new BoundedMemory(maxEntries, now);
  }

  /** The client of a token verified lately, `REFUSED` for one refused lately, else undefined. */
  get(token: string): AuthenticatedClient | typeof REFUSED | undefined {
    return this.verified.get(token) ?? (this.refused.get(token) ? REFUSED : undefined);
  }

  /** Remembers a token that has just passed verification. */
  remember(token: string, client: AuthenticatedClient): void {
    const expiresAt = (decodeJwt(token).exp ?? 0) * 1000;
    this.verified.set(token, client, Math.min(expiresAt, this.now() + this.maxAgeMs));
  }

  /** Remembers a token that has just failed verification. */
  refuse(token: string): void {
    this.refused.set(token, true, this.now() + this.maxAgeMs);
  }
}
