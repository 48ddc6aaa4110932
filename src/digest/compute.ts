import {
  algorithmRow,
  type DigestAlgorithm,
  type DigestHash,
  type DigestQop,
  hashHex,
} from './algorithms.js';
import { optionError } from './errors.js';

/** Everything the request-digest depends on (RFC 7616 §3.4.1-§3.4.3). */
export interface DigestResponseInput {
  /** The algorithm; a `-sess` one needs `cnonce`. */
  readonly algorithm: DigestAlgorithm;
  /** The user name. */
  readonly username: string;
  /** The realm of the challenge. */
  readonly realm: string;
  /** The password; give either it or `ha1`. */
  readonly password?: string | undefined;
  /** A stored H(username:realm:password) in lower-case hex, computed with the algorithm's hash (see computeHa1). */
  readonly ha1?: string | undefined;
  /** The nonce of the challenge. */
  readonly nonce: string;
  /** The request method (RFC 3261 §22.4: ACK and CANCEL use INVITE's credentials but their own method). */
  readonly method: string;
  /** digest-uri: the Request-URI. */
  readonly uri: string;
  /** undefined for RFC 2069 compatibility (no qop, no cnonce, no nc). */
  readonly qop?: DigestQop | undefined;
  /** The nonce count (written as 8 hex digits); needed with qop. */
  readonly nc?: number | undefined;
  /** The client nonce; needed with qop and for -sess. */
  readonly cnonce?: string | undefined;
  /** The message body, hashed into HA2 for qop=auth-int; empty when absent. */
  readonly body?: Uint8Array | undefined;
}

/**
 * The stored form of a password (async): H(username ":" realm ":" password) (RFC 7616 §3.4.2), hex.
 * A server may keep this instead of the password, one per hash it offers. Asynchronous
 * because SHA-256 uses Web Crypto; MD5 and SHA-512-256 resolve at once.
 * @param hash - the hash of the algorithm the HA1 will serve (`MD5` for `MD5` and `MD5-sess`)
 * @param username - the user name
 * @param realm - the realm
 * @param password - the password
 * @returns a Promise of the lower-case hex HA1
 * @throws DigestError CRYPTO_UNAVAILABLE (as a rejected Promise) for SHA-256 without Web Crypto
 * @example await computeHa1('MD5', 'bob', 'biloxi.com', 'zanzibar')
 */
export function computeHa1(
  hash: DigestHash,
  username: string,
  realm: string,
  password: string,
): Promise<string> {
  return hashHex(hash, `${username}:${realm}:${password}`);
}

/**
 * Computes the request-digest of RFC 7616 §3.4.1 (async; RFC 3261 §22.4, RFC 8760):
 * `H(HA1:nonce:nc:cnonce:qop:HA2)` with qop, `H(HA1:nonce:HA2)` without, where
 * HA2 = H(method:uri) or, for auth-int, H(method:uri:H(body)), and a `-sess` algorithm
 * uses H(HA1:nonce:cnonce) as HA1. Asynchronous (Web Crypto for SHA-256).
 * @param input - the algorithm, identity, challenge values and request
 * @returns a Promise of the lower-case hex response
 * @throws DigestError INVALID_DIGEST_OPTION (as a rejected Promise) when neither or both of
 * password and ha1 are given, when qop or a -sess algorithm lacks cnonce, or qop lacks nc;
 * CRYPTO_UNAVAILABLE for SHA-256 without Web Crypto
 * @example
 * ```ts
 * await computeDigestResponse({ algorithm: 'MD5', username: 'bob', realm: 'r', password: 'p', nonce: 'n', method: 'REGISTER', uri: 'sip:r' })
 * ```
 */
export async function computeDigestResponse(input: DigestResponseInput): Promise<string> {
  const row = algorithmRow(input.algorithm);
  if (row === undefined) throw optionError('algorithm', 'one of DIGEST_ALGORITHMS');
  if ((input.password === undefined) === (input.ha1 === undefined)) {
    throw optionError('password', 'either password or ha1, not both');
  }
  if ((input.qop !== undefined || row.session) && input.cnonce === undefined) {
    throw optionError('cnonce', 'a cnonce with qop or a -sess algorithm (RFC 7616 §3.4)');
  }
  if (input.qop !== undefined && input.nc === undefined) {
    throw optionError('nc', 'a nonce count with qop (RFC 7616 §3.4)');
  }
  const hash = row.hash;
  let ha1 =
    input.ha1?.toLowerCase() ??
    (await computeHa1(hash, input.username, input.realm, input.password ?? ''));
  // RFC 7616 §3.4.2: for -sess, HA1 = H(H(username:realm:password):nonce:cnonce)
  if (row.session) ha1 = await hashHex(hash, `${ha1}:${input.nonce}:${input.cnonce ?? ''}`);
  // RFC 7616 §3.4.3: auth-int adds H(entity-body) to HA2; the empty body hashes the empty string
  const ha2 =
    input.qop === 'auth-int'
      ? await hashHex(
          hash,
          `${input.method}:${input.uri}:${await hashHex(hash, input.body ?? new Uint8Array(0))}`,
        )
      : await hashHex(hash, `${input.method}:${input.uri}`);
  if (input.qop === undefined) return hashHex(hash, `${ha1}:${input.nonce}:${ha2}`);
  const nc = (input.nc ?? 0).toString(16).padStart(8, '0');
  return hashHex(hash, `${ha1}:${input.nonce}:${nc}:${input.cnonce ?? ''}:${input.qop}:${ha2}`);
}
