import { DigestError } from './errors.js';
import { md5 } from './md5.js';
import { sha512_256 } from './sha512-256.js';

/**
 * The Digest algorithms, strongest first: a client answering several challenges picks the
 * first row it supports among those offered (RFC 8760 §2.4, RFC 7616 §3.7). Each `-sess`
 * variant hashes the nonce and cnonce into HA1 (RFC 7616 §3.4.2).
 */
export const DIGEST_ALGORITHMS = [
  { name: 'SHA-512-256', hash: 'SHA-512-256', session: false, source: 'RFC 8760 §2.3' },
  { name: 'SHA-512-256-sess', hash: 'SHA-512-256', session: true, source: 'RFC 8760 §2.3' },
  { name: 'SHA-256', hash: 'SHA-256', session: false, source: 'RFC 8760 §2.2' },
  { name: 'SHA-256-sess', hash: 'SHA-256', session: true, source: 'RFC 8760 §2.2' },
  { name: 'MD5', hash: 'MD5', session: false, source: 'RFC 3261 §22.4' },
  { name: 'MD5-sess', hash: 'MD5', session: true, source: 'RFC 7616 §3.4.2' },
] as const;
DIGEST_ALGORITHMS satisfies readonly {
  name: string;
  hash: string;
  session: boolean;
  source: string;
}[];

/** A Digest algorithm name, as written in the `algorithm` parameter. */
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number]['name'];

/** A hash function under the Digest algorithms: what a stored HA1 was computed with. */
export type DigestHash = (typeof DIGEST_ALGORITHMS)[number]['hash'];

/** A quality of protection (RFC 7616 §3.3): authentication, or authentication with body integrity. */
export type DigestQop = 'auth' | 'auth-int';

/** The table row for an algorithm name (case-insensitive), or undefined when unknown. @internal */
export function algorithmRow(name: string): (typeof DIGEST_ALGORITHMS)[number] | undefined {
  const upper = name.toUpperCase();
  return DIGEST_ALGORITHMS.find((row) => row.name.toUpperCase() === upper);
}

/** Rank of an algorithm: 0 is the strongest. @internal */
export function algorithmRank(name: DigestAlgorithm): number {
  return DIGEST_ALGORITHMS.findIndex((row) => row.name === name);
}

const encoder = new TextEncoder();

/**
 * The hex digest of `data` under `hash`: MD5 and SHA-512/256 in this package's own code
 * (synchronous, resolved at once), SHA-256 with Web Crypto's SubtleCrypto (asynchronous).
 * @throws DigestError CRYPTO_UNAVAILABLE for SHA-256 where `globalThis.crypto.subtle` is missing
 * @internal
 */
export async function hashHex(hash: DigestHash, data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  if (hash === 'MD5') return toHex(md5(bytes));
  if (hash === 'SHA-512-256') return toHex(sha512_256(bytes));
  // Web Crypto wants an ArrayBuffer-backed view; copy one backed by a SharedArrayBuffer
  const owned = bytes.buffer instanceof ArrayBuffer ? bytes : new Uint8Array(bytes);
  return toHex(new Uint8Array(await subtle().digest('SHA-256', owned as Uint8Array<ArrayBuffer>)));
}

/**
 * Web Crypto's SubtleCrypto, or a DigestError saying it is missing (old runtimes, and browser
 * pages outside a secure context).
 * @internal
 */
export function subtle(): SubtleCrypto {
  const found = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (found === undefined) {
    throw new DigestError(
      'CRYPTO_UNAVAILABLE',
      'Web Crypto is not available: globalThis.crypto.subtle is missing; use Node ≥ 20.19 or a browser page in a secure context (https or localhost)',
    );
  }
  return found;
}

/**
 * `length` random bytes from Web Crypto's getRandomValues, or a DigestError saying it is missing.
 * @internal
 */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (crypto?.getRandomValues === undefined) {
    throw new DigestError(
      'CRYPTO_UNAVAILABLE',
      'Web Crypto is not available: globalThis.crypto.getRandomValues is missing; use Node ≥ 20.19 or a browser',
    );
  }
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Lower-case hex of bytes (RFC 7616 §3.4.1: LHEX). @internal */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}
