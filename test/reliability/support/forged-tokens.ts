import { constants, createHmac, KeyObject, sign } from 'node:crypto';

export type JsonText = string;

const segment = (text: JsonText) => Buffer.from(text).toString('base64url');

/** How a token is signed: an HMAC secret, or a private key (RSA or EC P-256). */
export type SigningKey = { secret: Uint8Array | string } | { privateKey: KeyObject };

const HASHES: Record<string, string> = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

/**
 * A compact JWS over exactly these header and payload texts, so a test can send what no JWT library
 * would write: duplicate members, a header that lies about the algorithm, any claim of any type.
 * `alg` picks the signature computed (HS*, RS*, PS*, ES*); it need not match the header's.
 */
export function signRaw(header: JsonText, payload: JsonText, alg: string, key: SigningKey): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const hash = HASHES[alg.slice(2)];
  let signature: Buffer;
  if ('secret' in key) {
    signature = createHmac(hash, key.secret).update(input).digest();
  } else if (alg.startsWith('ES')) {
    signature = sign(hash, Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  } else if (alg.startsWith('PS')) {
    signature = sign(hash, Buffer.from(input), {
      key: key.privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: 32,
    });
  } else {
    signature = sign(hash, Buffer.from(input), key.privateKey);
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** A token with no signature at all (`alg: none` and the like). */
export function unsignedToken(header: object, payload: object): string {
  return `${segment(JSON.stringify(header))}.${segment(JSON.stringify(payload))}.`;
}

/** The segments of a compact token. */
export function segmentsOf(token: string): { header: string; payload: string; signature: string } {
  const [header, payload, signature] = token.split('.');
  return { header, payload, signature };
}
