import { fieldError } from './errors.js';

/** Result of scanning one quoted-string: its unescaped content and the index past the closing quote. */
export interface QuotedScan {
  readonly value: string;
  readonly end: number;
}

/**
 * Scans a quoted-string starting at the `"` at `start` (RFC 3261 §25.1):
 * `DQUOTE *(qdtext / quoted-pair) DQUOTE`, where qdtext is LWS, %x21, %x23-5B, %x5D-7E or
 * UTF-8 beyond ASCII, and quoted-pair is `\` before %x00-09, %x0B-0C or %x0E-7F.
 * @param text - the whole value (offsets in errors count from its start)
 * @param start - index of the opening `"`
 * @param end - index the string must close before
 * @returns the content with quoted-pairs resolved, and the index after the closing quote
 * @throws ParseError INVALID_QUOTED_STRING when unterminated or holding a forbidden character
 * @internal
 */
export function scanQuotedString(text: string, start: number, end: number): QuotedScan {
  let value = '';
  let runStart = start + 1;
  let i = start + 1;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      value += text.slice(runStart, i);
      return { value, end: i + 1 };
    }
    if (code === 0x5c) {
      value += text.slice(runStart, i);
      if (i + 1 >= end) break;
      const next = text.charCodeAt(i + 1);
      // RFC 3261 §25.1: quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): no CR, LF or non-ASCII
      if (next > 0x7f || next === 0x0a || next === 0x0d) {
        throw fieldError(
          'INVALID_QUOTED_STRING',
          text,
          i + 1,
          'Invalid quoted-pair in quoted string',
          'an ASCII character other than CR or LF after "\\"',
        );
      }
      value += text[i + 1];
      i += 2;
      runStart = i;
      continue;
    }
    // RFC 3261 §25.1: qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      throw fieldError(
        'INVALID_QUOTED_STRING',
        text,
        i,
        'Invalid character in quoted string',
        'text, or a control character escaped with "\\"',
      );
    }
    i++;
  }
  throw fieldError(
    'INVALID_QUOTED_STRING',
    text,
    start,
    'Unterminated quoted string',
    "a closing '\"'",
  );
}

/**
 * Unquotes a whole quoted-string value such as `"Alice \"A\" Smith"` (RFC 3261 §25.1),
 * resolving quoted-pairs.
 * @param text - the quoted string, with its quotes, nothing before or after
 * @returns the content
 * @throws ParseError INVALID_QUOTED_STRING
 * @example parseQuotedString('"a \\"b\\""') // 'a "b"'
 */
export function parseQuotedString(text: string): string {
  if (text.charCodeAt(0) !== 0x22) {
    throw fieldError('INVALID_QUOTED_STRING', text, 0, 'Invalid quoted string', "a '\"'");
  }
  const scan = scanQuotedString(text, 0, text.length);
  if (scan.end !== text.length) {
    throw fieldError(
      'INVALID_QUOTED_STRING',
      text,
      scan.end,
      'Invalid quoted string',
      'nothing after the closing quote',
    );
  }
  return scan.value;
}

/**
 * Writes a string as a quoted-string, escaping `"` and `\` and the control characters
 * quoted-pair allows (RFC 3261 §25.1). CR and LF cannot be represented and are refused.
 * @param value - the content
 * @returns the quoted string
 * @throws ParseError INVALID_QUOTED_STRING when `value` holds CR or LF
 */
export function quoteString(value: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x0a || code === 0x0d) {
      throw fieldError(
        'INVALID_QUOTED_STRING',
        value,
        i,
        'Cannot quote text',
        'no CR or LF (a quoted-pair cannot hold them)',
      );
    }
    if (code === 0x22 || code === 0x5c || (code < 0x20 && code !== 0x09) || code === 0x7f) {
      out += `${value.slice(runStart, i)}\\`;
      runStart = i;
    }
  }
  return `${out}${value.slice(runStart)}"`;
}
