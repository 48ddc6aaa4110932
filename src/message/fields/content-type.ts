import { skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import { type Parameters, scanParameters } from './params.js';

/** A Content-Type value (RFC 3261 §20.15). */
export interface ContentType {
  /** m-type, lower-cased (`application`). */
  readonly type: string;
  /** m-subtype, lower-cased (`sdp`). */
  readonly subtype: string;
  /** m-parameters in order, names lower-cased, quoted values unquoted. */
  readonly params: Parameters;
}

const WHAT = 'Invalid Content-Type';

/**
 * Parses `m-type SLASH m-subtype *( SEMI m-parameter )` (RFC 3261 §20.15, §25.1), where every
 * m-parameter has a value (token or quoted-string).
 * @param value - the field value, e.g. `multipart/mixed; boundary="7a9cbec0"`
 * @returns type and subtype lower-cased, and the parameters
 * @throws ParseError INVALID_CONTENT_TYPE when malformed; INVALID_PARAMETER for a malformed or
 * repeated parameter
 * @example parseContentType('Application/SDP').subtype // 'sdp'
 */
export function parseContentType(value: string): ContentType {
  const end = trimEnd(value, 0, value.length);
  const typeStart = skipWhitespace(value, 0, end);
  const typeEnd = skipClass(value, typeStart, end, TOKEN);
  if (typeEnd === typeStart) {
    throw fieldError('INVALID_CONTENT_TYPE', value, typeStart, WHAT, 'a media type (a token)');
  }
  // RFC 3261 §25.1: SLASH = SWS "/" SWS
  const slash = skipWhitespace(value, typeEnd, end);
  if (slash >= end || value.charCodeAt(slash) !== 0x2f) {
    throw fieldError('INVALID_CONTENT_TYPE', value, slash, WHAT, '"/" between type and subtype');
  }
  const subtypeStart = skipWhitespace(value, slash + 1, end);
  const subtypeEnd = skipClass(value, subtypeStart, end, TOKEN);
  if (subtypeEnd === subtypeStart) {
    throw fieldError(
      'INVALID_CONTENT_TYPE',
      value,
      subtypeStart,
      WHAT,
      'a media subtype (a token)',
    );
  }
  const scan = scanParameters(value, subtypeEnd, end);
  for (const entry of scan.entries) {
    // RFC 3261 §25.1: m-parameter = m-attribute EQUAL m-value
    if (entry.value === undefined) {
      throw fieldError(
        'INVALID_CONTENT_TYPE',
        value,
        entry.nameOffset,
        WHAT,
        `a value for "${entry.name}"`,
      );
    }
    // m-value = token / quoted-string: the host characters of gen-value are not allowed here
    const stop = entry.valueOffset + entry.value.length;
    if (!entry.quoted && skipClass(value, entry.valueOffset, stop, TOKEN) !== stop) {
      throw fieldError(
        'INVALID_CONTENT_TYPE',
        value,
        entry.valueOffset,
        WHAT,
        'a token or a quoted string as value',
      );
    }
  }
  return {
    type: value.slice(typeStart, typeEnd).toLowerCase(),
    subtype: value.slice(subtypeStart, subtypeEnd).toLowerCase(),
    params: scan.params,
  };
}
