import { randomBytes, subtle, toHex } from './algorithms.js';
import { constantTimeEqual } from './compare.js';
import { optionError } from './errors.js';

/**
 * Stateless nonces (RFC 7616 §3.3, §5.4): `hex(timestamp ‖ random ‖ MAC)` where the MAC is
 * HMAC-SHA-256 over timestamp, random and realm with the server's secret (Web Crypto),
 * truncated to 128 bits. A server that keeps no state can then tell a nonce it issued from a
 * forged one, and a fresh one from a stale one.
 */

const STAMP_BYTES = 8;
const RANDOM_BYTES = 12;
const MAC_BYTES = 16;
const NONCE_BYTES = STAMP_BYTES + RANDOM_BYTES + MAC_BYTES;
const encoder = new TextEncoder();

/** The least secret length in bytes: an HMAC key shorter than 128 bits is guessable. @internal */
export const MIN_SECRET_BYTES = 16;

/** What checkNonce found. @internal */
export type NonceState = 'fresh' | 'expired' | 'not-issued';

async function mac(secret: Uint8Array, head: Uint8Array, realm: string): Promise<Uint8Array> {
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw optionError('secret', `at least ${MIN_SECRET_BYTES} random bytes`);
  }
  const crypto = subtle();
  const key = await crypto.importKey(
    'raw',
    new Uint8Array(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const realmBytes = encoder.encode(realm);
  const data = new Uint8Array(head.length + realmBytes.length);
  data.set(head);
  data.set(realmBytes, head.length);
  return new Uint8Array(await crypto.sign('HMAC', key, data)).subarray(0, MAC_BYTES);
}

/**
 * A new nonce for `realm`, issued at `now`.
 * @param secret - the server secret (≥ 16 bytes)
 * @param realm - the realm the nonce is bound to
 * @param now - milliseconds since the epoch
 * @returns a Promise of 72 lower-case hex digits
 * @throws DigestError INVALID_DIGEST_OPTION for a short secret; CRYPTO_UNAVAILABLE
 * @internal
 */
export async function createNonce(secret: Uint8Array, realm: string, now: number): Promise<string> {
  const head = new Uint8Array(STAMP_BYTES + RANDOM_BYTES);
  const view = new DataView(head.buffer);
  view.setUint32(0, Math.floor(now / 0x100000000));
  view.setUint32(4, now >>> 0);
  head.set(randomBytes(RANDOM_BYTES), STAMP_BYTES);
  const tag = await mac(secret, head, realm);
  return toHex(head) + toHex(tag);
}

/**
 * Whether `nonce` was issued by a server with this secret for this realm, and if so whether
 * it is still within its lifetime. The MAC is compared in constant time.
 * @internal
 */
export async function checkNonce(
  nonce: string,
  secret: Uint8Array,
  realm: string,
  now: number,
  lifetimeMs: number,
): Promise<NonceState> {
  if (!/^[0-9a-f]+$/.test(nonce) || nonce.length !== NONCE_BYTES * 2) return 'not-issued';
  const head = new Uint8Array(STAMP_BYTES + RANDOM_BYTES);
  for (let i = 0; i < head.length; i++) {
    head[i] = Number.parseInt(nonce.slice(i * 2, i * 2 + 2), 16);
  }
  const expected = toHex(await mac(secret, head, realm));
  if (!constantTimeEqual(expected, nonce.slice(head.length * 2))) return 'not-issued';
  const view = new DataView(head.buffer);
  const issuedAt = view.getUint32(0) * 0x100000000 + view.getUint32(4);
  const age = now - issuedAt;
  return age >= 0 && age <= lifetimeMs ? 'fresh' : 'expired';
}
