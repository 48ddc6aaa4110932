import { skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import { type Parameters, scanParameters } from './params.js';

/** A Content-Disposition value (RFC 3261 §20.11, RFC 2183). */
export interface ContentDisposition {
  /** disp-type, lower-cased: `session`, `render`, `icon`, `alert`, `signal` (RFC 5621) … */
  readonly type: string;
  /**
   * The handling parameter, lower-cased: `required` (the default, RFC 3261 §20.11) or
   * `optional`, or another token as received.
   */
  readonly handling: string;
  /** disp-params in order, names lower-cased, quoted values unquoted. */
  readonly params: Parameters;
}

const WHAT = 'Invalid Content-Disposition';

/**
 * Parses `disp-type *( SEMI disp-param )` (RFC 3261 §20.11, §25.1), where every disp-param
 * has a value; `handling` defaults to `required`.
 * @param value - the field value, e.g. `signal;handling=optional`
 * @returns type, handling and parameters
 * @throws ParseError INVALID_CONTENT_DISPOSITION when malformed; INVALID_PARAMETER for a
 * malformed or repeated parameter
 * @example parseContentDisposition('session;handling=optional').handling // 'optional'
 */
export function parseContentDisposition(value: string): ContentDisposition {
  const end = trimEnd(value, 0, value.length);
  const typeStart = skipWhitespace(value, 0, end);
  const typeEnd = skipClass(value, typeStart, end, TOKEN);
  if (typeEnd === typeStart) {
    throw fieldError(
      'INVALID_CONTENT_DISPOSITION',
      value,
      typeStart,
      WHAT,
      'a disp-type (a token)',
    );
  }
  const scan = scanParameters(value, typeEnd, end);
  for (const entry of scan.entries) {
    // RFC 3261 §25.1: handling-param / generic-param; handling needs a token value
    if (entry.name === 'handling' && (entry.value === undefined || entry.quoted)) {
      throw fieldError(
        'INVALID_CONTENT_DISPOSITION',
        value,
        entry.nameOffset,
        WHAT,
        'handling=required or handling=optional',
      );
    }
  }
  return {
    type: value.slice(typeStart, typeEnd).toLowerCase(),
    handling: (scan.params.get('handling') ?? 'required').toLowerCase(),
    params: scan.params,
  };
}
