import { ParseError } from '../parse/errors.js';
import {
  algorithmRank,
  algorithmRow,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestQop,
  randomBytes,
  toHex,
} from './algorithms.js';
import { computeDigestResponse } from './compute.js';
import { DigestError, optionError } from './errors.js';
import {
  type DigestChallenge,
  formatDigestCredentials,
  parseDigestChallenge,
} from './header-values.js';

/** Options of answerChallenge. */
export interface AnswerOptions {
  /** The user name to send (RFC 3261 §22.4: the account, often the AOR's user part). */
  readonly username: string;
  /** The password; it never leaves the client, only hashes of it do. */
  readonly password: string;
  /**
   * Algorithms this client is willing to use; the strongest offered one wins (RFC 8760 §2.4).
   * @defaultValue every name of DIGEST_ALGORITHMS
   */
  readonly algorithms?: readonly DigestAlgorithm[];
  /**
   * The qop to use when the challenge offers both; the other is used when only it is offered.
   * @defaultValue `'auth'`
   */
  readonly qop?: DigestQop;
  /** The client nonce. @defaultValue 16 random bytes from crypto.getRandomValues, as hex */
  readonly cnonce?: string;
  /** The nonce count: 1 for the first request with a nonce, then 2, 3 … (RFC 7616 §3.4). @defaultValue 1 */
  readonly nc?: number;
}

/** The request being authorized. */
export interface DigestRequestTarget {
  /** The method of the request that will carry the credentials. */
  readonly method: string;
  /** Its Request-URI, sent as digest-uri. */
  readonly uri: string;
  /** Its body, for qop=auth-int. @defaultValue empty */
  readonly body?: Uint8Array;
}

/** What answerChallenge returns. */
export interface DigestAnswer {
  /** The Authorization (after 401) or Proxy-Authorization (after 407) value. */
  readonly value: string;
  /** The challenge that was answered. */
  readonly challenge: DigestChallenge;
  /** The algorithm chosen: the strongest offered one this client supports. */
  readonly algorithm: DigestAlgorithm;
  /** undefined when the challenge offered no qop (RFC 2069 compatibility). */
  readonly qop: DigestQop | undefined;
  /** The nonce count sent (also when no qop, where it is not on the wire). */
  readonly nc: number;
  /** The cnonce sent; undefined when none was needed. */
  readonly cnonce: string | undefined;
}

interface Candidate {
  readonly challenge: DigestChallenge;
  /** The algorithm chosen: the strongest offered one this client supports. */
  readonly algorithm: DigestAlgorithm;
  readonly qop: DigestQop | undefined;
}

/**
 * Answers a 401 or 407 (async, returns a Promise): parses each WWW-Authenticate / Proxy-Authenticate value, keeps the
 * Digest challenges whose algorithm and qop this client supports, picks the strongest
 * algorithm (RFC 8760 §2.4), and computes the credentials (RFC 7616 §3.4) with uri, nc,
 * cnonce and qop. Values of other schemes or that do not parse are skipped. Asynchronous
 * (Web Crypto for SHA-256).
 * @param challenges - one header value, or every value of the response's challenge headers
 * @param request - method, Request-URI and body of the request to authorize
 * @param options - identity and preferences
 * @returns a Promise of the answer, whose `value` goes into Authorization or Proxy-Authorization
 * @throws DigestError (as a rejected Promise) NO_SUPPORTED_CHALLENGE when no value is a usable
 * Digest challenge; INVALID_DIGEST_OPTION for an nc outside 1 to 2^32-1 or a cnonce with
 * CR, LF or `"`; CRYPTO_UNAVAILABLE without Web Crypto
 * @example
 * ```ts
 * const answer = await answerChallenge(getHeaderValues(response, 'WWW-Authenticate'),
 *   { method: 'REGISTER', uri: 'sip:example.com' }, { username: 'bob', password: 'zanzibar' });
 * // answer.value: 'Digest username="bob", realm="example.com", …'
 * ```
 */
export async function answerChallenge(
  challenges: string | readonly string[],
  request: DigestRequestTarget,
  options: AnswerOptions,
): Promise<DigestAnswer> {
  const nc = options.nc ?? 1;
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) {
    throw optionError('nc', 'an integer from 1 to 4294967295 (8 hex digits)');
  }
  if (options.cnonce !== undefined && (options.cnonce === '' || /[\r\n"\\]/.test(options.cnonce))) {
    throw optionError('cnonce', 'a non-empty value without CR, LF, quote or backslash');
  }
  const supported = options.algorithms ?? DIGEST_ALGORITHMS.map((row) => row.name);
  const values = typeof challenges === 'string' ? [challenges] : challenges;
  let best: Candidate | undefined;
  let firstProblem: ParseError | undefined;
  for (const value of values) {
    let challenge: DigestChallenge;
    try {
      challenge = parseDigestChallenge(value);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      firstProblem ??= error;
      continue;
    }
    const row = algorithmRow(challenge.algorithm);
    if (row === undefined || !supported.includes(row.name)) continue;
    const qop = chooseQop(challenge.qop, options.qop ?? 'auth');
    if (qop === null) continue;
    if (best === undefined || algorithmRank(row.name) < algorithmRank(best.algorithm)) {
      best = { challenge, algorithm: row.name, qop };
    }
  }
  if (best === undefined) {
    throw new DigestError(
      'NO_SUPPORTED_CHALLENGE',
      `No usable Digest challenge among ${values.length} value${values.length === 1 ? '' : 's'}: expected algorithm ${supported.join(', ')} with qop auth or auth-int (or none)${firstProblem === undefined ? '' : `; one did not parse: ${firstProblem.message}`}`,
      undefined,
      { cause: firstProblem },
    );
  }
  const { challenge, algorithm, qop } = best;
  const needsCnonce = qop !== undefined || (algorithmRow(algorithm)?.session ?? false);
  const cnonce = needsCnonce ? (options.cnonce ?? randomCnonce()) : undefined;
  const response = await computeDigestResponse({
    algorithm,
    username: options.username,
    realm: challenge.realm,
    password: options.password,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    qop,
    nc,
    cnonce,
    body: request.body,
  });
  const value = formatDigestCredentials({
    username: options.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: request.uri,
    response,
    algorithm,
    cnonce,
    opaque: challenge.opaque,
    qop,
    nc: qop === undefined ? undefined : nc,
  });
  return { value, challenge, algorithm, qop, nc, cnonce };
}

/** The qop to answer with: undefined for none offered, null when only unknown ones are. */
function chooseQop(offered: readonly string[], preferred: DigestQop): DigestQop | undefined | null {
  if (offered.length === 0) return undefined;
  const lower = offered.map((item) => item.toLowerCase());
  if (lower.includes(preferred)) return preferred;
  if (lower.includes('auth')) return 'auth';
  if (lower.includes('auth-int')) return 'auth-int';
  return null;
}

function randomCnonce(): string {
  return toHex(randomBytes(16));
}
