import { skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';

/**
 * Parses a comma list of tokens: the option-tags of Require, Supported, Unsupported and
 * Proxy-Require (RFC 3261 §20.32, §20.37, §20.40, §20.29), or the methods of Allow
 * (§20.5). Tags are kept as written (they compare case-sensitively). An empty value is an
 * empty list, as Supported and Allow may be.
 * @param value - the field value, e.g. `100rel, timer`
 * @returns the tokens in order
 * @throws ParseError INVALID_OPTION_TAG for an empty element or a non-token character
 * @example parseOptionTags('100rel , timer') // ['100rel', 'timer']
 */
export function parseOptionTags(value: string): string[] {
  const end = trimEnd(value, 0, value.length);
  const tags: string[] = [];
  let i = skipWhitespace(value, 0, end);
  if (i === end) return tags;
  for (;;) {
    const tagEnd = skipClass(value, i, end, TOKEN);
    if (tagEnd === i) {
      throw fieldError('INVALID_OPTION_TAG', value, i, 'Invalid option tag', 'a token');
    }
    tags.push(value.slice(i, tagEnd));
    i = skipWhitespace(value, tagEnd, end);
    if (i === end) return tags;
    // RFC 3261 §25.1: COMMA = SWS "," SWS
    if (value.charCodeAt(i) !== 0x2c) {
      throw fieldError('INVALID_OPTION_TAG', value, i, 'Invalid option tag list', '"," or the end');
    }
    i = skipWhitespace(value, i + 1, end);
  }
}
