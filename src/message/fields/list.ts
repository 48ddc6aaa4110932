import { skipWhitespace, trimEnd } from './charset.js';
import { fieldError } from './errors.js';

/**
 * Splits a header value into its comma-separated elements (RFC 3261 §7.3.1): only commas at
 * the top level separate, not those inside a quoted-string (with `\` escapes), inside
 * `<angle brackets>` or inside a `(comment)` (nested). Each element is trimmed of SP/HTAB.
 * A value that is empty (or only whitespace) is an empty list, as Supported, Allow and Accept
 * may be (§20.37, §20.5, §20.1); an empty element between commas is an error.
 * @param value - an unfolded header field value
 * @returns the elements, in order
 * @throws ParseError INVALID_HEADER_VALUE for an empty element, an unclosed `<` or `(`;
 * INVALID_QUOTED_STRING for an unclosed quoted string
 * @example splitHeaderList('"Doe, J" <sip:j@a>, <sip:b@c>') // ['"Doe, J" <sip:j@a>', '<sip:b@c>']
 */
export function splitHeaderList(value: string): string[] {
  const end = value.length;
  const elements: string[] = [];
  if (skipWhitespace(value, 0, end) === end) return elements;
  let elementStart = 0;
  let i = 0;
  while (i <= end) {
    const code = i < end ? value.charCodeAt(i) : 0x2c;
    if (code === 0x2c) {
      const start = skipWhitespace(value, elementStart, i);
      const stop = trimEnd(value, start, i);
      if (start === stop) {
        throw fieldError(
          'INVALID_HEADER_VALUE',
          value,
          start,
          'Empty element in header list',
          'a value between commas (RFC 3261 §7.3.1)',
        );
      }
      elements.push(value.slice(start, stop));
      elementStart = i + 1;
      i++;
    } else if (code === 0x22) {
      i = skipQuoted(value, i);
    } else if (code === 0x3c) {
      // RFC 3261 §25.1: a URI holds no ">", so the first one closes the bracket
      const close = value.indexOf('>', i + 1);
      if (close === -1) {
        throw fieldError(
          'INVALID_HEADER_VALUE',
          value,
          i,
          'Unclosed "<" in header list',
          'a matching ">"',
        );
      }
      i = close + 1;
    } else if (code === 0x28) {
      i = skipComment(value, i);
    } else {
      i++;
    }
  }
  return elements;
}

/** Index after the quoted-string opening at `start`. Escapes skip one character. */
function skipQuoted(value: string, start: number): number {
  let i = start + 1;
  while (i < value.length) {
    const code = value.charCodeAt(i);
    if (code === 0x22) return i + 1;
    i += code === 0x5c ? 2 : 1;
  }
  throw fieldError(
    'INVALID_QUOTED_STRING',
    value,
    start,
    'Unterminated quoted string in header list',
    "a closing '\"'",
  );
}

/** Index after the comment opening at `start` (RFC 3261 §25.1: comments nest, `\` escapes). */
function skipComment(value: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < value.length) {
    const code = value.charCodeAt(i);
    if (code === 0x5c) {
      i += 2;
      continue;
    }
    if (code === 0x28) depth++;
    else if (code === 0x29) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw fieldError(
    'INVALID_HEADER_VALUE',
    value,
    start,
    'Unclosed comment in header list',
    'a matching ")"',
  );
}
