import type { JWK } from 'jose';
import { KeyObject } from 'node:crypto';
import { headerValue } from './arbitraries';
import { JsonText, segmentsOf, signRaw, unsignedToken } from './forged-tokens';

export type TokenMode = 'secret' | 'jwks';

/** What the service must answer: the job (200), 401 with one of the SPEC's messages, or 403. */
export type Outcome = 'accepted' | 'invalid token' | 'no bearer token' | 'missing job:read';

export type Claims = Record<string, unknown>;

/** What an attack is built from: the service's real signing key and the keys around it. */
export interface AttackKit {
  mode: TokenMode;
  /** The claims of the valid control token, with `changes` merged (undefined removes one). */
  claims(changes?: Claims): Claims;
  /** Signs a header and payload exactly as written, with the key and algorithm the service trusts. */
  signWithTrustedKey(header: JsonText, payload: JsonText): string;
  /** The protected header the trusted key's tokens carry (`alg`, and `kid` with a JWKS). */
  trustedHeader: Record<string, unknown>;
  /** A well-formed token the service accepts: these claims, signed with the trusted key. */
  valid(changes?: Claims, header?: Record<string, unknown>): string;
  /** The shared HS256 secret (secret mode). */
  secret: string;
  /** The key set's RSA key (kid k1, RS256) and EC key (kid k2, ES256) (JWKS mode). */
  trustedRsaKey: KeyObject;
  trustedEcKey: KeyObject;
  /** The public half of the trusted RSA key, as a PEM and as a JWK. */
  publicPem: string;
  publicJwk: JWK;
  /** An RSA key the service does not trust, and its public JWK. */
  strangerKey: KeyObject;
  strangerJwk: JWK;
  /** A key set the service was never told about, holding the stranger's key. */
  otherJwksUrl: string;
}

export interface TokenAttack {
  name: string;
  /** The modes the attack applies to (both when absent). */
  only?: TokenMode;
  outcome: Outcome;
  authorization(kit: AttackKit): string;
}

const bearer = (token: string) => `Bearer ${token}`;
const now = () => Math.floor(Date.now() / 1000);
const json = (value: unknown) => JSON.stringify(value);

/** A valid token of `kit` with the claims written as raw JSON text (duplicates and all). */
function rawClaims(kit: AttackKit, payload: JsonText): string {
  return kit.signWithTrustedKey(json(kit.trustedHeader), payload);
}

/** `"exp":...,"iss":...` of the control claims, to splice into hand-written payloads. */
function controlMembers(kit: AttackKit, without: string[]): string {
  const claims = kit.claims();
  for (const name of without) delete claims[name];
  return json(claims).slice(1, -1);
}

/** A scope as a test name shows it: quoted, anything but printable ASCII as a \\u escape. */
const shown = (scope: string) =>
  JSON.stringify(scope).replace(
    /[^ -~]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

const scopeSmuggling: TokenAttack[] = [
  'job:read2',
  'job:reads',
  'job:readjob:write',
  'JOB:READ',
  'job:read\t',
  'job:read\n',
  'job:read\u0000',
  'job:read\u00a0',
  'job:read,encounter:read',
  'job:rеad', // a Cyrillic "е"
  'job:*',
  '*',
  'job: read',
].map((scope) => ({
  name: `scope ${shown(scope)} does not grant job:read`,
  outcome: 'missing job:read' as const,
  authorization: (kit) => bearer(kit.valid({ scope })),
}));

const SPACE_SEPARATED: TokenAttack[] = [
  'job:read ',
  '  job:read  ',
  'encounter:write job:read',
].map((scope) => ({
  name: `scope ${JSON.stringify(scope)} grants job:read (a space is the separator, RFC 9068)`,
  outcome: 'accepted' as const,
  authorization: (kit) => bearer(kit.valid({ scope })),
}));

/** Attacks on both modes: the token's shape, its claims, its scopes, the header it comes in. */
const COMMON: TokenAttack[] = [
  ...['none', 'None', 'NONE', 'nOnE'].map((alg) => ({
    name: `alg "${alg}" without a signature`,
    outcome: 'invalid token' as const,
    authorization: (kit: AttackKit) => bearer(unsignedToken({ alg, typ: 'JWT' }, kit.claims())),
  })),
  {
    name: 'alg "none" keeping the signature of a valid token',
    outcome: 'invalid token',
    authorization: (kit) => {
      const { payload, signature } = segmentsOf(kit.valid());
      const header = Buffer.from(json({ alg: 'none' })).toString('base64url');
      return bearer(`${header}.${payload}.${signature}`);
    },
  },
  {
    name: 'expired a minute ago',
    outcome: 'invalid token',
    authorization: (kit) => bearer(kit.valid({ exp: now() - 60 })),
  },
  {
    name: 'no exp',
    outcome: 'invalid token',
    authorization: (kit) => bearer(kit.valid({ exp: undefined })),
  },
  {
    name: 'exp as a string',
    outcome: 'invalid token',
    authorization: (kit) => bearer(kit.valid({ exp: String(now() + 300) })),
  },
  {
    name: 'nbf ten minutes ahead',
    outcome: 'invalid token',
    authorization: (kit) => bearer(kit.valid({ nbf: now() + 600 })),
  },
  ...[
    ['another issuer', { iss: 'https://evil.example' }],
    ['no issuer', { iss: undefined }],
    ['the issuer with a trailing slash', { iss: 'https://idp.hospital.example/' }],
    ['the issuer in a list', { iss: ['https://idp.hospital.example'] }],
    ['another audience', { aud: 'another-service' }],
    ['no audience', { aud: undefined }],
    ['an audience list without this service', { aud: ['another-service', 'a-third'] }],
  ].map(([what, changes]) => ({
    name: `${what as string}`,
    outcome: 'invalid token' as const,
    authorization: (kit: AttackKit) => bearer(kit.valid(changes as Claims)),
  })),
  {
    name: 'an audience list naming this service',
    outcome: 'accepted',
    authorization: (kit) => bearer(kit.valid({ aud: ['another-service', 'mis-jobs'] })),
  },
  {
    name: 'a tampered payload (the signature of the original)',
    outcome: 'invalid token',
    authorization: (kit) => {
      const { header, signature } = segmentsOf(kit.valid());
      const { payload } = segmentsOf(
        kit.valid({ client_id: 'mis-2', scope: 'job:read job:write' }),
      );
      return bearer(`${header}.${payload}.${signature}`);
    },
  },
  {
    name: 'the signature cut off',
    outcome: 'invalid token',
    authorization: (kit) => bearer(kit.valid().replace(/\.[^.]+$/, '.')),
  },
  {
    name: 'the signature one character short',
    outcome: 'invalid token',
    authorization: (kit) => bearer(kit.valid().slice(0, -1)),
  },
  {
    name: 'a critical header extension the service does not know',
    outcome: 'invalid token',
    authorization: (kit) =>
      bearer(kit.valid({}, { ...kit.trustedHeader, crit: ['x-ward'], 'x-ward': 'icu' })),
  },
  {
    name: 'five segments (an encrypted token)',
    outcome: 'invalid token',
    authorization: (kit) => bearer(`${kit.valid()}.AAAA.BBBB`),
  },
  {
    name: 'scope written twice in the payload',
    outcome: 'invalid token',
    authorization: (kit) =>
      bearer(
        rawClaims(
          kit,
          `{"scope":"encounter:write","scope":"job:read",${controlMembers(kit, ['scope'])}}`,
        ),
      ),
  },
  {
    name: 'scope written twice, once with an escape',
    outcome: 'invalid token',
    authorization: (kit) =>
      bearer(
        rawClaims(kit, `{"scope":"x","sc\\u006fpe":"job:read",${controlMembers(kit, ['scope'])}}`),
      ),
  },
  {
    name: 'client_id written twice in the payload',
    outcome: 'invalid token',
    authorization: (kit) =>
      bearer(
        rawClaims(
          kit,
          `{"client_id":"mis-2","client_id":"mis-1",${controlMembers(kit, ['client_id'])}}`,
        ),
      ),
  },
  {
    name: 'alg written twice in the header',
    outcome: 'invalid token',
    authorization: (kit) =>
      bearer(
        kit.signWithTrustedKey(
          `{"alg":"none",${json(kit.trustedHeader).slice(1)}`,
          json(kit.claims()),
        ),
      ),
  },
  {
    name: 'the same claims written once (the control of the duplicates)',
    outcome: 'accepted',
    authorization: (kit) => bearer(rawClaims(kit, json(kit.claims()))),
  },
  ...scopeSmuggling,
  ...SPACE_SEPARATED,
  ...[
    ['scope as a list', { scope: ['job:read'] }],
    ['scope as an object', { scope: { 'job:read': true } }],
    ['scope as a number', { scope: 1 }],
    ['scp as a string', { scope: undefined, scp: 'job:read' }],
    ['scp holding a list', { scope: undefined, scp: [['job:read']] }],
  ].map(([what, changes]) => ({
    name: `${what as string} (a claim of the wrong shape)`,
    outcome: 'invalid token' as const,
    authorization: (kit: AttackKit) => bearer(kit.valid(changes as Claims)),
  })),
  {
    name: 'scp ["job:read "] (list items are matched exactly)',
    outcome: 'missing job:read',
    authorization: (kit) => bearer(kit.valid({ scope: undefined, scp: ['job:read '] })),
  },
  {
    name: 'scp ["job:read"]',
    outcome: 'accepted',
    authorization: (kit) => bearer(kit.valid({ scope: undefined, scp: ['job:read'] })),
  },
  ...[
    ['no client_id, azp or sub', { client_id: undefined }],
    ['an empty client_id', { client_id: '' }],
    ['a numeric client_id', { client_id: 42 }],
    ['a null client_id', { client_id: null }],
    ['a client_id of 201 characters', { client_id: 'm'.repeat(201) }],
    ['a client_id with a NUL byte', { client_id: 'mis-1\u0000' }],
    ['a client_id with a line break', { client_id: 'mis-1\nmis-2' }],
  ].map(([what, changes]) => ({
    name: `${what as string}`,
    outcome: 'invalid token' as const,
    authorization: (kit: AttackKit) => bearer(kit.valid(changes as Claims)),
  })),
  { name: 'an empty token', outcome: 'no bearer token', authorization: () => 'Bearer ' },
  { name: 'the scheme alone', outcome: 'no bearer token', authorization: () => 'Bearer' },
  {
    name: 'a token of 100,000 characters',
    outcome: 'invalid token',
    authorization: () => bearer(`${'A'.repeat(50_000)}.${'B'.repeat(49_999)}`),
  },
  {
    name: 'a huge valid-looking token (a 60,000-character claim)',
    outcome: 'invalid token',
    authorization: (kit) => {
      const { header, signature } = segmentsOf(kit.valid());
      const { payload } = segmentsOf(kit.valid({ padding: 'x'.repeat(60_000) }));
      return bearer(`${header}.${payload}.${signature}`);
    },
  },
  {
    name: 'a non-ASCII token',
    outcome: 'no bearer token',
    authorization: () => headerValue('Bearer токен.доступу.підпис'),
  },
  {
    name: 'a valid token with a non-ASCII character inside',
    outcome: 'no bearer token',
    authorization: (kit) => {
      const token = kit.valid();
      return headerValue(`Bearer ${token.slice(0, 20)}é${token.slice(21)}`);
    },
  },
  ...['bearer', 'BEARER', 'bEaReR'].map((scheme) => ({
    name: `the scheme written "${scheme}" (schemes are case-insensitive)`,
    outcome: 'accepted' as const,
    authorization: (kit: AttackKit) => `${scheme} ${kit.valid()}`,
  })),
  {
    name: 'two spaces after the scheme',
    outcome: 'accepted',
    authorization: (kit) => `Bearer  ${kit.valid()}`,
  },
  ...[
    ['a tab after the scheme', (token: string) => `Bearer\t${token}`],
    ['no space after the scheme', (token: string) => `Bearer${token}`],
    ['a colon after the scheme', (token: string) => `Bearer: ${token}`],
    ['the token twice', (token: string) => `Bearer ${token} ${token}`],
    ['a second credential after a comma', (token: string) => `Bearer ${token}, Basic eDp5`],
    ['the token in quotes', (token: string) => `Bearer "${token}"`],
    ['the Basic scheme', (token: string) => `Basic ${token}`],
    ['the Token scheme', (token: string) => `Token ${token}`],
    ['no scheme', (token: string) => token],
  ].map(([what, write]) => ({
    name: `${what as string}`,
    outcome: 'no bearer token' as const,
    authorization: (kit: AttackKit) => (write as (token: string) => string)(kit.valid()),
  })),
];

type Forgery = Pick<TokenAttack, 'name' | 'authorization'>;

/** Forgeries that apply to one mode only, each refused as an invalid token. */
const refusedIn = (mode: TokenMode, forgeries: Forgery[]): TokenAttack[] =>
  forgeries.map((forgery) => ({ ...forgery, only: mode, outcome: 'invalid token' }));

/** Attacks on a service that trusts an identity provider's key set (RS256 and ES256). */
const JWKS_ONLY = refusedIn('jwks', [
  {
    name: 'HS256 signed with the RSA public key as a PEM (algorithm confusion)',
    authorization: (kit) =>
      bearer(
        signRaw(json({ alg: 'HS256', kid: 'k1' }), json(kit.claims()), 'HS256', {
          secret: kit.publicPem,
        }),
      ),
  },
  {
    name: 'HS256 signed with the RSA public key as a JWK (algorithm confusion)',
    authorization: (kit) =>
      bearer(
        signRaw(json({ alg: 'HS256', kid: 'k1' }), json(kit.claims()), 'HS256', {
          secret: json(kit.publicJwk),
        }),
      ),
  },
  {
    name: 'HS256 signed with the RSA modulus (algorithm confusion)',
    authorization: (kit) =>
      bearer(
        signRaw(json({ alg: 'HS256' }), json(kit.claims()), 'HS256', {
          secret: Buffer.from(String(kit.publicJwk.n), 'base64url'),
        }),
      ),
  },
  {
    name: 'signed by another key under the trusted kid',
    authorization: (kit) =>
      bearer(
        signRaw(json(kit.trustedHeader), json(kit.claims()), 'RS256', {
          privateKey: kit.strangerKey,
        }),
      ),
  },
  {
    name: 'a kid the key set does not have',
    authorization: (kit) =>
      bearer(
        signRaw(json({ alg: 'RS256', kid: 'k9' }), json(kit.claims()), 'RS256', {
          privateKey: kit.strangerKey,
        }),
      ),
  },
  {
    name: 'the signing key embedded in the header (jwk)',
    authorization: (kit) =>
      bearer(
        signRaw(json({ alg: 'RS256', jwk: kit.strangerJwk }), json(kit.claims()), 'RS256', {
          privateKey: kit.strangerKey,
        }),
      ),
  },
  {
    name: 'a jku header pointing at another key set',
    authorization: (kit) =>
      bearer(
        signRaw(
          json({ alg: 'RS256', kid: 'k1', jku: kit.otherJwksUrl }),
          json(kit.claims()),
          'RS256',
          {
            privateKey: kit.strangerKey,
          },
        ),
      ),
  },
  {
    name: 'alg ES256 in the header over an RS256 signature of the trusted key',
    authorization: (kit) =>
      bearer(kit.signWithTrustedKey(json({ alg: 'ES256', kid: 'k1' }), json(kit.claims()))),
  },
  ...['RS384', 'PS256'].map((alg): Forgery => ({
    name: `${alg} with the trusted key (only RS256 and ES256 are allowed)`,
    authorization: (kit: AttackKit) =>
      bearer(
        signRaw(json({ alg, kid: 'k1' }), json(kit.claims()), alg, {
          privateKey: kit.trustedRsaKey,
        }),
      ),
  })),
]);

const JWKS_CONTROLS: TokenAttack[] = [
  {
    name: 'ES256 signed by the trusted EC key (the second key of the set)',
    only: 'jwks',
    outcome: 'accepted',
    authorization: (kit) =>
      bearer(
        signRaw(json({ alg: 'ES256', kid: 'k2' }), json(kit.claims()), 'ES256', {
          privateKey: kit.trustedEcKey,
        }),
      ),
  },
];

/** Attacks on a service with a shared HS256 secret. */
const SECRET_ONLY = refusedIn('secret', [
  {
    name: 'RS256 signed by some RSA key (no key set is configured)',
    authorization: (kit: AttackKit) =>
      bearer(
        signRaw(json({ alg: 'RS256' }), json(kit.claims()), 'RS256', {
          privateKey: kit.strangerKey,
        }),
      ),
  },
  {
    name: 'HS512 with the shared secret (the algorithm is pinned to HS256)',
    authorization: (kit: AttackKit) =>
      bearer(signRaw(json({ alg: 'HS512' }), json(kit.claims()), 'HS512', { secret: kit.secret })),
  },
  {
    name: 'HS256 with the secret one character off',
    authorization: (kit: AttackKit) =>
      bearer(
        signRaw(json({ alg: 'HS256' }), json(kit.claims()), 'HS256', {
          secret: `${kit.secret.slice(0, -1)}!`,
        }),
      ),
  },
]);

export const TOKEN_ATTACKS: TokenAttack[] = [
  ...COMMON,
  ...JWKS_ONLY,
  ...JWKS_CONTROLS,
  ...SECRET_ONLY,
];
