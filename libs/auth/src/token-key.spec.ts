import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSecret, resolveTokenKey } from './token-key';

describe('loadOrCreateSecret', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'token-key-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the secret file, and its folder, readable by the owner only', () => {
    const file = join(root, 'nested', 'data', 'auth-secret');

    const secret = loadOrCreateSecret(file);

    expect(statSync(join(root, 'nested', 'data')).isDirectory()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);
  });

  it('makes a secret long enough for HS256 (at least 32 bytes)', () => {
    const secret = loadOrCreateSecret(join(root, 'auth-secret'));

    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  it('returns the same secret on a second call', () => {
    const file = join(root, 'auth-secret');

    expect(loadOrCreateSecret(file)).toBe(loadOrCreateSecret(file));
  });

  it('makes a different secret for another data folder', () => {
    expect(loadOrCreateSecret(join(root, 'a', 'auth-secret'))).not.toBe(
      loadOrCreateSecret(join(root, 'b', 'auth-secret')),
    );
  });
});

describe('resolveTokenKey', () => {
  it('pins HS256 for a configured secret and uses its bytes as the key', () => {
    const secret = 's'.repeat(40);
    const key = resolveTokenKey({ kind: 'secret', secret });

    expect(key.algorithms).toEqual(['HS256']);
    expect(Buffer.from(key.key as Uint8Array).toString('utf8')).toBe(secret);
  });

  it('pins HS256 for a generated secret and reads it from its file', () => {
    const root = mkdtempSync(join(tmpdir(), 'token-key-'));
    try {
      const file = join(root, 'auth-secret');
      const key = resolveTokenKey({ kind: 'generated-secret', file });

      expect(key.algorithms).toEqual(['HS256']);
      expect(Buffer.from(key.key as Uint8Array).toString('utf8')).toBe(loadOrCreateSecret(file));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('pins RS256 and ES256 for a JWKS, with a key resolver', () => {
    const key = resolveTokenKey({ kind: 'jwks', url: 'http://127.0.0.1:1/jwks.json' });

    expect([...key.algorithms].sort()).toEqual(['ES256', 'RS256']);
    expect(key.algorithms).not.toContain('HS256');
    expect(typeof key.key).toBe('function');
  });
});
