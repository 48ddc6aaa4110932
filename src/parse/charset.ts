/**
 * Byte classes of the SIP grammar, written as readable sets that cite RFC 3261 §25.1 and
 * compiled once into 256-entry tables: the parser's hot loops do one indexed read per byte.
 * A table holds 1 for a byte in the class and 0 otherwise.
 */

/** Carriage return, the first byte of CRLF. */
export const CR = 0x0d;
/** Line feed, the second byte of CRLF. */
export const LF = 0x0a;
/** Space. */
export const SP = 0x20;
/** Horizontal tab. */
export const HTAB = 0x09;
/** `:` ends a header name (HCOLON). */
export const COLON = 0x3a;

const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';

/**
 * Compiles a set of characters (and optional inclusive byte ranges) into a class table.
 * @internal
 */
export function byteClass(
  chars: string,
  ranges: readonly (readonly [number, number])[] = [],
): Uint8Array {
  const table = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  for (const [from, to] of ranges) table.fill(1, from, to + 1);
  return table;
}

const TOKEN_CHARS = `${ALPHA}${DIGIT}-.!%*_+\`'~`;

/** RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
export const TOKEN: Uint8Array = byteClass(TOKEN_CHARS);

/** RFC 5234 DIGIT. */
export const DIGITS: Uint8Array = byteClass(DIGIT);

/** RFC 3261 §25.1: WSP = SP / HTAB, the whitespace of LWS and HCOLON. */
export const WHITESPACE: Uint8Array = byteClass(' \t');

/** RFC 3986 §3.1 (as used by RFC 3261 absoluteURI): scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
export const SCHEME: Uint8Array = byteClass(`${ALPHA}${DIGIT}+-.`);

/**
 * Bytes that may appear in a Request-URI on the Request-Line: every visible ASCII character
 * that RFC 3261's SIP-URI and absoluteURI productions use (unreserved, reserved, escaped `%`,
 * `[` `]` of IPv6references). Excluded: SP and controls (they end or corrupt the line), and
 * `"` `<` `>` `\` `^` `` ` `` `{` `|` `}`, which RFC 2396 §2.4.3 never allows unescaped.
 * `#` (also a delimiter there) is let through on purpose: phones send feature codes such as
 * `sip:*72#@host` unescaped, and the message should still parse so it can be answered; the
 * `requestUri` accessor refuses it.
 */
export const REQUEST_URI: Uint8Array = (() => {
  const table = byteClass('', [[0x21, 0x7e]]);
  for (const c of '"<>\\^`{|}') table[c.charCodeAt(0)] = 0;
  return table;
})();

/**
 * Control bytes that may not appear raw in a Reason-Phrase (RFC 3261 §25.1: Reason-Phrase allows
 * SP and HTAB but no other CTL); bytes from 0x80 up are UTF8-NONASCII / UTF8-CONT and allowed.
 */
export const REASON_CONTROL: Uint8Array = (() => {
  const table = byteClass('', [
    [0x00, 0x1f],
    [0x7f, 0x7f],
  ]);
  table[HTAB] = 0;
  return table;
})();

/** RFC 3261 §25.1: gen-value = token / host / quoted-string; without the quotes: token plus ":[]". */
export const GEN_VALUE: Uint8Array = byteClass(`${TOKEN_CHARS}:[]`);

/**
 * Bytes that may come before the parameters of a via-parm: sent-protocol (tokens, "/") and
 * sent-by (hostname, IPv4, [IPv6] with an RFC 6874 zone, ":" port), with LWS, folds included
 * (RFC 3261 §25.1). Anything else there means the value needs the full grammar.
 */
export const VIA_HEAD: Uint8Array = byteClass(`${TOKEN_CHARS}/:[] \t\r\n`);
