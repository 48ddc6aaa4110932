import { escapeForMessage } from '../../errors.js';
import { ParseError, type ParseErrorCode } from '../../parse/errors.js';

/**
 * Builds the ParseError of the header-value grammar: what was wrong, at which character of
 * the value, what was expected and what was found (STYLE §4). `valueIndex` is the character
 * index; `offset` the same position in bytes of the value's UTF-8 encoding, the unit of every
 * ParseError offset.
 * @param code - the stable error code
 * @param text - the whole string given to the public parse function
 * @param index - the character index in `text` where the problem is
 * @param what - what was being parsed, e.g. `Invalid Via`
 * @param expected - what the grammar wants there, e.g. `a port of 1 to 5 digits`
 * @returns the error, to be thrown by the caller
 * @internal
 */
export function fieldError(
  code: ParseErrorCode,
  text: string,
  index: number,
  what: string,
  expected: string,
): ParseError {
  const found =
    index >= text.length
      ? 'the end of the value'
      : `"${escapeForMessage(text.slice(index, index + 33))}"`;
  return new ParseError(
    code,
    utf8ByteLength(text, index),
    `${what} at character ${index}: expected ${expected}, found ${found}`,
    { valueIndex: index },
  );
}

/**
 * Bytes that `text.slice(0, end)` takes in UTF-8, as TextEncoder writes it (a lone surrogate
 * becomes U+FFFD, 3 bytes; so does half a pair cut by `end`).
 * @internal
 */
export function utf8ByteLength(text: string, end: number): number {
  let bytes = 0;
  const stop = Math.min(end, text.length);
  for (let i = 0; i < stop; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff && i + 1 < stop) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
