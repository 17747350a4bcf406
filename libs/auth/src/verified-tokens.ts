import { decodeJwt } from 'jose';
import { AuthenticatedClient } from './authenticated-client';

interface Entry {
  client: AuthenticatedClient;
  /** Until when (ms) the entry may answer for the token. */
  until: number;
}

/**
 * Tokens verified recently, so a client polling with the same token is not verified again on every
 * request (the signature check is the most expensive step of a poll). An entry lasts until the
 * token expires and at most `maxAgeMs`, so a key withdrawn from the JWKS stops being honoured
 * within that time; the oldest entries go first once `maxEntries` are held. Only tokens that passed
 * verification are kept, whole (a tampered token is another key and is verified, and refused).
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The client of a token verified earlier and still within its time, or undefined. */
  get(token: string): AuthenticatedClient | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until > this.now()) return entry.client;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers a token that has just passed verification. */
  remember(token: string, client: AuthenticatedClient): void {
    const expiresAt = (decodeJwt(token).exp ?? 0) * 1000;
    const until = Math.min(expiresAt, this.now() + this.maxAgeMs);
    if (until <= this.now()) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { client, until });
  }
}
