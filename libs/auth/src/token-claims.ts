import type { JWTPayload } from 'jose';
import { AuthenticatedClient } from './authenticated-client';

export class InvalidClaimsError extends Error {}

/**
 * Reads the client and its scopes from verified claims. Scopes come from `scope` (a
 * space-separated string, RFC 9068) or `scp` (an array of strings); a claim of the wrong shape makes
 * the token invalid rather than being guessed at. The client is `client_id`, else `azp`, else `sub`.
 */
export function clientFromClaims(payload: JWTPayload): AuthenticatedClient {
  return { clientId: clientIdOf(payload), scopes: new Set(scopesOf(payload)) };
}

function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload;
  const scopes: string[] = [];
  if (scope !== undefined) {
    if (typeof scope !== 'string') throw new InvalidClaimsError('scope must be a string');
    scopes.push(...scope.split(' ').filter(Boolean));
  }
  if (scp !== undefined) {
    if (!Array.isArray(scp) || !scp.every((item) => typeof item === 'string')) {
      throw new InvalidClaimsError('scp must be an array of strings');
    }
    scopes.push(...scp);
  }
  return scopes;
}

/**
 * A client id as it is stored with jobs and records and written to logs: 1 to 200 characters and
 * no control character (PostgreSQL refuses a NUL byte in a query; a line break splits a log line).
 */
function isClientId(value: string): boolean {
  const control = (char: string) => char < ' ' || char === '\u007f';
  return value.length > 0 && value.length <= 200 && ![...value].some(control);
}

function clientIdOf(payload: JWTPayload): string {
  for (const claim of ['client_id', 'azp', 'sub'] as const) {
    const value = payload[claim];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !isClientId(value)) {
      throw new InvalidClaimsError(`${claim} must be 1 to 200 characters, none of them a control`);
    }
    return value;
  }
  throw new InvalidClaimsError('the token names no client');
}

/**
 * Whether some object of `json` (valid JSON text) names a member twice, however it is escaped.
 * `JSON.parse` keeps the last of them where another parser may keep the first, so a token carrying
 * `"scope"` twice could mean one thing to the issuer and another here: such a token is refused.
 */
export function hasDuplicateMembers(json: string): boolean {
  /** One entry per open object (its member names so far) or array (null). */
  const open: (Set<string> | null)[] = [];
  let expectingName = false;
  for (let at = 0; at < json.length; at += 1) {
    const char = json[at];
    if (char === '"') {
      let end = at + 1;
      while (json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const names = open[open.length - 1];
      if (names && expectingName) {
        const name = JSON.parse(json.slice(at, end + 1)) as string;
        if (names.has(name)) return true;
        names.add(name);
        expectingName = false;
      }
      at = end;
    } else if (char === '{') {
      open.push(new Set());
      expectingName = true;
    } else if (char === '[') {
      open.push(null);
    } else if (char === '}' || char === ']') {
      open.pop();
    } else if (char === ',') {
      expectingName = open[open.length - 1] instanceof Set;
    }
  }
  return false;
}
