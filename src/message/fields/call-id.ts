import { skipClass, skipWhitespace, trimEnd, WORD } from './charset.js';
import { fieldError } from './errors.js';

const WHAT = 'Invalid Call-ID';

/**
 * Checks a Call-ID value: `word [ "@" word ]` (RFC 3261 §20.8, §25.1). Call-IDs compare
 * case-sensitively and byte for byte, so the value is returned as written (trimmed).
 * @param value - the field value, e.g. `a84b4c76e66710@pc33.atlanta.com`
 * @returns the Call-ID
 * @throws ParseError INVALID_HEADER_VALUE when empty or holding a non-word character
 * @example parseCallId(' f81d4fae@foo.bar.com ') // 'f81d4fae@foo.bar.com'
 */
export function parseCallId(value: string): string {
  const end = trimEnd(value, 0, value.length);
  const start = skipWhitespace(value, 0, end);
  const localEnd = skipClass(value, start, end, WORD);
  if (localEnd === start) {
    throw fieldError('INVALID_HEADER_VALUE', value, start, WHAT, 'a word (RFC 3261 §25.1)');
  }
  let stop = localEnd;
  if (stop < end && value.charCodeAt(stop) === 0x40) {
    stop = skipClass(value, stop + 1, end, WORD);
    if (stop === localEnd + 1) {
      throw fieldError('INVALID_HEADER_VALUE', value, stop, WHAT, 'a word after "@"');
    }
  }
  if (stop !== end) {
    throw fieldError('INVALID_HEADER_VALUE', value, stop, WHAT, 'word characters, at most one "@"');
  }
  return value.slice(start, end);
}
