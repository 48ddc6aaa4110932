/**
 * serialize(message) → wire bytes: start line, one `Name: value` line per field with the
 * canonical (or compact) name, Content-Length computed from the body, the empty line, the
 * body. Every part is checked first, so nothing a caller passes can end a line early and
 * smuggle in a second header or a second message.
 */

import { StatusCodeError, statusClass } from '../codes/index.js';
import { type MessagePart, SerializeError } from './errors.js';
import { ALPHA, isClass, SCHEME, TOKEN, WSP } from './fields/charset.js';
import { isToken } from './fields/index.js';
import { HEADER_DEFINITIONS, type HeaderDefinition, headerDefinition } from './header-names.js';
import type { HeaderField, SipMessage, SipResponse } from './types.js';

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
 * How a header of the table is written: its row, and what goes before its value (the end of
 * the line before, then the name and the colon) in long and compact form.
 */
interface Spelling {
  readonly definition: HeaderDefinition;
  readonly prefix: string;
  readonly compactPrefix: string;
}

/**
 * Header-table rows by the spellings a message usually holds (canonical, lower case, compact):
 * each is a token by construction, so a name found here needs no character check.
 */
const SPELLINGS = new Map<string, Spelling>();
for (const definition of HEADER_DEFINITIONS as readonly HeaderDefinition[]) {
  const spelling: Spelling = {
    definition,
    prefix: `\r\n${definition.name}: `,
    compactPrefix: `\r\n${definition.compact ?? definition.name}: `,
  };
  SPELLINGS.set(definition.name, spelling);
  SPELLINGS.set(definition.name.toLowerCase(), spelling);
  if (definition.compact !== undefined) SPELLINGS.set(definition.compact, spelling);
}

const EMPTY_BODY_END = '\r\nContent-Length: 0\r\n\r\n';
const EMPTY_BODY_END_COMPACT = '\r\nl: 0\r\n\r\n';

/**
 * Small results are cut from a shared buffer, as Node's Buffer does: a fresh ArrayBuffer per
 * message costs more than writing the message. 64 KiB holds about a hundred typical responses.
 */
const POOL_BYTES = 64 * 1024;
/** Messages that may need more (head characters × 3, plus the body) get a buffer of their own. */
const POOLED_MAX_BYTES = 8 * 1024;

/**
 * A response as `buildResponse` returns it: plain readonly data, frozen, and, out of sight,
 * the array its fields were collected in. `serialize` reads that array instead of the frozen
 * `headers`: the same records (both arrays are out of reach of change), but this engine reads a
 * frozen array several times slower.
 * @internal
 */
export class BuiltSipResponse implements SipResponse {
  readonly type = 'response';
  readonly version = 'SIP/2.0';
  readonly status: number;
  readonly reason: string;
  readonly headers: readonly HeaderField[];
  readonly body: Uint8Array;
  readonly #fields: readonly HeaderField[];

  /**
   * @param fields - the fields, in an array nobody else holds (it is kept, not copied)
   */
  constructor(status: number, reason: string, fields: readonly HeaderField[], body: Uint8Array) {
    this.status = status;
    this.reason = reason;
    this.headers = Object.freeze(fields.slice());
    this.body = body;
    this.#fields = fields;
    Object.freeze(this);
  }

  /**
   * A message's fields, from the array a built response keeps when it is one.
   * @internal
   */
  static fieldsOf(message: SipMessage): readonly HeaderField[] {
    return #fields in message ? message.#fields : message.headers;
  }
}

let pool = new ArrayBuffer(0);
let poolBytes = new Uint8Array(pool);
// Signed words: the SWAR test below is the same bit for bit, and an Int32 stays a small integer in
// optimized code where a Uint32 above 2^31 becomes a double
let poolWords = new Int32Array(pool);
/** Next free byte of `pool`, a multiple of 8 (so `poolWords` reads whole words of a head). */
let poolOffset = 0;

/**
 * Writes a request or response as wire bytes.
 *
 * Header names are written in their canonical spelling (`call-id` → `Call-ID`) or, with
 * `options.compact`, their compact form. Any Content-Length field of the message is dropped and
 * a new one, counting the body's bytes, is written after the other fields (RFC 3261 §20.14):
 * it is never trusted.
 *
 * Like the pooled allocations of Node's Buffer, a result of up to a few KiB is a view into a shared 64 KiB
 * `ArrayBuffer`: use the view (its `byteOffset` and `byteLength`), not `bytes.buffer`
 * alone, and copy it with `slice()` before transferring its buffer to a worker or keeping it
 * for long (a retransmission buffer), so it does not hold the shared buffer alive.
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
  // Read once: the Content-Length written and the bytes copied come from the same body
  const body = message.body;
  const draft = draftHead(message, body, options?.compact === true);
  if (draft !== undefined) {
    const bytes = writePooled(draft, body);
    if (bytes !== undefined) return bytes;
  }
  // Every part checked one by one: throws the SerializeError of the first bad part
  const head = encoder.encode(serializeHead(message, body, options));
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
  const body = message.body;
  return serializeHead(message, body, options) + decoder.decode(body);
}

/** A head written without looking inside the values, and how many lines it has. */
interface Draft {
  readonly head: string;
  /** CRLF-terminated lines: start line, fields, Content-Length and the empty line. */
  readonly lines: number;
}

/**
 * The head, with the checks that are cheap per part: the start line in full (short), header
 * names found in the header table, surrounding whitespace of values. What the values and the
 * reason phrase hold is checked on the written bytes (`isPlainHead`).
 * @returns the draft, or undefined when a part needs the careful path (which reports it)
 */
function draftHead(message: SipMessage, body: Uint8Array, compact: boolean): Draft | undefined {
  // Each line's CRLF is written with the next line's start: two joins per field instead of four
  let head: string;
  if (message.type === 'request') {
    head = `${checkToken(message.method, 'method', 'INVALID_METHOD')} ${checkUri(message.uri)} ${fastVersion(message.version)}`;
  } else {
    const reason = message.reason;
    if (typeof reason !== 'string') return undefined;
    head = `${fastVersion(message.version)} ${checkStatus(message.status)} ${reason}`;
  }
  const headers = BuiltSipResponse.fieldsOf(message);
  let lines = 3;
  for (let i = 0; i < headers.length; i++) {
    const field = headers[i] as HeaderField;
    const name = field.name;
    const spelling = SPELLINGS.get(name);
    let prefix: string;
    if (spelling !== undefined) {
      // RFC 3261 §20.14: Content-Length is computed from the body below, never copied
      if (spelling.definition === CONTENT_LENGTH) continue;
      prefix = compact ? spelling.compactPrefix : spelling.prefix;
    } else {
      if (typeof name !== 'string' || !isToken(name)) return undefined;
      const definition = headerDefinition(name);
      if (definition === CONTENT_LENGTH) continue;
      const written =
        definition === undefined
          ? name
          : compact
            ? (definition.compact ?? definition.name)
            : definition.name;
      prefix = `\r\n${written}: `;
    }
    const value = field.value;
    if (typeof value !== 'string') return undefined;
    const last = value.length - 1;
    if (last >= 0 && (isClass(value, 0, WSP) || isClass(value, last, WSP))) return undefined;
    head += prefix;
    head += value;
    lines++;
  }
  const byteLength = body.byteLength;
  head +=
    byteLength === 0
      ? compact
        ? EMPTY_BODY_END_COMPACT
        : EMPTY_BODY_END
      : `\r\n${compact ? 'l' : 'Content-Length'}: ${byteLength}\r\n\r\n`;
  return { head, lines };
}

function fastVersion(version: string): string {
  return version === 'SIP/2.0' ? version : checkVersion(version);
}

/**
 * Encodes a draft into the pool, then checks its bytes.
 * @returns a view of the pool, or undefined when the message is too big for the pool or its
 * bytes need the careful path
 */
function writePooled(draft: Draft, body: Uint8Array): Uint8Array<ArrayBuffer> | undefined {
  const head = draft.head;
  // UTF-8 takes at most 3 bytes per UTF-16 code unit
  const headRoom = head.length * 3;
  if (headRoom + body.byteLength > POOLED_MAX_BYTES) return undefined;
  // A pool that is full, not made yet, or detached (its buffer was transferred) is replaced
  if (poolOffset + headRoom + body.byteLength > poolBytes.byteLength) {
    pool = new ArrayBuffer(POOL_BYTES);
    poolBytes = new Uint8Array(pool);
    poolWords = new Int32Array(pool);
    poolOffset = 0;
  }
  const start = poolOffset;
  const end = start + encoder.encodeInto(head, new Uint8Array(pool, start, headRoom)).written;
  if (!isPlainHead(start, end, draft.lines)) {
    // Leave nothing of a refused message in the shared buffer
    poolBytes.fill(0, start, end);
    return undefined;
  }
  if (body.byteLength > 0) poolBytes.set(body, end);
  const byteLength = end - start + body.byteLength;
  poolOffset = start + ((byteLength + 7) & ~7);
  return new Uint8Array(pool, start, byteLength);
}

/**
 * Whether the head at `poolBytes[start, end)` is safe as written: no control character but
 * HTAB and the `lines` CRLFs the serializer wrote (so no value or phrase holds CR or LF), no
 * DEL, and no 0xEF lead byte (a lone surrogate is encoded as U+FFFD, EF BF BD). Anything else,
 * a control in a quoted-pair included, goes to the careful path, which decides by the grammar.
 * Four bytes at a time: a word with no byte below 0x20 or above 0x7E is skipped whole.
 */
function isPlainHead(start: number, end: number, lines: number): boolean {
  const bytes = poolBytes;
  const words = poolWords;
  // CR and LF seen; a value holding either makes more than the `lines` the serializer wrote
  let cr = 0;
  let lf = 0;
  const wordsEnd = (start + ((end - start) & ~3)) >>> 2;
  let w = start >>> 2;
  for (;;) {
    // Has a byte below 0x20 | has a byte above 0x7E: the SWAR tests of four bytes at once
    while (w < wordsEnd) {
      const word = words[w] as number;
      if (((((word - 0x20202020) & ~word) | word | (word + 0x01010101)) & 0x80808080) !== 0) break;
      w++;
    }
    // Byte by byte: the word that failed the test, or the last bytes after the whole words
    const tail = w === wordsEnd;
    const from = w << 2;
    const to = tail ? end : from + 4;
    for (let i = from; i < to; i++) {
      const byte = bytes[i] as number;
      // HTAB may stand anywhere inside a value or a phrase (RFC 3261 §25.1 LWS, TEXT-UTF8)
      if ((byte >= 0x20 && byte !== 0x7f && byte !== 0xef) || byte === 0x09) continue;
      if (byte === 0x0d) cr++;
      else if (byte === 0x0a) lf++;
      else return false;
    }
    if (tail) return cr === lines && lf === lines;
    w++;
  }
}

/** Start line, header lines, Content-Length and the empty line, every part checked. */
function serializeHead(
  message: SipMessage,
  body: Uint8Array,
  options: SerializeOptions | undefined,
): string {
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
  head += `${lengthName}: ${body.byteLength}\r\n\r\n`;
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
