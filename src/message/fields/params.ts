import type { ParseErrorCode } from '../../parse/errors.js';
import { GEN_VALUE, skipClass, skipWhitespace, TOKEN } from './charset.js';
import { fieldError } from './errors.js';
import { scanQuotedString } from './quoted.js';

/**
 * Parameters in the order they appeared. Names are lower-cased (parameter names are
 * case-insensitive, RFC 3261 §7.3.1); a flag parameter (`;lr`) maps to undefined; a quoted
 * value is stored unquoted.
 */
export type Parameters = ReadonlyMap<string, string | undefined>;

/** One scanned parameter with where it was, for typed checks that report an offset. @internal */
export interface ParameterEntry {
  /** Lower-cased name. */
  readonly name: string;
  /** Value, unquoted; undefined for a flag. */
  readonly value: string | undefined;
  /** Index of the name's first character. */
  readonly nameOffset: number;
  /** Index of the value's first character (its opening quote when quoted); -1 for a flag. */
  readonly valueOffset: number;
  /** Whether the value was a quoted-string. */
  readonly quoted: boolean;
}

/** Result of scanning a parameter list. @internal */
export interface ParameterScan {
  readonly params: Parameters;
  readonly entries: readonly ParameterEntry[];
}

/**
 * Scans `*( SEMI generic-param )` from `start` to `end` (RFC 3261 §25.1):
 * `generic-param = token [ EQUAL gen-value ]`, `gen-value = token / host / quoted-string`,
 * with SWS allowed around ";" and "=". Only whitespace may precede the first ";" and follow
 * the last parameter.
 * @param text - the whole value (offsets in errors count from its start)
 * @param start - where the list begins
 * @param end - where it must end
 * @param code - the error code for a malformed list
 * @returns the map and the entries with their offsets
 * @throws ParseError `code` (INVALID_PARAMETER by default) for a malformed or duplicate
 * parameter; INVALID_QUOTED_STRING for a bad quoted value
 * @internal
 */
export function scanParameters(
  text: string,
  start: number,
  end: number,
  code: ParseErrorCode = 'INVALID_PARAMETER',
): ParameterScan {
  const params = new Map<string, string | undefined>();
  const entries: ParameterEntry[] = [];
  let i = skipWhitespace(text, start, end);
  while (i < end) {
    if (text.charCodeAt(i) !== 0x3b) {
      throw fieldError(code, text, i, 'Invalid parameter list', '";" before each parameter');
    }
    const nameOffset = skipWhitespace(text, i + 1, end);
    const nameEnd = skipClass(text, nameOffset, end, TOKEN);
    if (nameEnd === nameOffset) {
      throw fieldError(code, text, nameOffset, 'Invalid parameter', 'a parameter name (a token)');
    }
    const name = text.slice(nameOffset, nameEnd).toLowerCase();
    if (params.has(name)) {
      throw fieldError(
        'INVALID_PARAMETER',
        text,
        nameOffset,
        `Duplicate parameter "${name}"`,
        'each parameter name once (RFC 3261 §7.3.1)',
      );
    }
    i = skipWhitespace(text, nameEnd, end);
    let value: string | undefined;
    let valueOffset = -1;
    let quoted = false;
    if (i < end && text.charCodeAt(i) === 0x3d) {
      valueOffset = skipWhitespace(text, i + 1, end);
      if (valueOffset < end && text.charCodeAt(valueOffset) === 0x22) {
        const scan = scanQuotedString(text, valueOffset, end);
        value = scan.value;
        quoted = true;
        i = scan.end;
      } else {
        i = skipClass(text, valueOffset, end, GEN_VALUE);
        if (i === valueOffset) {
          throw fieldError(
            code,
            text,
            valueOffset,
            `Invalid value of parameter "${name}"`,
            'a token, a host or a quoted string',
          );
        }
        value = text.slice(valueOffset, i);
      }
      i = skipWhitespace(text, i, end);
    }
    params.set(name, value);
    entries.push({ name, value, nameOffset, valueOffset, quoted });
  }
  return { params, entries };
}

/**
 * Parses header parameters `;name=value;flag;name="quoted"` into an ordered map
 * (RFC 3261 §7.3.1, §25.1 generic-param). Names are lower-cased; whitespace around ";" and
 * "=" is allowed; an empty string is an empty map.
 * @param text - the parameter list, starting with its first ";"
 * @returns the parameters in order
 * @throws ParseError INVALID_PARAMETER for a malformed or duplicate parameter;
 * INVALID_QUOTED_STRING for a bad quoted value
 * @example parseParameters(';tag=a6c85cf;lr') // Map { 'tag' => 'a6c85cf', 'lr' => undefined }
 */
export function parseParameters(text: string): Parameters {
  return scanParameters(text, 0, text.length).params;
}

/**
 * Whether `text` is a token (RFC 3261 §25.1): one or more token characters, nothing else.
 * @param text - the candidate
 * @returns true for a non-empty token
 */
export function isToken(text: string): boolean {
  return text.length > 0 && skipClass(text, 0, text.length, TOKEN) === text.length;
}
