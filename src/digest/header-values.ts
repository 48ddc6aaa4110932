import { scanAuthField } from '../message/fields/auth.js';
import { HEX, skipClass } from '../message/fields/charset.js';
import { fieldError } from '../message/fields/errors.js';
import type { Parameters } from '../message/fields/params.js';
import { quoteString } from '../message/fields/quoted.js';
import type { ParseErrorCode } from '../parse/errors.js';
import type { DigestAlgorithm, DigestQop } from './algorithms.js';

/** A Digest challenge (RFC 3261 §25.1 `digest-cln`, RFC 7616 §3.3), as sent or received. */
export interface DigestChallenge {
  /** realm: which credentials to use (RFC 3261 §22.1). */
  readonly realm: string;
  /** nonce: the server's one-time value. */
  readonly nonce: string;
  /** opaque: returned unchanged by the client; undefined when absent. */
  readonly opaque: string | undefined;
  /** algorithm as received (`MD5` when absent, RFC 7616 §3.3), possibly one this package does not know. */
  readonly algorithm: string;
  /** qop-options in order; empty when the challenge has none (RFC 2069 compatibility, RFC 3261 §22.4). */
  readonly qop: readonly string[];
  /** stale=true: the nonce was stale but the credentials right; retry without asking the user. */
  readonly stale: boolean;
  /** domain: the protection space's URIs as received; undefined when absent. */
  readonly domain: string | undefined;
  /** Every auth-param, names lower-cased, values unquoted. */
  readonly params: Parameters;
}

/** Digest credentials (RFC 3261 §25.1 `digest-response`, RFC 7616 §3.4), as sent or received. */
export interface DigestCredentials {
  /** The user name. */
  readonly username: string;
  /** The realm answered. */
  readonly realm: string;
  /** The server nonce answered. */
  readonly nonce: string;
  /** digest-uri: the Request-URI the client answered for. */
  readonly uri: string;
  /** request-digest: lower-case hex. */
  readonly response: string;
  /** algorithm as received (`MD5` when absent). */
  readonly algorithm: string;
  /** cnonce; required when qop is present. */
  readonly cnonce: string | undefined;
  /** opaque, echoed from the challenge; undefined when absent. */
  readonly opaque: string | undefined;
  /** The one qop value chosen by the client; undefined for RFC 2069 credentials. */
  readonly qop: string | undefined;
  /** nonce-count as a number (its wire form is 8 hex digits); required when qop is present. */
  readonly nc: number | undefined;
  /** Every auth-param, names lower-cased, values unquoted. */
  readonly params: Parameters;
}

const CHALLENGE = 'Invalid Digest challenge';
const CREDENTIALS = 'Invalid Digest credentials';

/**
 * Parses one WWW-Authenticate or Proxy-Authenticate value that holds a Digest challenge
 * (RFC 3261 §22.4, §25.1; RFC 7616 §3.3). An unknown algorithm or qop value is kept as
 * received, so a client can skip the challenge rather than fail.
 * @param value - the field value, e.g. `Digest realm="atlanta.com", nonce="84a4cc6f", qop="auth"`
 * @returns the challenge
 * @throws ParseError INVALID_CHALLENGE when malformed, not Digest, without realm or nonce, or
 * with a stale that is neither true nor false; INVALID_QUOTED_STRING for a bad quoted value
 * @example parseDigestChallenge('Digest realm="a", nonce="n", algorithm=SHA-256').algorithm // 'SHA-256'
 */
export function parseDigestChallenge(value: string): DigestChallenge {
  const scan = scanAuthField(value, 'INVALID_CHALLENGE', CHALLENGE);
  const { params } = scan;
  expectDigest(value, scan.scheme, 'INVALID_CHALLENGE', CHALLENGE);
  const realm = required(value, params, 'realm', 'INVALID_CHALLENGE', CHALLENGE);
  const nonce = required(value, params, 'nonce', 'INVALID_CHALLENGE', CHALLENGE);
  const staleText = params.get('stale');
  // RFC 7616 §3.3: stale is a case-insensitive "true" or "false"
  if (staleText !== undefined && !/^(true|false)$/i.test(staleText)) {
    const entry = scan.entries.find((item) => item.name === 'stale');
    throw fieldError(
      'INVALID_CHALLENGE',
      value,
      entry?.valueOffset ?? 0,
      CHALLENGE,
      'stale=true or stale=false',
    );
  }
  const qopText = params.get('qop');
  return {
    realm,
    nonce,
    opaque: params.get('opaque'),
    algorithm: params.get('algorithm') ?? 'MD5',
    // RFC 3261 §25.1: qop-options = "qop" EQUAL LDQUOT qop-value *("," qop-value) RDQUOT
    qop:
      qopText === undefined
        ? []
        : qopText
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== ''),
    stale: staleText !== undefined && staleText.toLowerCase() === 'true',
    domain: params.get('domain'),
    params,
  };
}

/**
 * Parses one Authorization or Proxy-Authorization value that holds Digest credentials
 * (RFC 3261 §22.4, §25.1; RFC 7616 §3.4). Whether each value was quoted is not checked, as
 * deployed clients differ (some quote qop); everything else is.
 * @param value - the field value
 * @returns the credentials
 * @throws ParseError INVALID_CREDENTIALS when malformed, not Digest, missing username, realm,
 * nonce, uri or response, with a response that is not hex, or with qop but without a valid
 * nc (8 hex digits) and cnonce; INVALID_QUOTED_STRING for a bad quoted value
 * @example parseDigestCredentials('Digest username="bob", realm="a", nonce="n", uri="sip:a", response="0a"').username // 'bob'
 */
export function parseDigestCredentials(value: string): DigestCredentials {
  const scan = scanAuthField(value, 'INVALID_CREDENTIALS', CREDENTIALS);
  const { params } = scan;
  const code = 'INVALID_CREDENTIALS';
  expectDigest(value, scan.scheme, code, CREDENTIALS);
  const offsetOf = (name: string): number =>
    scan.entries.find((item) => item.name === name)?.valueOffset ?? value.length;
  const username = required(value, params, 'username', code, CREDENTIALS);
  const realm = required(value, params, 'realm', code, CREDENTIALS);
  const nonce = required(value, params, 'nonce', code, CREDENTIALS);
  const uri = required(value, params, 'uri', code, CREDENTIALS);
  const response = required(value, params, 'response', code, CREDENTIALS);
  // RFC 7616 §3.4: response is a hex digest (32 digits for MD5, 64 for SHA-256 …)
  if (response.length === 0 || skipClass(response, 0, response.length, HEX) !== response.length) {
    throw fieldError(code, value, offsetOf('response'), CREDENTIALS, 'a hex response');
  }
  const qop = params.get('qop');
  const cnonce = params.get('cnonce');
  const ncText = params.get('nc');
  let nc: number | undefined;
  if (ncText !== undefined) {
    // RFC 3261 §25.1: nonce-count = "nc" EQUAL nc-value; nc-value = 8LHEX
    if (ncText.length !== 8 || skipClass(ncText, 0, 8, HEX) !== 8) {
      throw fieldError(code, value, offsetOf('nc'), CREDENTIALS, 'nc as 8 hex digits');
    }
    nc = Number.parseInt(ncText, 16);
  }
  // RFC 7616 §3.4: with qop, cnonce and nc MUST be sent
  if (qop !== undefined && (cnonce === undefined || nc === undefined)) {
    throw fieldError(
      code,
      value,
      offsetOf('qop'),
      CREDENTIALS,
      'cnonce and nc with qop (RFC 7616 §3.4)',
    );
  }
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm: params.get('algorithm') ?? 'MD5',
    cnonce,
    opaque: params.get('opaque'),
    qop,
    nc,
    params,
  };
}

/** What formatDigestChallenge writes; `algorithm` and `qop` as in the table and RFC 7616. */
export interface DigestChallengeInput {
  /** The realm. */
  readonly realm: string;
  /** The nonce. */
  readonly nonce: string;
  /** The algorithm of this challenge. */
  readonly algorithm: DigestAlgorithm;
  /** qop-options to offer; empty offers none (RFC 2069 style). */
  readonly qop: readonly DigestQop[];
  /** opaque, to be echoed by the client. @defaultValue none */
  readonly opaque?: string | undefined;
  /** Write stale=true. @defaultValue false */
  readonly stale?: boolean | undefined;
  /** The domain parameter. @defaultValue none */
  readonly domain?: string | undefined;
}

/**
 * Writes a Digest challenge value for WWW-Authenticate or Proxy-Authenticate
 * (RFC 3261 §25.1 `digest-cln`, RFC 7616 §3.3): realm, domain, nonce, opaque, stale,
 * algorithm and qop, quoted where the grammar says.
 * @param challenge - the parameters
 * @returns the field value
 * @throws ParseError INVALID_QUOTED_STRING when a value holds CR or LF
 * @example
 * ```ts
 * formatDigestChallenge({ realm: 'a', nonce: 'n', algorithm: 'MD5', qop: ['auth'] })
 * // 'Digest realm="a", nonce="n", algorithm=MD5, qop="auth"'
 * ```
 */
export function formatDigestChallenge(challenge: DigestChallengeInput): string {
  const parts = [`realm=${quoteString(challenge.realm)}`];
  if (challenge.domain !== undefined) parts.push(`domain=${quoteString(challenge.domain)}`);
  parts.push(`nonce=${quoteString(challenge.nonce)}`);
  if (challenge.opaque !== undefined) parts.push(`opaque=${quoteString(challenge.opaque)}`);
  if (challenge.stale === true) parts.push('stale=true');
  parts.push(`algorithm=${challenge.algorithm}`);
  if (challenge.qop.length > 0) parts.push(`qop=${quoteString(challenge.qop.join(','))}`);
  return `Digest ${parts.join(', ')}`;
}

/** What formatDigestCredentials writes. */
export interface DigestCredentialsInput {
  /** The user name. */
  readonly username: string;
  /** The realm of the challenge. */
  readonly realm: string;
  /** The nonce of the challenge. */
  readonly nonce: string;
  /** digest-uri: the Request-URI. */
  readonly uri: string;
  /** request-digest, lower-case hex (see computeDigestResponse). */
  readonly response: string;
  /** The algorithm. */
  readonly algorithm: DigestAlgorithm;
  /** The client nonce. @defaultValue none */
  readonly cnonce?: string | undefined;
  /** opaque from the challenge. @defaultValue none */
  readonly opaque?: string | undefined;
  /** The qop chosen. @defaultValue none (RFC 2069 style) */
  readonly qop?: DigestQop | undefined;
  /** The nonce count, written as 8 hex digits. @defaultValue none */
  readonly nc?: number | undefined;
}

/**
 * Writes a Digest credentials value for Authorization or Proxy-Authorization
 * (RFC 3261 §25.1 `digest-response`, RFC 7616 §3.4): quoted strings for username, realm,
 * nonce, uri, response, cnonce and opaque; tokens for algorithm, qop and nc (8 hex digits).
 * @param credentials - the parameters
 * @returns the field value
 * @throws ParseError INVALID_QUOTED_STRING when a value holds CR or LF
 */
export function formatDigestCredentials(credentials: DigestCredentialsInput): string {
  const parts = [
    `username=${quoteString(credentials.username)}`,
    `realm=${quoteString(credentials.realm)}`,
    `nonce=${quoteString(credentials.nonce)}`,
    `uri=${quoteString(credentials.uri)}`,
    `response=${quoteString(credentials.response)}`,
    `algorithm=${credentials.algorithm}`,
  ];
  if (credentials.cnonce !== undefined) parts.push(`cnonce=${quoteString(credentials.cnonce)}`);
  if (credentials.opaque !== undefined) parts.push(`opaque=${quoteString(credentials.opaque)}`);
  if (credentials.qop !== undefined) parts.push(`qop=${credentials.qop}`);
  if (credentials.nc !== undefined) parts.push(`nc=${formatNonceCount(credentials.nc)}`);
  return `Digest ${parts.join(', ')}`;
}

/** nc-value: 8 lower-case hex digits (RFC 7616 §3.4). @internal */
export function formatNonceCount(nc: number): string {
  return nc.toString(16).padStart(8, '0');
}

function expectDigest(value: string, scheme: string, code: ParseErrorCode, what: string): void {
  // RFC 3261 §25.1: "Digest" is matched case-insensitively, like every token
  if (scheme.toLowerCase() !== 'digest') {
    throw fieldError(code, value, value.indexOf(scheme), what, 'the Digest scheme');
  }
}

function required(
  value: string,
  params: Parameters,
  name: string,
  code: ParseErrorCode,
  what: string,
): string {
  const found = params.get(name);
  if (found === undefined) {
    throw fieldError(code, value, value.length, what, `a ${name} parameter`);
  }
  return found;
}
