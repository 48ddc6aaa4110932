import type { ParseErrorCode } from '../../parse/errors.js';
import { hexValue, isClass } from './charset.js';
import { fieldError } from './errors.js';

// Invalid UTF-8 in %HH escapes becomes U+FFFD rather than failing: the text is still a
// legal URI (RFC 3261 §25.1 `escaped` is any octet), only its decoded form is lossy.
const UTF8 = new TextDecoder('utf-8');

/**
 * Checks `text[start, end)` against a character class plus `escaped = "%" HEXDIG HEXDIG`
 * (RFC 3261 §25.1) and returns it with every escape decoded exactly once: `%2525` → `%25`.
 * Escaped octets are decoded as UTF-8; `%00` stays a NUL character (RFC 4475 §3.1.1.4).
 * @param text - the whole string (offsets in errors count from its start)
 * @param start - first index
 * @param end - index past the last
 * @param flag - the class of characters allowed unescaped
 * @param code - the error code to throw
 * @param what - what is being read, for the message, e.g. `URI user`
 * @returns the unescaped text
 * @throws ParseError `code` for a character outside the class or a malformed escape
 * @internal
 */
export function unescapeRange(
  text: string,
  start: number,
  end: number,
  flag: number,
  code: ParseErrorCode,
  what: string,
): string {
  let out = '';
  let runStart = start;
  let i = start;
  let bytes: number[] | undefined;
  while (i < end) {
    if (text.charCodeAt(i) === 0x25) {
      const high = i + 2 < end ? hexValue(text.charCodeAt(i + 1)) : -1;
      const low = high >= 0 ? hexValue(text.charCodeAt(i + 2)) : -1;
      if (low < 0) {
        throw fieldError(code, text, i, `Invalid escape in ${what}`, '"%" and two hex digits');
      }
      out += text.slice(runStart, i);
      bytes ??= [];
      bytes.push(high * 16 + low);
      i += 3;
      runStart = i;
      continue;
    }
    if (!isClass(text, i, flag)) {
      throw fieldError(
        code,
        text,
        i,
        `Invalid character in ${what}`,
        'a legal or %HH-escaped character',
      );
    }
    if (bytes !== undefined && bytes.length > 0) {
      out += UTF8.decode(new Uint8Array(bytes));
      bytes.length = 0;
    }
    i++;
  }
  if (bytes !== undefined && bytes.length > 0) out += UTF8.decode(new Uint8Array(bytes));
  return out + text.slice(runStart, end);
}
