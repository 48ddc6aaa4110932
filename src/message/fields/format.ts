/**
 * The parsed forms written back as text: formatUri and formatNameAddr. Each part is escaped by
 * the character class its grammar allows (RFC 3261 §19.1.2, §25.1), so parsing the text gives
 * back the same parts: `parseUri(formatUri(uri))` equals `uri` in everything but `raw`.
 */
import {
  GEN_VALUE,
  HEADER_CHAR,
  isClass,
  PARAM_CHAR,
  PASSWORD,
  TOKEN,
  USER,
  WSP,
} from './charset.js';
import type { NameAddr } from './name-addr.js';
import type { Parameters } from './params.js';
import { quoteString } from './quoted.js';
import type { Uri } from './uri.js';

const encoder = new TextEncoder();
const HEX_DIGITS = '0123456789ABCDEF';

/**
 * `text` with every character outside `flag` written as %HH escapes of its UTF-8 bytes
 * (RFC 3261 §19.1.2: escape what the component's grammar does not allow unescaped).
 */
function escapeClass(text: string, flag: number): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (isClass(text, i, flag)) continue;
    out += text.slice(runStart, i);
    const code = text.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(code);
    // A lone surrogate is encoded as U+FFFD, which is what parsing its escapes would give
    for (const byte of encoder.encode(char)) {
      out += `%${HEX_DIGITS[byte >> 4]}${HEX_DIGITS[byte & 0xf]}`;
    }
    i += char.length - 1;
    runStart = i + 1;
  }
  return runStart === 0 ? text : out + text.slice(runStart);
}

/**
 * Writes a URI as text. A SIP or SIPS URI is written from its parts: user and password,
 * uri-parameters and headers escaped as RFC 3261 §19.1.2 asks, the host and port as parsed
 * (host lower-cased, an IPv6 reference in brackets), parameter names lower-cased. Any other
 * URI is written as its `raw` text.
 * @param uri - a parsed URI, e.g. from `parseUri` or `parseNameAddr(…).uri`
 * @returns the URI text, without angle brackets
 * @example
 * ```ts
 * formatUri(parseUri('sip:Alice%40Home@Example.com;Transport=TCP'));
 * // 'sip:Alice%40Home@example.com;transport=TCP'
 * ```
 */
export function formatUri(uri: Uri): string {
  if (uri.kind === 'opaque') return uri.raw;
  let text = `${uri.scheme}:`;
  if (uri.user !== undefined) {
    text += escapeClass(uri.user, USER);
    if (uri.password !== undefined) text += `:${escapeClass(uri.password, PASSWORD)}`;
    text += '@';
  }
  text += uri.host;
  if (uri.port !== undefined) text += `:${uri.port}`;
  for (const [name, value] of uri.params) {
    text += `;${escapeClass(name, PARAM_CHAR)}`;
    if (value !== undefined) text += `=${escapeClass(value, PARAM_CHAR)}`;
  }
  let separator = '?';
  for (const [name, value] of uri.headers) {
    text += `${separator}${escapeClass(name, HEADER_CHAR)}=${escapeClass(value, HEADER_CHAR)}`;
    separator = '&';
  }
  return text;
}

/** Whether a display name can be written as `*(token LWS)`: tokens separated by blanks. */
function isTokenDisplayName(name: string): boolean {
  const last = name.length - 1;
  if (last < 0 || !isClass(name, 0, TOKEN) || !isClass(name, last, TOKEN)) return false;
  for (let i = 1; i < last; i++) if (!isClass(name, i, TOKEN | WSP)) return false;
  return true;
}

/**
 * Writes header parameters `;name=value` (RFC 3261 §7.3.1): a value that is a token or a host
 * as it is, any other value as a quoted-string.
 * @internal
 */
export function formatParameters(params: Parameters): string {
  let text = '';
  for (const [name, value] of params) {
    text += `;${name}`;
    if (value === undefined) continue;
    const plain = value.length > 0 && isGenValue(value);
    text += `=${plain ? value : quoteString(value)}`;
  }
  return text;
}

function isGenValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (!isClass(value, i, GEN_VALUE)) return false;
  return true;
}

/**
 * Writes a From / To / Contact / Route / Record-Route value (RFC 3261 §20.10, §25.1). The URI
 * is always enclosed in `<` `>`, so its own `;` and `?` stay part of it; the display name is
 * written as tokens when it is made of tokens, else as a quoted-string; header parameters
 * follow the `>`.
 * @param nameAddr - a parsed value, e.g. from `parseNameAddr`
 * @returns the value text; `*` for the wildcard
 * @throws ParseError INVALID_QUOTED_STRING when the display name or a parameter value holds
 * CR or LF, which no quoted-string can carry
 * @example
 * ```ts
 * formatNameAddr(parseNameAddr('Bob <sip:bob@biloxi.com>;tag=a6c85cf'));
 * // 'Bob <sip:bob@biloxi.com>;tag=a6c85cf'
 * ```
 */
export function formatNameAddr(nameAddr: NameAddr): string {
  if (nameAddr.wildcard) return '*';
  const name = nameAddr.displayName;
  const display =
    name === undefined ? '' : `${isTokenDisplayName(name) ? name : quoteString(name)} `;
  return `${display}<${formatUri(nameAddr.uri)}>${formatParameters(nameAddr.params)}`;
}
