import { escapeForMessage } from '../../errors.js';
import { ParseError, type ParseErrorCode } from '../../parse/errors.js';

/**
 * Builds the ParseError of the header-value grammar: what was wrong, at which character of
 * the value, what was expected and what was found (STYLE §4).
 * @param code - the stable error code
 * @param text - the whole string given to the public parse function
 * @param offset - the character index in `text` where the problem is
 * @param what - what was being parsed, e.g. `Invalid Via`
 * @param expected - what the grammar wants there, e.g. `a port of 1 to 5 digits`
 * @returns the error, to be thrown by the caller
 * @internal
 */
export function fieldError(
  code: ParseErrorCode,
  text: string,
  offset: number,
  what: string,
  expected: string,
): ParseError {
  const found =
    offset >= text.length
      ? 'the end of the value'
      : `"${escapeForMessage(text.slice(offset, offset + 33))}"`;
  return new ParseError(
    code,
    offset,
    `${what} at character ${offset}: expected ${expected}, found ${found}`,
  );
}
