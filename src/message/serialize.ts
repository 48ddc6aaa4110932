/**
 * serialize(message) → wire bytes: start line, one `Name: value` line per field with the
 * canonical (or compact) name, Content-Length computed from the body, the empty line, the
 * body. Every part is checked first, so nothing a caller passes can end a line early and
 * smuggle in a second header or a second message.
 */

import { StatusCodeError, statusClass } from '../codes/index.js';
import { type MessagePart, SerializeError } from './errors.js';
import { ALPHA, isClass, SCHEME, TOKEN, WSP } from './fields/charset.js';
import { headerDefinition } from './header-names.js';
import type { HeaderField, SipMessage } from './types.js';

/** Options of `serialize` and `serializeToString`. */
export interface SerializeOptions {
  /**
   * Write the registered compact form of header names that have one (`v` for Via, `l` for
   * Content-Length), to save bytes over UDP (RFC 3261 §7.3.3). Headers without a compact form
   * keep their canonical spelling.
   * @defaultValue false
   */
  readonly compact?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// RFC 3261 §7.1, §7.2: SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, sent in upper case
const VERSION_PATTERN = /^SIP\/[0-9]+\.[0-9]+$/i;
const CONTENT_LENGTH = headerDefinition('Content-Length');

/**
 * Writes a request or response as wire bytes.
 *
 * Header names are written in their canonical spelling (`call-id` → `Call-ID`) or, with
 * `options.compact`, their compact form. Any Content-Length field of the message is dropped and
 * a new one, counting the body's bytes, is written after the other fields (RFC 3261 §20.14):
 * it is never trusted.
 * @param message - the message; a parsed message or the result of `buildResponse`
 * @param options - see {@link SerializeOptions}
 * @returns the message bytes, ready to send
 * @throws SerializeError `INVALID_METHOD` (not a token), `INVALID_REQUEST_URI` (no `scheme:`, or
 * whitespace, controls, non-ASCII or `<>"\^`{|}` in it), `INVALID_VERSION`, `INVALID_STATUS_CODE` (not an integer
 * from 100 to 699), `INVALID_REASON_PHRASE` (control characters other than HTAB),
 * `INVALID_HEADER_NAME` (not a token), `INVALID_HEADER_VALUE` (CR, LF, or another control
 * character outside a quoted-pair; leading or trailing whitespace; a lone UTF-16 surrogate)
 * @example
 * ```ts
 * const { response } = buildResponse(request, StatusCode.BUSY_HERE);
 * socket.send(serialize(response));
 * ```
 */
export function serialize(
  message: SipMessage,
  options?: SerializeOptions,
): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(serializeHead(message, options));
  const body = message.body;
  const bytes = new Uint8Array(head.byteLength + body.byteLength);
  bytes.set(head, 0);
  bytes.set(body, head.byteLength);
  return bytes;
}

/**
 * Writes a message as a string, for logs and tests. The body is decoded as UTF-8, so a body
 * that is not UTF-8 text is shown with replacement characters; send `serialize`'s bytes instead.
 * @param message - the message
 * @param options - see {@link SerializeOptions}
 * @returns the wire text
 * @throws SerializeError as `serialize`
 */
export function serializeToString(message: SipMessage, options?: SerializeOptions): string {
  return serializeHead(message, options) + decoder.decode(message.body);
}

/** Start line, header lines, Content-Length and the empty line. */
function serializeHead(message: SipMessage, options: SerializeOptions | undefined): string {
  const compact = options?.compact === true;
  let head =
    message.type === 'request'
      ? `${checkToken(message.method, 'method', 'INVALID_METHOD')} ${checkUri(message.uri)} ${checkVersion(message.version)}\r\n`
      : `${checkVersion(message.version)} ${checkStatus(message.status)} ${checkReason(message.reason)}\r\n`;
  for (const field of message.headers) {
    const definition = headerDefinition(
      checkToken(field.name, 'headerName', 'INVALID_HEADER_NAME'),
    );
    // RFC 3261 §20.14: Content-Length is computed from the body below, never copied
    if (definition !== undefined && definition === CONTENT_LENGTH) continue;
    head += formatField(field, definition, compact);
  }
  const lengthName = compact ? 'l' : 'Content-Length';
  head += `${lengthName}: ${message.body.byteLength}\r\n\r\n`;
  return head;
}

function formatField(
  field: HeaderField,
  definition: ReturnType<typeof headerDefinition>,
  compact: boolean,
): string {
  const name =
    definition === undefined
      ? field.name
      : compact
        ? (definition.compact ?? definition.name)
        : definition.name;
  checkHeaderValue(field.value, name);
  return `${name}: ${field.value}\r\n`;
}

function fail(
  code: ConstructorParameters<typeof SerializeError>[0],
  part: MessagePart,
  text: string,
  expected: string,
  index?: number,
  header?: string,
): never {
  const facts: ConstructorParameters<typeof SerializeError>[1] = { part, text, expected };
  if (index !== undefined) facts.index = index;
  if (header !== undefined) facts.header = header;
  throw new SerializeError(code, facts);
}

/**
 * RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").
 * @returns the token
 * @throws SerializeError `code`
 * @internal
 */
export function checkToken(
  text: string,
  part: MessagePart,
  code: 'INVALID_METHOD' | 'INVALID_HEADER_NAME',
): string {
  if (typeof text !== 'string' || text.length === 0) {
    fail(code, part, String(text), 'a token (RFC 3261 §25.1)');
  }
  for (let i = 0; i < text.length; i++) {
    if (!isClass(text, i, TOKEN)) fail(code, part, text, 'a token (RFC 3261 §25.1)', i);
  }
  return text;
}

/** Whether the code unit at `index` is a lone UTF-16 surrogate, which UTF-8 cannot encode. */
function loneSurrogateAt(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (unit >= 0xdc00 && unit <= 0xdfff) {
    const previous = index > 0 ? text.charCodeAt(index - 1) : 0;
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}

function isControl(unit: number): boolean {
  return unit < 0x20 || unit === 0x7f;
}

// RFC 2396 §2.4.3: delims and unwise characters never appear raw in a URI
const NOT_IN_URI = '"<>\\^`{|}';

/**
 * RFC 3261 §25.1: Request-URI = SIP-URI / SIPS-URI / absoluteURI, so a scheme, ":" and at
 * least one URI character: printable ASCII without whitespace, controls, delims or unwise
 * characters (the same check the parser makes).
 */
function checkUri(uri: string): string {
  const expected =
    'scheme ":" and URI characters, without whitespace, controls or <>"\\^`{|} (RFC 3261 §25.1)';
  if (typeof uri !== 'string') fail('INVALID_REQUEST_URI', 'uri', String(uri), expected);
  let i = 0;
  if (isClass(uri, 0, ALPHA)) while (isClass(uri, i, SCHEME)) i++;
  if (i === 0 || uri.charCodeAt(i) !== 0x3a || i + 1 === uri.length) {
    fail('INVALID_REQUEST_URI', 'uri', uri, expected, Math.min(i, Math.max(uri.length - 1, 0)));
  }
  for (let j = i + 1; j < uri.length; j++) {
    const unit = uri.charCodeAt(j);
    if (unit < 0x21 || unit > 0x7e || NOT_IN_URI.includes(uri.charAt(j))) {
      fail('INVALID_REQUEST_URI', 'uri', uri, expected, j);
    }
  }
  return uri;
}

function checkVersion(version: string): string {
  if (typeof version !== 'string' || !VERSION_PATTERN.test(version)) {
    fail('INVALID_VERSION', 'version', String(version), 'SIP/<digits>.<digits> (RFC 3261 §7.1)');
  }
  // RFC 3261 §7.1: compared case-insensitively, but sent in upper case
  return version.toUpperCase();
}

function checkStatus(status: number): string {
  try {
    // RFC 3261 §7.2: three digits, the first from 1 to 6; the table's lookup checks exactly that
    statusClass(status);
  } catch (error) {
    if (!(error instanceof StatusCodeError)) throw error;
    fail(
      'INVALID_STATUS_CODE',
      'status',
      String(status),
      'an integer from 100 to 699 (RFC 3261 §7.2)',
    );
  }
  return String(status);
}

/**
 * RFC 3261 §25.1: Reason-Phrase may hold SP, HTAB and UTF-8 text, never CR, LF or other controls.
 * @returns the phrase
 * @throws SerializeError INVALID_REASON_PHRASE
 * @internal
 */
export function checkReason(reason: string): string {
  const expected = 'text without control characters other than HTAB (RFC 3261 §25.1)';
  if (typeof reason !== 'string') fail('INVALID_REASON_PHRASE', 'reason', String(reason), expected);
  for (let i = 0; i < reason.length; i++) {
    const unit = reason.charCodeAt(i);
    if ((isControl(unit) && unit !== 0x09) || loneSurrogateAt(reason, i)) {
      fail('INVALID_REASON_PHRASE', 'reason', reason, expected, i);
    }
  }
  return reason;
}

/**
 * RFC 3261 §25.1: a header value is TEXT-UTF8 and LWS; a control character other than HTAB may
 * appear only as the escaped character of a quoted-pair, and never CR or LF (folding is not
 * written, §7.3.1). Leading and trailing whitespace would be lost on parsing, so it is refused.
 * @throws SerializeError INVALID_HEADER_VALUE
 * @internal
 */
export function checkHeaderValue(value: string, header: string): void {
  const expected =
    'a value without CR, LF, control characters outside a quoted-pair, or surrounding whitespace (RFC 3261 §7.3.1, §25.1)';
  if (typeof value !== 'string') {
    fail('INVALID_HEADER_VALUE', 'headerValue', String(value), expected, undefined, header);
  }
  const last = value.length - 1;
  if (last >= 0 && (isClass(value, 0, WSP) || isClass(value, last, WSP))) {
    fail(
      'INVALID_HEADER_VALUE',
      'headerValue',
      value,
      expected,
      isClass(value, 0, WSP) ? 0 : last,
      header,
    );
  }
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit === 0x0d || unit === 0x0a || loneSurrogateAt(value, i)) {
      fail('INVALID_HEADER_VALUE', 'headerValue', value, expected, i, header);
    }
    if (quoted && unit === 0x5c) {
      // RFC 3261 §25.1: quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F); CR and LF stay refused
      const escaped = value.charCodeAt(i + 1);
      if (escaped === 0x0d || escaped === 0x0a) {
        fail('INVALID_HEADER_VALUE', 'headerValue', value, expected, i + 1, header);
      }
      if (!loneSurrogateAt(value, i + 1)) i++;
      continue;
    }
    if (unit === 0x22) quoted = !quoted;
    else if (isControl(unit) && unit !== 0x09) {
      fail('INVALID_HEADER_VALUE', 'headerValue', value, expected, i, header);
    }
  }
}
