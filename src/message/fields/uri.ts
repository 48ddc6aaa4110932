import {
  ALPHA,
  DIGIT,
  HEADER_CHAR,
  HEX,
  isClass,
  PARAM_CHAR,
  PASSWORD,
  SCHEME,
  skipClass,
  URIC,
  USER,
} from './charset.js';
import { fieldError } from './errors.js';
import { unescapeRange } from './escape.js';
import { scanHost } from './host.js';
import { PORT_MAX, readDigits } from './numbers.js';
import type { Parameters } from './params.js';

/** A parsed URI: a SIP or SIPS URI with its parts, or any other scheme kept opaque. */
export type Uri = SipUri | OpaqueUri;

/** A `sip:` or `sips:` URI (RFC 3261 §19.1.1), parts unescaped. */
export interface SipUri {
  readonly kind: 'sip';
  /** Lower-cased scheme. */
  readonly scheme: 'sip' | 'sips';
  /** User part with every %HH decoded once (so `%2525` → `%25`); may hold `;` (RFC 4475 §3.1.1.9). */
  readonly user?: string;
  /** Password, %HH decoded once. */
  readonly password?: string;
  /** Lower-cased host; an IPv6 reference keeps its brackets: `[2001:db8::1]`. */
  readonly host: string;
  /** Port 0–65535 when present. */
  readonly port?: number;
  /** uri-parameters in order, names lower-cased and unescaped, values unescaped. */
  readonly params: Parameters;
  /** headers (`?name=value&…`), names and values unescaped, in order. */
  readonly headers: ReadonlyMap<string, string>;
  /** The URI text exactly as given. */
  readonly raw: string;
}

/** A URI of any other scheme (tel:, mailto:, http:, urn: …), checked for URI characters only. */
export interface OpaqueUri {
  readonly kind: 'opaque';
  /** Lower-cased scheme. */
  readonly scheme: string;
  /** The URI text exactly as given. */
  readonly raw: string;
}

const WHAT = 'Invalid URI';

/**
 * Parses a URI (RFC 3261 §19.1, §25.1; IPv6 references per RFC 5118). `sip:` and `sips:`
 * URIs are split into their parts; every other `scheme:` URI is kept opaque after checking
 * that it is made of URI characters (RFC 2396 `absoluteURI`).
 * @param text - the URI alone, no whitespace or angle brackets
 * @returns the parsed URI
 * @throws ParseError INVALID_URI for a malformed URI; INVALID_PARAMETER for a malformed or
 * repeated uri-parameter
 * @example parseUri('sip:%61lice@[2001:db8::1]:5070;transport=tcp').host // '[2001:db8::1]'
 */
export function parseUri(text: string): Uri {
  return parseUriRange(text, 0, text.length);
}

/**
 * Parses the URI at `text[start, end)`, with error offsets counted from the start of `text`.
 * @internal
 */
export function parseUriRange(text: string, start: number, end: number): Uri {
  // RFC 3261 §25.1 / RFC 2396 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
  if (!(start < end && isClass(text, start, ALPHA))) {
    throw fieldError('INVALID_URI', text, start, WHAT, 'a scheme such as "sip:"');
  }
  const schemeEnd = skipClass(text, start, end, SCHEME);
  if (schemeEnd >= end || text.charCodeAt(schemeEnd) !== 0x3a) {
    throw fieldError('INVALID_URI', text, schemeEnd, WHAT, '":" after the scheme');
  }
  const scheme = text.slice(start, schemeEnd).toLowerCase();
  const raw = start === 0 && end === text.length ? text : text.slice(start, end);
  if (scheme === 'sip' || scheme === 'sips') {
    return parseSipUri(text, schemeEnd + 1, end, scheme, raw);
  }
  return { kind: 'opaque', scheme, raw: checkOpaque(text, schemeEnd + 1, end, raw) };
}

/** Checks an opaque URI body: 1*( uric ) with valid %HH escapes. */
function checkOpaque(text: string, start: number, end: number, raw: string): string {
  if (start === end) throw fieldError('INVALID_URI', text, start, WHAT, 'a URI after the scheme');
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 0x25) {
      if (i + 2 >= end || !isClass(text, i + 1, HEX) || !isClass(text, i + 2, HEX)) {
        throw fieldError('INVALID_URI', text, i, WHAT, '"%" and two hex digits');
      }
      i += 2;
    } else if (!isClass(text, i, URIC)) {
      throw fieldError('INVALID_URI', text, i, WHAT, 'a URI character (RFC 2396 §2)');
    }
  }
  return raw;
}

function parseSipUri(
  text: string,
  start: number,
  end: number,
  scheme: 'sip' | 'sips',
  raw: string,
): SipUri {
  // RFC 3261 §25.1: no character after userinfo may be a literal "@" (params and headers use
  // paramchar / hnv-unreserved, which exclude it), so the first "@" ends the userinfo
  let at = -1;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 0x40) {
      at = i;
      break;
    }
  }
  let user: string | undefined;
  let password: string | undefined;
  let hostStart = start;
  if (at !== -1) {
    let colon = at;
    for (let i = start; i < at; i++) {
      if (text.charCodeAt(i) === 0x3a) {
        colon = i;
        break;
      }
    }
    if (colon === start) {
      throw fieldError('INVALID_URI', text, start, WHAT, 'a user before "@"');
    }
    user = unescapeRange(text, start, colon, USER, 'INVALID_URI', 'URI user');
    if (colon < at) {
      password = unescapeRange(text, colon + 1, at, PASSWORD, 'INVALID_URI', 'URI password');
    }
    hostStart = at + 1;
  }
  const { host, end: hostEnd } = scanHost(text, hostStart, end, 'INVALID_URI', WHAT);
  let i = hostEnd;
  let port: number | undefined;
  if (i < end && text.charCodeAt(i) === 0x3a) {
    const portEnd = skipClass(text, i + 1, end, DIGIT);
    if (portEnd === i + 1) throw fieldError('INVALID_URI', text, i + 1, WHAT, 'a port 0–65535');
    // RFC 3261 §25.1: port = 1*DIGIT, so leading zeros are allowed, as in a Via sent-by
    readDigits(text, i + 1, portEnd, PORT_MAX, 'URI port');
    port = Number(text.slice(i + 1, portEnd));
    i = portEnd;
  }
  const params = new Map<string, string | undefined>();
  while (i < end && text.charCodeAt(i) === 0x3b) {
    i = scanUriParameter(text, i + 1, end, params);
  }
  const headers = new Map<string, string>();
  if (i < end && text.charCodeAt(i) === 0x3f) {
    i = scanUriHeaders(text, i + 1, end, headers);
  }
  if (i < end) {
    throw fieldError(
      'INVALID_URI',
      text,
      i,
      WHAT,
      at === -1 && hostEnd === i && port === undefined
        ? 'a host, then ":" port, ";" parameters or "?" headers'
        : '";" parameters, "?" headers or the end of the URI',
    );
  }
  return {
    kind: 'sip',
    scheme,
    ...(user !== undefined && { user }),
    ...(password !== undefined && { password }),
    host,
    ...(port !== undefined && { port }),
    params,
    headers,
    raw,
  };
}

/** Scans one `pname [ "=" pvalue ]` after its ";" (RFC 3261 §19.1.1); returns the index after it. */
function scanUriParameter(
  text: string,
  start: number,
  end: number,
  params: Map<string, string | undefined>,
): number {
  const stopName = scanParamChars(text, start, end);
  if (stopName === start) {
    throw fieldError('INVALID_PARAMETER', text, start, 'Invalid URI parameter', 'a parameter name');
  }
  // RFC 3261 §19.1.4: parameter names compare case-insensitively, after unescaping
  const name = unescapeRange(
    text,
    start,
    stopName,
    PARAM_CHAR,
    'INVALID_PARAMETER',
    'URI parameter name',
  ).toLowerCase();
  if (params.has(name)) {
    throw fieldError(
      'INVALID_PARAMETER',
      text,
      start,
      `Duplicate URI parameter "${name}"`,
      'each parameter name once (RFC 3261 §19.1.1)',
    );
  }
  if (stopName < end && text.charCodeAt(stopName) === 0x3d) {
    const valueEnd = scanParamChars(text, stopName + 1, end);
    if (valueEnd === stopName + 1) {
      throw fieldError(
        'INVALID_PARAMETER',
        text,
        valueEnd,
        `Invalid value of URI parameter "${name}"`,
        'one or more characters (RFC 3261 §25.1 pvalue)',
      );
    }
    params.set(
      name,
      unescapeRange(text, stopName + 1, valueEnd, PARAM_CHAR, 'INVALID_PARAMETER', 'URI parameter'),
    );
    return valueEnd;
  }
  params.set(name, undefined);
  return stopName;
}

/** First index at or after `start` that is neither a paramchar nor an escape's "%". */
function scanParamChars(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (isClass(text, i, PARAM_CHAR) || text.charCodeAt(i) === 0x25)) i++;
  return i;
}

/** Scans `hname "=" hvalue *( "&" hname "=" hvalue )` (RFC 3261 §19.1.1). */
function scanUriHeaders(
  text: string,
  start: number,
  end: number,
  headers: Map<string, string>,
): number {
  let i = start;
  for (;;) {
    const nameEnd = scanHeaderChars(text, i, end);
    if (nameEnd === i) {
      throw fieldError('INVALID_URI', text, i, WHAT, 'a header name after "?" or "&"');
    }
    if (nameEnd >= end || text.charCodeAt(nameEnd) !== 0x3d) {
      throw fieldError('INVALID_URI', text, nameEnd, WHAT, '"=" after a URI header name');
    }
    const name = unescapeRange(text, i, nameEnd, HEADER_CHAR, 'INVALID_URI', 'URI header name');
    if (headers.has(name)) {
      throw fieldError(
        'INVALID_URI',
        text,
        i,
        `Duplicate URI header "${name}"`,
        'each header name once',
      );
    }
    const valueEnd = scanHeaderChars(text, nameEnd + 1, end);
    headers.set(
      name,
      unescapeRange(text, nameEnd + 1, valueEnd, HEADER_CHAR, 'INVALID_URI', 'URI header value'),
    );
    i = valueEnd;
    if (i >= end || text.charCodeAt(i) !== 0x26) return i;
    i++;
  }
}

/** First index at or after `start` that is neither an hname/hvalue character nor "%". */
function scanHeaderChars(text: string, start: number, end: number): number {
  let i = start;
  while (i < end && (isClass(text, i, HEADER_CHAR) || text.charCodeAt(i) === 0x25)) i++;
  return i;
}
