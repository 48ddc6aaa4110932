import { isClass, skipClass, skipWhitespace, TOKEN, trimEnd, WSP } from './charset.js';
import { fieldError } from './errors.js';
import { type ParameterScan, type Parameters, scanParameters } from './params.js';
import { scanQuotedString } from './quoted.js';
import { parseUriRange, type Uri } from './uri.js';

/**
 * One From / To / Contact / Route / Record-Route / Reply-To value (RFC 3261 §20.10, §25.1),
 * or the `Contact: *` wildcard (§10.2.2).
 */
export type NameAddr =
  | { readonly wildcard: true }
  | {
      readonly wildcard: false;
      /** Display name: quoted-pairs resolved for a quoted one; as written (trimmed) for tokens. */
      readonly displayName?: string;
      /** The URI, parsed (`formatUri` writes it back). */
      readonly uri: Uri;
      /** The URI text exactly as written, without angle brackets. */
      readonly uriText: string;
      /** Header parameters after the URI (tag, expires, q, …), names lower-cased. */
      readonly params: Parameters;
      /** The `tag` parameter, when present (RFC 3261 §19.3). */
      readonly tag?: string;
    };

const WHAT = 'Invalid name-addr';

/**
 * Parses one name-addr or addr-spec value with its header parameters (RFC 3261 §25.1):
 * `[ display-name ] "<" URI ">" *( ";" param )` or a bare `URI *( ";" param )`. Without angle
 * brackets every `;param` after the URI is a header parameter (RFC 3261 §20, RFC 8217), so a
 * bare URI may not hold ";", "?" or "," of its own. A display name with no whitespace before
 * "<" (`caller<sip:…>`) is accepted, as RFC 4475 §3.1.1.6 asks. Lists must be split first
 * (`splitHeaderList`).
 * @param value - one value, e.g. `"Alice" <sip:alice@example.com>;tag=1928301774`
 * @returns the parts, or `{ wildcard: true }` for `*`
 * @throws ParseError INVALID_NAME_ADDR for a malformed value; INVALID_URI for a malformed URI;
 * INVALID_PARAMETER for a malformed or repeated parameter; INVALID_QUOTED_STRING for a bad
 * display name
 * @example parseNameAddr('Bob <sip:bob@biloxi.com>;tag=a6c85cf').tag // 'a6c85cf'
 */
export function parseNameAddr(value: string): NameAddr {
  const end = trimEnd(value, 0, value.length);
  const start = skipWhitespace(value, 0, end);
  if (end - start === 1 && value.charCodeAt(start) === 0x2a) return { wildcard: true };
  let displayName: string | undefined;
  let i = start;
  if (i < end && value.charCodeAt(i) === 0x22) {
    const scan = scanQuotedString(value, i, end);
    displayName = scan.value;
    i = skipWhitespace(value, scan.end, end);
    if (i >= end || value.charCodeAt(i) !== 0x3c) {
      throw fieldError('INVALID_NAME_ADDR', value, i, WHAT, '"<" after the display name');
    }
  } else {
    // display-name = *(token LWS): read tokens and whitespace; "<" makes them a display name,
    // anything else means the value is a bare addr-spec
    i = skipClass(value, i, end, TOKEN | WSP);
    if (i < end && value.charCodeAt(i) === 0x3c) {
      const nameEnd = trimEnd(value, start, i);
      if (nameEnd > start) displayName = value.slice(start, nameEnd);
    } else {
      return parseAddrSpec(value, start, end);
    }
  }
  // i is at "<"; RFC 3261 §25.1: no URI holds ">", so the first one closes it
  let close = i + 1;
  while (close < end && value.charCodeAt(close) !== 0x3e) close++;
  if (close >= end) {
    throw fieldError('INVALID_NAME_ADDR', value, i, WHAT, 'a ">" closing the URI');
  }
  const uri = parseUriRange(value, i + 1, close);
  return build(displayName, uri, scanParameters(value, close + 1, end), value);
}

/** A bare addr-spec: the URI runs to the first ";" or whitespace (RFC 8217 §3). */
function parseAddrSpec(value: string, start: number, end: number): NameAddr {
  let uriEnd = start;
  while (uriEnd < end) {
    const code = value.charCodeAt(uriEnd);
    if (code === 0x3b || isClass(value, uriEnd, WSP)) break;
    // RFC 3261 §20: a URI with "," "?" or ";" must be enclosed in "<" ">"
    if (code === 0x3f || code === 0x2c) {
      throw fieldError(
        'INVALID_NAME_ADDR',
        value,
        uriEnd,
        WHAT,
        'a URI with "?" or "," enclosed in "<" and ">" (RFC 3261 §20)',
      );
    }
    uriEnd++;
  }
  if (uriEnd === start) {
    throw fieldError('INVALID_NAME_ADDR', value, start, WHAT, 'a URI or a name-addr');
  }
  const uri = parseUriRange(value, start, uriEnd);
  return build(undefined, uri, scanParameters(value, uriEnd, end), value);
}

function build(
  displayName: string | undefined,
  uri: Uri,
  scan: ParameterScan,
  value: string,
): NameAddr {
  const { params } = scan;
  const tag = params.get('tag');
  if (tag === undefined && params.has('tag')) {
    const entry = scan.entries.find((candidate) => candidate.name === 'tag');
    // RFC 3261 §25.1: tag-param = "tag" EQUAL token
    throw fieldError('INVALID_PARAMETER', value, entry?.nameOffset ?? 0, WHAT, 'a value for "tag"');
  }
  return {
    wildcard: false,
    ...(displayName !== undefined && { displayName }),
    uri,
    uriText: uri.raw,
    params,
    ...(tag !== undefined && { tag }),
  };
}
