import { ParseError } from '../parse/errors.js';
import {
  algorithmRow,
  type DigestAlgorithm,
  type DigestHash,
  type DigestQop,
} from './algorithms.js';
import { constantTimeEqual } from './compare.js';
import { computeDigestResponse } from './compute.js';
import { optionError } from './errors.js';
import {
  type DigestCredentials,
  formatDigestChallenge,
  parseDigestCredentials,
} from './header-values.js';
import { checkNonce, createNonce } from './nonce.js';

/** Options shared by createChallenges and verifyCredentials: pass the same values to both. */
export interface DigestServerOptions {
  /** The protection space shown to users (RFC 3261 §22.1), e.g. the domain name. */
  readonly realm: string;
  /** HMAC key for stateless nonces: at least 16 random bytes, the same across restarts if nonces must survive them. */
  readonly secret: Uint8Array;
  /**
   * Algorithms offered, most preferred first, one challenge each (RFC 8760 §2.4); verification
   * accepts only these.
   * @defaultValue `['SHA-256', 'MD5']`
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /**
   * qop values offered and accepted; `[]` offers none and accepts only RFC 2069 credentials.
   * @defaultValue `['auth']`
   */
  readonly qop?: readonly DigestQop[];
  /** opaque to send; when set, credentials must echo it (RFC 7616 §3.3). @defaultValue undefined */
  readonly opaque?: string;
  /** How long a nonce stays fresh, in milliseconds. @defaultValue 300000 (5 minutes) */
  readonly nonceLifetimeMs?: number;
  /** The current time in milliseconds since the epoch. @defaultValue `Date.now()` */
  readonly now?: number;
}

/** Options of createChallenges. */
export interface ChallengeOptions extends DigestServerOptions {
  /** Send stale=true: the last nonce was stale, the credentials right (RFC 7616 §3.3). @defaultValue false */
  readonly stale?: boolean;
  /** The domain parameter (space-separated URIs); omitted by default. @defaultValue undefined */
  readonly domain?: string;
}

/** What the server knows of a user: the password, or a stored HA1 for the asked hash (see computeHa1). */
export type DigestSecret = { readonly password: string } | { readonly ha1: string };

/** Options of verifyCredentials. */
export interface VerifyOptions extends DigestServerOptions {
  /**
   * Finds a user's password or stored HA1. `hash` says which HA1 is needed; return undefined
   * for an unknown user. May return a Promise.
   */
  readonly lookup: (
    username: string,
    hash: DigestHash,
  ) => DigestSecret | undefined | Promise<DigestSecret | undefined>;
  /**
   * Replay check for servers that keep state: return false when `nc` was already seen for
   * this nonce (RFC 7616 §3.4: the count must increase). Not called for RFC 2069 credentials.
   * @defaultValue undefined (no check)
   */
  readonly checkNonceCount?: (nonce: string, nc: number) => boolean | Promise<boolean>;
}

/** The request the credentials came with. */
export interface DigestRequest {
  /** The request method (ACK and CANCEL: their own method, RFC 3261 §22.4). */
  readonly method: string;
  /** The Request-URI; when given, the credentials' uri must equal it (RFC 7616 §3.4.6). */
  readonly uri?: string;
  /** The body, for qop=auth-int. @defaultValue empty */
  readonly body?: Uint8Array;
}

/** Why credentials that parsed were refused. */
export type DigestWrongReason =
  | 'REALM_MISMATCH'
  | 'OPAQUE_MISMATCH'
  | 'URI_MISMATCH'
  | 'UNKNOWN_USER'
  | 'RESPONSE_MISMATCH'
  | 'NONCE_COUNT_REPLAYED';

/** Why a nonce was refused although the response was right for it. */
export type DigestStaleReason = 'NONCE_EXPIRED' | 'NONCE_NOT_ISSUED';

/** Why credentials were unusable before any check of their values. */
export type DigestMalformedReason =
  | 'INVALID_CREDENTIALS'
  | 'INVALID_QUOTED_STRING'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNSUPPORTED_QOP';

/**
 * The outcome of verifyCredentials:
 * `ok` (accept the request), `stale` (answer 401/407 again with stale=true: the password was
 * right), `wrong-credentials` (answer 401/407 again, or 403) or `malformed` (answer 400).
 * Every outcome but `ok` carries a stable `reason` and a sentence.
 */
export type DigestVerdict =
  | {
      readonly status: 'ok';
      readonly credentials: DigestCredentials;
      readonly algorithm: DigestAlgorithm;
    }
  | {
      readonly status: 'stale';
      readonly reason: DigestStaleReason;
      readonly message: string;
      readonly credentials: DigestCredentials;
    }
  | {
      readonly status: 'wrong-credentials';
      readonly reason: DigestWrongReason;
      readonly message: string;
      readonly credentials: DigestCredentials;
    }
  | {
      readonly status: 'malformed';
      readonly reason: DigestMalformedReason;
      readonly message: string;
    };

const DEFAULT_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];
const DEFAULT_QOP: readonly DigestQop[] = ['auth'];
const DEFAULT_NONCE_LIFETIME_MS = 300_000;

function checkOptions(options: DigestServerOptions): void {
  if (options.realm === '' || /[\r\n]/.test(options.realm)) {
    throw optionError('realm', 'a non-empty realm without CR or LF');
  }
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  if (algorithms.length === 0 || algorithms.some((name) => algorithmRow(name) === undefined)) {
    throw optionError('algorithms', 'one or more names of DIGEST_ALGORITHMS');
  }
  const lifetime = options.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS;
  if (!Number.isFinite(lifetime) || lifetime <= 0) {
    throw optionError('nonceLifetimeMs', 'a positive number of milliseconds');
  }
}

/**
 * Makes the WWW-Authenticate (401) or Proxy-Authenticate (407) values of a challenge (async):
 * one per
 * algorithm, in the caller's order (RFC 8760 §2.4, RFC 3261 §22.1), sharing one fresh nonce
 * that a stateless server can verify later. Asynchronous: the nonce's HMAC uses Web Crypto.
 * @param options - realm, secret and what to offer
 * @returns a Promise of the header values, one header field each
 * @throws DigestError (as a rejected Promise) INVALID_DIGEST_OPTION for an empty realm, a
 * secret under 16 bytes or an unknown algorithm; CRYPTO_UNAVAILABLE without Web Crypto
 * @example
 * ```ts
 * const values = await createChallenges({ realm: 'example.com', secret });
 * // ['Digest realm="example.com", nonce="…", algorithm=SHA-256, qop="auth"', '… algorithm=MD5 …']
 * ```
 */
export async function createChallenges(options: ChallengeOptions): Promise<string[]> {
  checkOptions(options);
  const nonce = await createNonce(options.secret, options.realm, options.now ?? Date.now());
  return (options.algorithms ?? DEFAULT_ALGORITHMS).map((algorithm) =>
    formatDigestChallenge({
      realm: options.realm,
      nonce,
      algorithm,
      qop: options.qop ?? DEFAULT_QOP,
      opaque: options.opaque,
      stale: options.stale,
      domain: options.domain,
    }),
  );
}

/**
 * Verifies an Authorization or Proxy-Authorization value (async; RFC 3261 §22.4, RFC 7616 §3.4):
 * parses it, checks algorithm, qop, realm, opaque and uri, recomputes the response from the
 * password or stored HA1 and compares it in constant time, then checks the nonce's MAC and
 * age and the optional nonce-count hook. Never throws for what the peer sent: the verdict says
 * what was wrong. Asynchronous (Web Crypto HMAC and SHA-256).
 * @param value - the header field value
 * @param request - method, Request-URI and body of the request
 * @param options - the server's options (as given to createChallenges) and the user lookup
 * @returns a Promise of the verdict
 * @throws DigestError (as a rejected Promise) INVALID_DIGEST_OPTION for unusable options;
 * CRYPTO_UNAVAILABLE without Web Crypto
 * @example
 * ```ts
 * const verdict = await verifyCredentials(authorization, { method: 'REGISTER', uri }, {
 *   realm: 'example.com', secret, lookup: (user) => (user === 'bob' ? { password: 'zanzibar' } : undefined),
 * });
 * if (verdict.status === 'ok') console.log('welcome', verdict.credentials.username);
 * ```
 */
export async function verifyCredentials(
  value: string,
  request: DigestRequest,
  options: VerifyOptions,
): Promise<DigestVerdict> {
  checkOptions(options);
  let credentials: DigestCredentials;
  try {
    credentials = parseDigestCredentials(value);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    // parseDigestCredentials throws these two codes only
    const reason = error.code === 'INVALID_QUOTED_STRING' ? error.code : 'INVALID_CREDENTIALS';
    return { status: 'malformed', reason, message: error.message };
  }
  const row = algorithmRow(credentials.algorithm);
  const accepted = options.algorithms ?? DEFAULT_ALGORITHMS;
  if (row === undefined || !accepted.includes(row.name)) {
    return {
      status: 'malformed',
      reason: 'UNSUPPORTED_ALGORITHM',
      message: `Digest algorithm "${credentials.algorithm}" is not accepted here; expected one of ${accepted.join(', ')}`,
    };
  }
  // RFC 7616 §3.4.2: a -sess HA1 hashes the cnonce, so one must be there even without qop
  if (row.session && credentials.cnonce === undefined) {
    return {
      status: 'malformed',
      reason: 'INVALID_CREDENTIALS',
      message: `Digest algorithm ${row.name} needs a cnonce (RFC 7616 §3.4.2)`,
    };
  }
  const offered = options.qop ?? DEFAULT_QOP;
  const qop = offered.find((item) => item === credentials.qop);
  // RFC 7616 §3.4: a client answers a qop challenge with one of the offered values
  if (credentials.qop === undefined ? offered.length > 0 : qop === undefined) {
    return {
      status: 'malformed',
      reason: 'UNSUPPORTED_QOP',
      message: `Digest qop "${credentials.qop ?? '(none)'}" is not accepted here; expected ${offered.length > 0 ? offered.join(' or ') : 'no qop'} (RFC 7616 §3.4)`,
    };
  }
  const wrong = (reason: DigestWrongReason, message: string): DigestVerdict => ({
    status: 'wrong-credentials',
    reason,
    message,
    credentials,
  });
  if (credentials.realm !== options.realm) {
    return wrong(
      'REALM_MISMATCH',
      `The credentials are for realm "${credentials.realm}", not "${options.realm}"`,
    );
  }
  if (options.opaque !== undefined && credentials.opaque !== options.opaque) {
    return wrong(
      'OPAQUE_MISMATCH',
      'The credentials do not return the opaque value of the challenge (RFC 7616 §3.3)',
    );
  }
  if (request.uri !== undefined && credentials.uri !== request.uri) {
    return wrong(
      'URI_MISMATCH',
      `The credentials are for "${credentials.uri}", not the Request-URI "${request.uri}" (RFC 7616 §3.4.6)`,
    );
  }
  const secret = await options.lookup(credentials.username, row.hash);
  // An unknown user costs the same hashing as a known one, so timing does not tell them apart
  const expected = await computeDigestResponse({
    algorithm: row.name,
    username: credentials.username,
    realm: credentials.realm,
    ...(secret === undefined
      ? { password: '' }
      : 'password' in secret
        ? { password: secret.password }
        : { ha1: secret.ha1 }),
    nonce: credentials.nonce,
    method: request.method,
    uri: credentials.uri,
    qop,
    nc: credentials.nc,
    cnonce: credentials.cnonce,
    body: request.body,
  });
  const matches = constantTimeEqual(expected, credentials.response);
  if (secret === undefined) {
    return wrong('UNKNOWN_USER', `No user "${credentials.username}" in realm "${options.realm}"`);
  }
  if (!matches) {
    return wrong(
      'RESPONSE_MISMATCH',
      'The Digest response does not match: wrong password, or a changed method, uri, nonce, nc, cnonce or body',
    );
  }
  const nonceState = await checkNonce(
    credentials.nonce,
    options.secret,
    options.realm,
    options.now ?? Date.now(),
    options.nonceLifetimeMs ?? DEFAULT_NONCE_LIFETIME_MS,
  );
  // RFC 7616 §3.3: stale=true when the nonce is invalid but the response valid for it
  if (nonceState !== 'fresh') {
    return {
      status: 'stale',
      reason: nonceState === 'expired' ? 'NONCE_EXPIRED' : 'NONCE_NOT_ISSUED',
      message:
        nonceState === 'expired'
          ? 'The nonce has expired; challenge again with stale=true'
          : 'The nonce was not issued by this server (or realm); challenge again with stale=true',
      credentials,
    };
  }
  if (
    qop !== undefined &&
    options.checkNonceCount !== undefined &&
    !(await options.checkNonceCount(credentials.nonce, credentials.nc ?? 0))
  ) {
    return wrong(
      'NONCE_COUNT_REPLAYED',
      `The nonce count ${credentials.nc} was already used with this nonce (RFC 7616 §3.4)`,
    );
  }
  return { status: 'ok', credentials, algorithm: row.name };
}
