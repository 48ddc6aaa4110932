import type { ParseErrorCode } from '../../parse/errors.js';
import { skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import type { ParameterEntry, Parameters } from './params.js';
import { scanQuotedString } from './quoted.js';

/**
 * One WWW-Authenticate / Proxy-Authenticate challenge or one Authorization /
 * Proxy-Authorization credentials value (RFC 3261 §20.7, §20.27, §20.28, §20.44), split by the
 * auth-param grammar and not yet interpreted.
 */
export interface AuthField {
  /** auth-scheme as received (`Digest`); compare it case-insensitively. */
  readonly scheme: string;
  /** auth-params in order, names lower-cased, quoted values unquoted. */
  readonly params: Parameters;
}

/** An AuthField with where each parameter was, for checks that report an offset. @internal */
export interface AuthFieldScan extends AuthField {
  readonly entries: readonly ParameterEntry[];
}

/**
 * Scans `auth-scheme LWS auth-param *(COMMA auth-param)` (RFC 3261 §25.1 `challenge`,
 * `credentials`), where `auth-param = auth-param-name EQUAL ( token / quoted-string )` and
 * COMMA and EQUAL allow whitespace around them. Every Digest parameter of §25.1 (digest-cln,
 * dig-resp) has this shape.
 * @param value - the field value
 * @param code - INVALID_CHALLENGE or INVALID_CREDENTIALS
 * @param what - what is parsed, for the message (`Invalid challenge`)
 * @returns scheme, parameters and their offsets
 * @throws ParseError `code` when malformed or a parameter repeats; INVALID_QUOTED_STRING
 * @internal
 */
export function scanAuthField(value: string, code: ParseErrorCode, what: string): AuthFieldScan {
  const end = trimEnd(value, 0, value.length);
  const schemeStart = skipWhitespace(value, 0, end);
  const schemeEnd = skipClass(value, schemeStart, end, TOKEN);
  if (schemeEnd === schemeStart) {
    throw fieldError(code, value, schemeStart, what, 'an auth-scheme (a token)');
  }
  const params = new Map<string, string | undefined>();
  const entries: ParameterEntry[] = [];
  let i = skipWhitespace(value, schemeEnd, end);
  // RFC 3261 §25.1: LWS between the scheme and the first auth-param
  if (i === schemeEnd && i < end) {
    throw fieldError(code, value, i, what, 'whitespace after the auth-scheme');
  }
  while (i < end) {
    if (entries.length > 0) {
      if (value.charCodeAt(i) !== 0x2c) {
        throw fieldError(code, value, i, what, '"," between auth-params');
      }
      i = skipWhitespace(value, i + 1, end);
    }
    const nameOffset = i;
    const nameEnd = skipClass(value, nameOffset, end, TOKEN);
    if (nameEnd === nameOffset) {
      throw fieldError(code, value, nameOffset, what, 'an auth-param name (a token)');
    }
    const name = value.slice(nameOffset, nameEnd).toLowerCase();
    if (params.has(name)) {
      // RFC 7616 §3.3-3.4: each directive appears at most once
      throw fieldError(
        code,
        value,
        nameOffset,
        `Duplicate auth-param "${name}"`,
        'each auth-param once (RFC 7616 §3.3, §3.4)',
      );
    }
    i = skipWhitespace(value, nameEnd, end);
    if (i >= end || value.charCodeAt(i) !== 0x3d) {
      throw fieldError(code, value, i, what, `"=" after "${name}"`);
    }
    const valueOffset = skipWhitespace(value, i + 1, end);
    let paramValue: string;
    let quoted = false;
    if (valueOffset < end && value.charCodeAt(valueOffset) === 0x22) {
      const scan = scanQuotedString(value, valueOffset, end);
      paramValue = scan.value;
      quoted = true;
      i = scan.end;
    } else {
      i = skipClass(value, valueOffset, end, TOKEN);
      if (i === valueOffset) {
        throw fieldError(
          code,
          value,
          valueOffset,
          what,
          `a token or a quoted string for "${name}"`,
        );
      }
      paramValue = value.slice(valueOffset, i);
    }
    params.set(name, paramValue);
    entries.push({ name, value: paramValue, nameOffset, valueOffset, quoted });
    i = skipWhitespace(value, i, end);
  }
  return { scheme: value.slice(schemeStart, schemeEnd), params, entries };
}

/**
 * Parses one WWW-Authenticate or Proxy-Authenticate value (RFC 3261 §20.44, §25.1
 * `challenge`): a scheme and its comma-separated auth-params. Each header field holds one
 * challenge; several challenges come in several fields (RFC 3261 §7.3.1).
 * @param value - the field value, e.g. `Digest realm="atlanta.com", nonce="84a4cc6f"`
 * @returns the scheme and the parameters
 * @throws ParseError INVALID_CHALLENGE when malformed or a parameter repeats;
 * INVALID_QUOTED_STRING for a bad quoted value
 * @example parseChallenge('Digest realm="a", nonce="b"').params.get('realm') // 'a'
 */
export function parseChallenge(value: string): AuthField {
  const { scheme, params } = scanAuthField(value, 'INVALID_CHALLENGE', 'Invalid challenge');
  return { scheme, params };
}

/**
 * Parses one Authorization or Proxy-Authorization value (RFC 3261 §20.7, §25.1
 * `credentials`): a scheme and its comma-separated auth-params.
 * @param value - the field value, e.g. `Digest username="bob", realm="a", …`
 * @returns the scheme and the parameters
 * @throws ParseError INVALID_CREDENTIALS when malformed or a parameter repeats;
 * INVALID_QUOTED_STRING for a bad quoted value
 * @example parseCredentials('Digest username="bob", nc=00000001').params.get('nc') // '00000001'
 */
export function parseCredentials(value: string): AuthField {
  const { scheme, params } = scanAuthField(value, 'INVALID_CREDENTIALS', 'Invalid credentials');
  return { scheme, params };
}
