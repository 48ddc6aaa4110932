/**
 * Character classes of the header-value grammar (RFC 3261 §25.1), written as readable sets
 * and compiled once into a 256-entry table of bit flags. A string's code units above 0xFF
 * belong to no class; callers that accept UTF-8 text (qdtext, ctext) test for that directly.
 */

/** ALPHA (RFC 5234 B.1). */
export const ALPHA = 0x1;
/** DIGIT. */
export const DIGIT = 0x2;
/** HEXDIG, both cases (RFC 3261 §25.1 uses HEXDIG in `escaped`, case-insensitively). */
export const HEX = 0x4;
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
export const TOKEN = 0x8;
/** unreserved = alphanum / mark. */
export const UNRESERVED = 0x10;
/** user = 1*( unreserved / escaped / user-unreserved ), without the `%` of `escaped`. */
export const USER = 0x20;
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ), without `%`. */
export const PASSWORD = 0x40;
/** paramchar = param-unreserved / unreserved / escaped, without `%`. */
export const PARAM_CHAR = 0x80;
/** hname/hvalue characters: hnv-unreserved / unreserved / escaped, without `%`. */
export const HEADER_CHAR = 0x100;
/** uric (RFC 2396 §2) plus "[" and "]" (RFC 2732), without `%`: the body of an opaque URI. */
export const URIC = 0x200;
/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ). */
export const SCHEME = 0x400;
/** WSP = SP / HTAB: what is left of LWS once a field value is unfolded. */
export const WSP = 0x800;
/** Characters of a hostname or IPv4address: alphanum / "-" / ".". */
export const HOST = 0x1000;
/** Characters of a generic-param value: token plus the `host` extras ":" "[" "]" (§25.1 gen-value). */
export const GEN_VALUE = 0x2000;
/** word (RFC 3261 §25.1): token characters plus ( ) < > : \ DQUOTE / [ ] ? { }; used by Call-ID. */
export const WORD = 0x4000;

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const ALPHANUM = LOWER + UPPER + DIGITS;
// RFC 3261 §25.1: mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
const MARK = "-_.!~*'()";
const UNRESERVED_CHARS = ALPHANUM + MARK;
const TOKEN_CHARS = `${ALPHANUM}-.!%*_+\`'~`;

/** Bit flags per code unit 0x00–0xFF. */
const CLASSES: Uint16Array = new Uint16Array(256);

function add(flag: number, chars: string): void {
  for (let i = 0; i < chars.length; i++) {
    const code = chars.charCodeAt(i);
    CLASSES[code] = (CLASSES[code] ?? 0) | flag;
  }
}

add(ALPHA, LOWER + UPPER);
add(DIGIT, DIGITS);
add(HEX, `${DIGITS}abcdefABCDEF`);
add(TOKEN, TOKEN_CHARS);
add(UNRESERVED, UNRESERVED_CHARS);
// RFC 3261 §25.1: user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"
add(USER, `${UNRESERVED_CHARS}&=+$,;?/`);
add(PASSWORD, `${UNRESERVED_CHARS}&=+$,`);
// RFC 3261 §25.1: param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"
add(PARAM_CHAR, `${UNRESERVED_CHARS}[]/:&+$`);
// RFC 3261 §25.1: hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"
add(HEADER_CHAR, `${UNRESERVED_CHARS}[]/?:+$`);
// RFC 2396 §2: uric = reserved / unreserved / escaped; reserved = ";/?:@&=+$,"
add(URIC, `${UNRESERVED_CHARS};/?:@&=+$,[]`);
add(SCHEME, `${LOWER}${UPPER}${DIGITS}+-.`);
add(WSP, ' \t');
add(HOST, `${ALPHANUM}-.`);
add(GEN_VALUE, `${TOKEN_CHARS}:[]`);
add(WORD, `${TOKEN_CHARS}()<>:\\"/[]?{}`);

/**
 * Whether the code unit at `index` of `text` belongs to a class.
 * @param text - the string
 * @param index - a position in it (past the end gives false)
 * @param flag - one of the class flags above, or several or-ed together
 * @returns true when the character is in the class
 * @internal
 */
export function isClass(text: string, index: number, flag: number): boolean {
  const code = text.charCodeAt(index);
  return code < 256 && ((CLASSES[code] ?? 0) & flag) !== 0;
}

/**
 * The first position at or after `index` (and before `end`) whose character is not in the class.
 * @internal
 */
export function skipClass(text: string, index: number, end: number, flag: number): number {
  let i = index;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code >= 256 || ((CLASSES[code] ?? 0) & flag) === 0) break;
    i++;
  }
  return i;
}

/**
 * The first position at or after `index` (and before `end`) that is not SP or HTAB.
 * @internal
 */
export function skipWhitespace(text: string, index: number, end: number): number {
  return skipClass(text, index, end, WSP);
}

/**
 * The position just past the last character before `end` (and at or after `start`) that is
 * not SP or HTAB.
 * @internal
 */
export function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && isClass(text, i - 1, WSP)) i--;
  return i;
}

/**
 * The value 0–15 of a hex digit character, or -1.
 * @internal
 */
export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  return -1;
}
