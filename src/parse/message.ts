/**
 * Parsed messages: SipRequest / SipResponse objects over the message's own bytes. Only
 * offsets are stored when a message is parsed; the header list, the start-line strings and
 * the typed views (Via, From, CSeq …) are made on first use and cached.
 */

import {
  type ContentType,
  type CSeq,
  type NameAddr,
  parseContentType,
  parseCSeq,
  parseDecimal,
  parseNameAddr,
  parseOptionTags,
  parseUri,
  parseVia,
  splitHeaderList,
  type Uri,
  type Via,
} from '../message/fields/index.js';
import type { HeaderField, SipRequest, SipResponse } from '../message/types.js';
import { ParseError, parseError } from './errors.js';
import { canonicalNameOf, headerId } from './header-line.js';
import {
  FIELD_END,
  FIELD_INFO,
  FIELD_NAME_END,
  FIELD_START,
  FIELD_STRIDE,
  FIELD_VALUE_END,
  FIELD_VALUE_START,
  FOLDED_FLAG,
  ID_MASK,
  type ParserState,
} from './state.js';
import { byteIndexOf, decodeFolded, decodeText } from './text.js';

const VIA = headerId('Via') + 1;
const FROM = headerId('From') + 1;
const TO = headerId('To') + 1;
const CONTACT = headerId('Contact') + 1;
const ROUTE = headerId('Route') + 1;
const RECORD_ROUTE = headerId('Record-Route') + 1;
const REPLY_TO = headerId('Reply-To') + 1;
const CSEQ = headerId('CSeq') + 1;
const CALL_ID = headerId('Call-ID') + 1;
const MAX_FORWARDS = headerId('Max-Forwards') + 1;
const CONTENT_LENGTH = headerId('Content-Length') + 1;
const CONTENT_TYPE = headerId('Content-Type') + 1;
const EXPIRES = headerId('Expires') + 1;
const REQUIRE = headerId('Require') + 1;
const SUPPORTED = headerId('Supported') + 1;
const UNSUPPORTED = headerId('Unsupported') + 1;
const ALLOW = headerId('Allow') + 1;

/** RFC 3261 §20.22: Max-Forwards is 0–255. */
const MAX_FORWARDS_MAX = 255;
/** RFC 3261 §20.19: Expires is delta-seconds, 0–2^32-1. */
const DELTA_SECONDS_MAX = 4294967295;

/** Where a start line's parts are, relative to the message's first byte. @internal */
export interface StartLineMarks {
  /** Request: the SP after the method. Response: the SP after the version. */
  readonly mark1: number;
  /** Request: the SP before the SIP-Version. Response: unused. */
  readonly mark2: number;
  /** Just past the start line's content. */
  readonly end: number;
  /** Response status code; 0 for a request. */
  readonly status: number;
}

/**
 * What a parsed request and a parsed response share: the bytes, the header fields, and typed
 * accessors computed on first use. Single-valued accessors read the first field of their
 * header (a repeated one is the validator's business). Accessors throw ParseError with
 * absolute stream offsets when a value is malformed.
 */
export abstract class ParsedMessageBase {
  /** Absolute stream offset of the start line's first byte. */
  readonly offset: number;
  /** The message's bytes, start line to end of body: a copy the parser made and owns. */
  readonly raw: Uint8Array;
  /** Body bytes (a view into `raw`); empty when there is none. */
  readonly body: Uint8Array;
  /** FIELD_STRIDE slots per header field, indexes relative to `raw`. */
  readonly #fields: Int32Array;
  #headers: readonly HeaderField[] | undefined;
  #via: readonly Via[] | undefined;
  #from: NameAddr | undefined;
  #to: NameAddr | undefined;
  #contact: readonly NameAddr[] | undefined;
  #route: readonly NameAddr[] | undefined;
  #recordRoute: readonly NameAddr[] | undefined;
  #replyTo: readonly NameAddr[] | undefined;
  #cseq: CSeq | undefined;
  #callId: string | undefined;
  #contentType: ContentType | undefined;

  /** @internal */
  constructor(raw: Uint8Array, offset: number, bodyStart: number, fields: Int32Array) {
    this.raw = raw;
    this.offset = offset;
    this.body = raw.subarray(bodyStart);
    this.#fields = fields;
  }

  /**
   * The header fields in order: canonical names for headers of the table (`v` → `Via`),
   * others as received; values unfolded and trimmed (RFC 3261 §7.3.1).
   */
  get headers(): readonly HeaderField[] {
    if (this.#headers === undefined) {
      const headers: HeaderField[] = [];
      for (let k = 0; k < this.#fields.length; k += FIELD_STRIDE) {
        headers.push({ name: this.#nameAt(k), value: this.#valueAt(k) });
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /**
   * The exact bytes of one header field, from its name to the end of its last line
   * (folded lines and their CRLFs included, the final CRLF not).
   * @param index - position in `headers`
   * @returns a view into `raw`, or undefined when out of range
   */
  rawHeader(index: number): Uint8Array | undefined {
    const k = index * FIELD_STRIDE;
    if (!Number.isInteger(index) || index < 0 || k >= this.#fields.length) return undefined;
    return this.raw.subarray(this.#fields[k + FIELD_START], this.#fields[k + FIELD_END]);
  }

  /**
   * Absolute stream offset of one header field's first byte.
   * @param index - position in `headers`
   * @returns the offset, or undefined when out of range
   */
  headerOffset(index: number): number | undefined {
    const k = index * FIELD_STRIDE;
    if (!Number.isInteger(index) || index < 0 || k >= this.#fields.length) return undefined;
    return this.offset + (this.#fields[k + FIELD_START] as number);
  }

  /** Every Via value in order, across fields and commas (RFC 3261 §20.42). */
  get via(): readonly Via[] {
    this.#via ??= this.#list(VIA, parseVia);
    return this.#via;
  }

  /** The From value (RFC 3261 §20.20). */
  get from(): NameAddr | undefined {
    this.#from ??= this.#single(FROM, parseNameAddr);
    return this.#from;
  }

  /** The To value (RFC 3261 §20.39). */
  get to(): NameAddr | undefined {
    this.#to ??= this.#single(TO, parseNameAddr);
    return this.#to;
  }

  /** Every Contact value (RFC 3261 §20.10); `Contact: *` gives one wildcard value. */
  get contact(): readonly NameAddr[] {
    this.#contact ??= this.#list(CONTACT, parseNameAddr);
    return this.#contact;
  }

  /** Every Route value in order (RFC 3261 §20.34). */
  get route(): readonly NameAddr[] {
    this.#route ??= this.#list(ROUTE, parseNameAddr);
    return this.#route;
  }

  /** Every Record-Route value in order (RFC 3261 §20.30). */
  get recordRoute(): readonly NameAddr[] {
    this.#recordRoute ??= this.#list(RECORD_ROUTE, parseNameAddr);
    return this.#recordRoute;
  }

  /** The Reply-To value(s) (RFC 3261 §20.31). */
  get replyTo(): readonly NameAddr[] {
    this.#replyTo ??= this.#list(REPLY_TO, parseNameAddr);
    return this.#replyTo;
  }

  /** The CSeq number (below 2^31, RFC 3261 §8.1.1.5) and method. */
  get cseq(): CSeq | undefined {
    this.#cseq ??= this.#single(CSEQ, parseCSeq);
    return this.#cseq;
  }

  /** The Call-ID value as received (RFC 3261 §20.8). */
  get callId(): string | undefined {
    if (this.#callId === undefined) {
      const k = this.#find(CALL_ID);
      if (k !== -1) this.#callId = this.#valueAt(k);
    }
    return this.#callId;
  }

  /** Max-Forwards, 0–255 (RFC 3261 §20.22). */
  get maxForwards(): number | undefined {
    return this.#single(MAX_FORWARDS, (value) =>
      parseDecimal(value, MAX_FORWARDS_MAX, 'Max-Forwards'),
    );
  }

  /** Content-Length as written in the first such field (RFC 3261 §20.14). */
  get contentLength(): number | undefined {
    return this.#single(CONTENT_LENGTH, (value) =>
      parseDecimal(value, Number.MAX_SAFE_INTEGER, 'Content-Length'),
    );
  }

  /** Content-Type, type and subtype lower-cased (RFC 3261 §20.15). */
  get contentType(): ContentType | undefined {
    this.#contentType ??= this.#single(CONTENT_TYPE, parseContentType);
    return this.#contentType;
  }

  /** Expires in seconds, 0–2^32-1 (RFC 3261 §20.19). */
  get expires(): number | undefined {
    return this.#single(EXPIRES, (value) => parseDecimal(value, DELTA_SECONDS_MAX, 'Expires'));
  }

  /** Require option tags, across fields (RFC 3261 §20.32). */
  get require(): readonly string[] {
    return this.#tags(REQUIRE);
  }

  /** Supported option tags, across fields (RFC 3261 §20.37). */
  get supported(): readonly string[] {
    return this.#tags(SUPPORTED);
  }

  /** Unsupported option tags, across fields (RFC 3261 §20.40). */
  get unsupported(): readonly string[] {
    return this.#tags(UNSUPPORTED);
  }

  /** Allowed methods, across fields (RFC 3261 §20.5). */
  get allow(): readonly string[] {
    return this.#tags(ALLOW);
  }

  #nameAt(k: number): string {
    const id = (this.#fields[k + FIELD_INFO] as number) & ID_MASK;
    if (id !== 0) return canonicalNameOf(id - 1);
    return decodeText(
      this.raw,
      this.#fields[k + FIELD_START] as number,
      this.#fields[k + FIELD_NAME_END] as number,
    );
  }

  #valueAt(k: number): string {
    const start = this.#fields[k + FIELD_VALUE_START] as number;
    const end = this.#fields[k + FIELD_VALUE_END] as number;
    if (((this.#fields[k + FIELD_INFO] as number) & FOLDED_FLAG) === 0) {
      return decodeText(this.raw, start, end);
    }
    return decodeFolded(this.raw, start, end);
  }

  /** Slot index of the first field with header id + 1 `id`, or -1. */
  #find(id: number): number {
    const fields = this.#fields;
    for (let k = 0; k < fields.length; k += FIELD_STRIDE) {
      if (((fields[k + FIELD_INFO] as number) & ID_MASK) === id) return k;
    }
    return -1;
  }

  #single<T>(id: number, parse: (value: string) => T): T | undefined {
    const k = this.#find(id);
    if (k === -1) return undefined;
    const value = this.#valueAt(k);
    try {
      return parse(value);
    } catch (error) {
      throw this.#relocate(error, k, 0);
    }
  }

  #list<T>(id: number, parse: (value: string) => T): readonly T[] {
    const fields = this.#fields;
    const out: T[] = [];
    for (let k = 0; k < fields.length; k += FIELD_STRIDE) {
      if (((fields[k + FIELD_INFO] as number) & ID_MASK) !== id) continue;
      const value = this.#valueAt(k);
      let elements: string[];
      try {
        elements = splitHeaderList(value);
      } catch (error) {
        throw this.#relocate(error, k, 0);
      }
      let cursor = 0;
      for (const element of elements) {
        // Elements come in order and are trimmed, so the next occurrence is this element.
        const at = value.indexOf(element, cursor);
        cursor = at + element.length;
        try {
          out.push(parse(element));
        } catch (error) {
          throw this.#relocate(error, k, at);
        }
      }
    }
    return out;
  }

  #tags(id: number): readonly string[] {
    const fields = this.#fields;
    const out: string[] = [];
    for (let k = 0; k < fields.length; k += FIELD_STRIDE) {
      if (((fields[k + FIELD_INFO] as number) & ID_MASK) !== id) continue;
      try {
        for (const tag of parseOptionTags(this.#valueAt(k))) out.push(tag);
      } catch (error) {
        throw this.#relocate(error, k, 0);
      }
    }
    return out;
  }

  /** Turns a field parser's ParseError (offset inside a string) into one with a stream offset. */
  #relocate(error: unknown, k: number, base: number): unknown {
    if (!(error instanceof ParseError)) return error;
    const start = this.#fields[k + FIELD_VALUE_START] as number;
    const end = this.#fields[k + FIELD_VALUE_END] as number;
    const index = byteIndexOf(this.raw, start, end, base + error.offset);
    const offset = this.offset + index;
    return new ParseError(
      error.code,
      offset,
      `${error.message} (${this.#nameAt(k)} value at byte ${this.offset + start}; error at byte ${offset})`,
      { cause: error },
    );
  }
}

/** A request parsed from bytes: a SipRequest plus raw bytes and typed accessors. */
export class ParsedRequest extends ParsedMessageBase implements SipRequest {
  /** Always `request`. */
  readonly type: 'request' = 'request';
  readonly #marks: StartLineMarks;
  #method: string | undefined;
  #uri: string | undefined;
  #requestUri: Uri | undefined;

  /** @internal */
  constructor(
    raw: Uint8Array,
    offset: number,
    bodyStart: number,
    fields: Int32Array,
    marks: StartLineMarks,
  ) {
    super(raw, offset, bodyStart, fields);
    this.#marks = marks;
  }

  /** Method token, case-sensitive (RFC 3261 §7.1). */
  get method(): string {
    this.#method ??= decodeText(this.raw, 0, this.#marks.mark1);
    return this.#method;
  }

  /** Request-URI exactly as on the Request-Line. */
  get uri(): string {
    this.#uri ??= decodeText(this.raw, this.#marks.mark1 + 1, this.#marks.mark2);
    return this.#uri;
  }

  /** SIP-Version as received, e.g. `SIP/2.0`; others parse so a server can answer 505. */
  get version(): string {
    return decodeText(this.raw, this.#marks.mark2 + 1, this.#marks.end);
  }

  /**
   * The Request-URI parsed: SIP/SIPS parts, or an opaque URI of another scheme.
   * @throws ParseError INVALID_URI, INVALID_PARAMETER; INVALID_REQUEST_URI for a SIP URI with
   *   ?headers, which RFC 3261 §19.1.1 forbids in a Request-URI
   */
  get requestUri(): Uri {
    if (this.#requestUri === undefined) {
      let uri: Uri;
      try {
        uri = parseUri(this.uri);
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        const offset = this.offset + this.#marks.mark1 + 1 + error.offset;
        throw new ParseError(
          error.code,
          offset,
          `${error.message} (Request-URI at byte ${this.offset + this.#marks.mark1 + 1}; error at byte ${offset})`,
          { cause: error },
        );
      }
      if (uri.kind === 'sip' && uri.headers.size > 0) {
        // RFC 3261 §19.1.1 Table 1: headers are not allowed in a Request-URI (RFC 4475 escruri).
        throw parseError(
          'INVALID_REQUEST_URI',
          this.offset + this.#marks.mark1 + 1 + this.uri.indexOf('?'),
          'Invalid Request-URI',
          'a Request-URI may not carry ?headers (RFC 3261 §19.1.1); answer 400',
        );
      }
      this.#requestUri = uri;
    }
    return this.#requestUri;
  }
}

/** A response parsed from bytes: a SipResponse plus raw bytes and typed accessors. */
export class ParsedResponse extends ParsedMessageBase implements SipResponse {
  /** Always `response`. */
  readonly type: 'response' = 'response';
  /** Three-digit status code, 100–699. */
  readonly status: number;
  readonly #marks: StartLineMarks;

  /** @internal */
  constructor(
    raw: Uint8Array,
    offset: number,
    bodyStart: number,
    fields: Int32Array,
    marks: StartLineMarks,
  ) {
    super(raw, offset, bodyStart, fields);
    this.status = marks.status;
    this.#marks = marks;
  }

  /** SIP-Version as received, e.g. `SIP/2.0`. */
  get version(): string {
    return decodeText(this.raw, 0, this.#marks.mark1);
  }

  /** Reason-Phrase decoded as UTF-8 (escapes kept as written); possibly empty. */
  get reason(): string {
    return decodeText(this.raw, this.#marks.mark1 + 5, this.#marks.end);
  }
}

/** A message the parser produced. */
export type ParsedMessage = ParsedRequest | ParsedResponse;

/**
 * Makes the message object for the header section just scanned into `state`.
 * @param raw - the message's bytes (owned): header section, then the body
 * @internal
 */
export function messageFromState(state: ParserState, raw: Uint8Array): ParsedMessage {
  const fields = state.fields.slice(0, state.fieldCount * FIELD_STRIDE);
  const marks: StartLineMarks = {
    mark1: state.startMark1,
    mark2: state.startMark2,
    end: state.startLineEnd,
    status: state.status,
  };
  return state.isResponse
    ? new ParsedResponse(raw, state.messageOffset, state.headerByteLength, fields, marks)
    : new ParsedRequest(raw, state.messageOffset, state.headerByteLength, fields, marks);
}
