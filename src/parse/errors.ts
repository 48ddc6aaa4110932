import { escapeBytesForMessage, SipError } from '../errors.js';

/**
 * Every ParseError code. Stable: once released a code is never renamed or reused.
 * Framing and syntax codes come from the parser; field codes from the header-value grammar
 * (`message/fields`), whose offsets count from the start of the stream when the field came
 * from a parsed message.
 */
export const PARSE_ERROR_CODES = [
  // start line
  'INVALID_START_LINE',
  'INVALID_METHOD',
  'INVALID_REQUEST_URI',
  'INVALID_VERSION',
  'INVALID_STATUS_CODE',
  'INVALID_REASON_PHRASE',
  // header section
  'INVALID_HEADER_NAME',
  'INVALID_HEADER_LINE',
  'INVALID_LINE_ENDING',
  'INVALID_CONTENT_LENGTH',
  'MISSING_CONTENT_LENGTH',
  'CONFLICTING_CONTENT_LENGTH',
  'CONTENT_LENGTH_EXCEEDS_DATAGRAM',
  'INCOMPLETE_MESSAGE',
  // limits
  'START_LINE_TOO_LONG',
  'HEADER_SECTION_TOO_LARGE',
  'HEADER_LINE_TOO_LONG',
  'TOO_MANY_HEADERS',
  'BODY_TOO_LARGE',
  // header values (message/fields)
  'INVALID_URI',
  'INVALID_NAME_ADDR',
  'INVALID_VIA',
  'INVALID_CSEQ',
  'INVALID_NUMBER',
  'NUMBER_OUT_OF_RANGE',
  'INVALID_PARAMETER',
  'INVALID_QUOTED_STRING',
  'INVALID_CONTENT_TYPE',
  'INVALID_OPTION_TAG',
  'INVALID_HEADER_VALUE',
  'INVALID_CHALLENGE',
  'INVALID_CREDENTIALS',
  'INVALID_CONTENT_DISPOSITION',
] as const;

/** A stable parse error code. */
export type ParseErrorCode = (typeof PARSE_ERROR_CODES)[number];

/**
 * A failure to parse SIP bytes or a header value. The parser throws nothing else, on any input.
 *
 * `offset` always counts bytes (UTF-8 on the wire) from the start of the input: the stream
 * (since the last reset) or the datagram for the parser and for a parsed message's accessors;
 * the value's own UTF-8 bytes when a field parser (parseNameAddr …) is called on a string.
 * `valueIndex` is the separate position inside the header value, in characters of the string.
 */
export class ParseError extends SipError {
  override readonly name = 'ParseError';
  readonly code: ParseErrorCode;
  /** Byte offset of the problem from the start of the input: stream, datagram or value. */
  readonly offset: number;
  /**
   * For a header-value error: the character (UTF-16) index of the problem inside the value
   * string (`headers[i].value`, or the string given to a field parser); for a Request-URI
   * error, inside the Request-URI. Undefined for an error of the framing or the start line.
   */
  readonly valueIndex: number | undefined;

  constructor(
    code: ParseErrorCode,
    offset: number,
    message: string,
    options?: { cause?: unknown; valueIndex?: number },
  ) {
    super(message, options);
    this.code = code;
    this.offset = offset;
    this.valueIndex = options?.valueIndex;
  }
}

/**
 * Builds a ParseError whose message says what was wrong, where, and what was expected, showing
 * the offending input escaped (printable ASCII as is, other bytes as `\xNN`, cut after 32).
 * @param code - the stable code
 * @param offset - absolute byte offset of the problem
 * @param what - sentence-case summary, e.g. `Invalid status code`
 * @param expected - what the grammar wanted there, e.g. `expected three digits 100-699`
 * @param found - the offending bytes, when showing them helps
 * @returns the error, ready to throw
 * @internal
 */
export function parseError(
  code: ParseErrorCode,
  offset: number,
  what: string,
  expected: string,
  found?: Uint8Array,
): ParseError {
  const shown = found === undefined ? '' : `, found "${escapeBytesForMessage(found)}"`;
  return new ParseError(code, offset, `${what} at byte ${offset}: ${expected}${shown}`);
}
