/**
 * Parsed messages: SipRequest / SipResponse objects over the message's own bytes. Only
 * offsets are stored when a message is parsed; the header list, the start-line strings and
 * the typed views (Via, From, CSeq …) are made on first use and cached.
 */

import { toTagOf } from '../message/dialog.js';
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
import {
  HEADER_IDS,
  IDENTITY,
  type KnownRequestFacts,
  TO_TAG_OF,
} from '../message/request-facts.js';
import type { RequestIdentity } from '../message/to-tag.js';
import type { HeaderField, SipRequest, SipResponse } from '../message/types.js';
import { ParseError } from './errors.js';
import * as headerLine from './header-line.js';
import { type Leniency, leniencyList } from './leniency.js';
import * as pool from './pool.js';
import * as quickReads from './quick-reads.js';
import type { ParserState } from './state.js';
import * as stateLayout from './state.js';
import * as text from './text.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { canonicalNameOf, headerId, isHeaderName, lookupHeaderId } = headerLine;
const { takeInts } = pool;
const { genValueEnd, NOT_PRESENT, nameAddrTagIndex, readCSeq, tokenValueEnd, viaBranchIndex } =
  quickReads;
const {
  FIELD_END,
  FIELD_INFO,
  FIELD_NAME_END,
  FIELD_START,
  FIELD_STRIDE,
  FIELD_VALUE_END,
  FIELD_VALUE_START,
  FOLDED_FLAG,
  ID_MASK,
  UNRESOLVED,
} = stateLayout;
const { byteIndexOf, decodeFolded, decodeText, internText } = text;

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

/** A From or To tag read and found absent. */
const NO_TAG = false;

/** RFC 3261 §20.22: Max-Forwards is 0–255. */
const MAX_FORWARDS_MAX = 255;
/** RFC 3261 §20.19: Expires is delta-seconds, 0–2^32-1. */
const DELTA_SECONDS_MAX = 4294967295;

/**
 * What a parsed request and a parsed response share: the bytes, the header fields, and typed
 * accessors computed on first use. Single-valued accessors read the first field of their
 * header (a repeated one is the validator's business). Accessors throw ParseError with
 * absolute stream offsets when a value is malformed.
 */
export abstract class ParsedMessageBase {
  /** Absolute stream offset of the start line's first byte. */
  readonly offset: number;
  /**
   * The message's bytes, start line to end of body: a copy the parser made and owns. Small
   * messages share one pooled ArrayBuffer (as Node's Buffer pool does), so `raw.buffer` may hold
   * other messages' bytes and keeps them alive: keep `raw.slice()` to hold the bytes alone.
   */
  readonly raw: Uint8Array;
  /** Body bytes (a view into `raw`, pooled likewise); empty when there is none. */
  readonly body: Uint8Array;
  /**
   * The leniencies the parser needed to read this message (options `profile: 'interop'`,
   * `allowBareLf` …), in table order, each with the offset of its first use and a count; line
   * endings skipped before the start line count for the message that follows them. Empty for
   * a message that is strict RFC 3261 syntax, which is always the case in the strict profile.
   */
  readonly leniencies: readonly Leniency[];
  /** FIELD_STRIDE slots per header field, indexes relative to `raw`. */
  readonly #fields: Int32Array;
  /** The scanner saw a byte ≥ 0x80 in the header section (a hint: see ParserState.highBytes). */
  readonly #highBytes: boolean;
  #headers: readonly HeaderField[] | undefined;
  #via: readonly Via[] | undefined;
  #topVia: Via | undefined;
  #branch: string | undefined;
  #from: NameAddr | undefined;
  /** The tags once read: NO_TAG when there is none, so a request outside a dialog is read once. */
  #fromTag: string | typeof NO_TAG | undefined;
  #toTag: string | typeof NO_TAG | undefined;
  #to: NameAddr | undefined;
  #contact: readonly NameAddr[] | undefined;
  #route: readonly NameAddr[] | undefined;
  #recordRoute: readonly NameAddr[] | undefined;
  #replyTo: readonly NameAddr[] | undefined;
  #cseq: CSeq | undefined;
  #callId: string | undefined;
  #contentType: ContentType | undefined;
  /** The header ids of the fields (see #headerIds), and the names they were read for. */
  #ids: { readonly ids: readonly number[]; readonly names: readonly string[] } | undefined;
  /** The identity the To tag is derived from (message/to-tag.ts), once read. */
  #identityRead: RequestIdentity | undefined;
  /** The last To value buildResponse asked about, and its tag. */
  #toTagOf:
    | { readonly value: string; readonly tag: { readonly tag: string | undefined } | undefined }
    | undefined;

  /** @internal */
  constructor(
    raw: Uint8Array,
    offset: number,
    bodyStart: number,
    fields: Int32Array,
    highBytes: boolean,
    leniencies: readonly Leniency[],
  ) {
    this.raw = raw;
    this.offset = offset;
    this.leniencies = leniencies;
    // A constructor call is cheaper than subarray(), which looks up a species constructor.
    this.body = new Uint8Array(raw.buffer, raw.byteOffset + bodyStart, raw.length - bodyStart);
    this.#fields = fields;
    this.#highBytes = highBytes;
  }

  /**
   * The header fields in order: canonical names for headers of the table (`v` → `Via`),
   * others as received; values unfolded and trimmed (RFC 3261 §7.3.1).
   */
  get headers(): readonly HeaderField[] {
    if (this.#headers === undefined) {
      const fields = this.#fields;
      // One decoder call for the whole header section, then a slice per value, when bytes and
      // characters line up one to one: the text is as long as the bytes (no multi-byte UTF-8
      // sequence; an odd byte is one U+FFFD). The scanner's hint skips the try when it saw
      // bytes ≥ 0x80. Folded values still need their folds replaced.
      const sectionEnd = this.raw.length - this.body.length;
      const text = this.#highBytes ? '' : decodeText(this.raw, 0, sectionEnd);
      const aligned = text.length === sectionEnd;
      const headers: HeaderField[] = [];
      for (let k = 0; k < fields.length; k += FIELD_STRIDE) {
        const value =
          aligned && ((fields[k + FIELD_INFO] as number) & FOLDED_FLAG) === 0
            ? text.slice(fields[k + FIELD_VALUE_START], fields[k + FIELD_VALUE_END])
            : this.#valueAt(k);
        headers.push({ name: this.#nameAt(k), value });
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
    this.#via ??= this.#list(VIA, parseVia, Number.POSITIVE_INFINITY);
    return this.#via;
  }

  /**
   * The topmost Via value, `via[0]`, parsed and checked alone: the Via fields below it are not
   * read (RFC 3261 §8.2.6.2, §18.2.1 need only this one).
   */
  get topVia(): Via | undefined {
    if (this.#topVia === undefined) {
      this.#topVia = this.#via === undefined ? this.#list(VIA, parseVia, 1)[0] : this.#via[0];
    }
    return this.#topVia;
  }

  /**
   * The `branch` parameter of the topmost Via value: the key of the transaction the message
   * belongs to (RFC 3261 §17.1.3, §17.2.3). Cheaper than `topVia.branch`: only the parameters
   * are read, so a malformed sent-by or another parameter's malformed value goes unnoticed
   * here (read `topVia` to check the whole value). The branch itself must be a token.
   * @throws ParseError as `topVia`, when the parameters cannot be read
   */
  get branch(): string | undefined {
    if (this.#branch === undefined) {
      const k = this.#find(VIA);
      if (k === -1) return undefined;
      const fields = this.#fields;
      const end = fields[k + FIELD_VALUE_END] as number;
      const at = viaBranchIndex(this.raw, fields[k + FIELD_VALUE_START] as number, end);
      if (at === NOT_PRESENT) return undefined;
      // RFC 3261 §25.1: via-branch = "branch" EQUAL token; other values go to the full grammar.
      const stop = at < 0 ? at : tokenValueEnd(this.raw, at, end);
      this.#branch = stop < 0 ? this.topVia?.branch : decodeText(this.raw, at, stop);
    }
    return this.#branch;
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

  /**
   * The From `tag` (RFC 3261 §19.3), one third of the dialog ID. Cheaper than `from.tag`: the
   * display name and the URI are skipped, not checked (read `from` to check them).
   * @throws ParseError as `from`, when the parameters cannot be read
   */
  get fromTag(): string | undefined {
    this.#fromTag ??= this.#tag(FROM) ?? NO_TAG;
    return this.#fromTag === NO_TAG ? undefined : this.#fromTag;
  }

  /**
   * The To `tag` (RFC 3261 §19.3): absent on a request outside a dialog. Cheaper than
   * `to.tag`: the display name and the URI are skipped, not checked (read `to` to check them).
   * @throws ParseError as `to`, when the parameters cannot be read
   */
  get toTag(): string | undefined {
    this.#toTag ??= this.#tag(TO) ?? NO_TAG;
    return this.#toTag === NO_TAG ? undefined : this.#toTag;
  }

  /** Every Contact value (RFC 3261 §20.10); `Contact: *` gives one wildcard value. */
  get contact(): readonly NameAddr[] {
    this.#contact ??= this.#list(CONTACT, parseNameAddr, Number.POSITIVE_INFINITY);
    return this.#contact;
  }

  /** Every Route value in order (RFC 3261 §20.34). */
  get route(): readonly NameAddr[] {
    this.#route ??= this.#list(ROUTE, parseNameAddr, Number.POSITIVE_INFINITY);
    return this.#route;
  }

  /** Every Record-Route value in order (RFC 3261 §20.30). */
  get recordRoute(): readonly NameAddr[] {
    this.#recordRoute ??= this.#list(RECORD_ROUTE, parseNameAddr, Number.POSITIVE_INFINITY);
    return this.#recordRoute;
  }

  /** The Reply-To value(s) (RFC 3261 §20.31). */
  get replyTo(): readonly NameAddr[] {
    this.#replyTo ??= this.#list(REPLY_TO, parseNameAddr, Number.POSITIVE_INFINITY);
    return this.#replyTo;
  }

  /** The CSeq number (below 2^31, RFC 3261 §8.1.1.5) and method. */
  get cseq(): CSeq | undefined {
    if (this.#cseq === undefined) {
      const k = this.#find(CSEQ);
      if (k === -1) return undefined;
      const fields = this.#fields;
      this.#cseq =
        readCSeq(
          this.raw,
          fields[k + FIELD_VALUE_START] as number,
          fields[k + FIELD_VALUE_END] as number,
        ) ?? this.#single(CSEQ, parseCSeq);
    }
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

  static {
    // src/message's internal protocol (request-facts.ts). Added here, not declared as members:
    // a declaration file cannot be emitted for symbol-keyed members under isolatedDeclarations,
    // and they are no part of the public type
    const facts = ParsedMessageBase.prototype as unknown as KnownRequestFacts;
    facts[HEADER_IDS] = function (this: ParsedMessageBase, headers: readonly HeaderField[]) {
      return this.#headerIds(headers);
    };
    facts[TO_TAG_OF] = function (this: ParsedMessageBase, value: string) {
      return this.#toTagOfValue(value);
    };
    facts[IDENTITY] = function (this: ParsedMessageBase) {
      return this.#identity();
    };
  }

  /**
   * The request's identity for its To tag (message/to-tag.ts), read as `readIdentity` reads a
   * plain request's fields, through the cached accessors.
   */
  #identity(): RequestIdentity {
    this.#identityRead ??= this.#readIdentity();
    return this.#identityRead;
  }

  #readIdentity(): RequestIdentity {
    let fromTag = '';
    let fromReadable = true;
    try {
      const from = this.from;
      if (from !== undefined) {
        fromReadable = !from.wildcard;
        fromTag = from.wildcard ? this.#valueAt(this.#find(FROM)) : (from.tag ?? '');
      }
    } catch {
      fromReadable = false;
      fromTag = this.#valueAt(this.#find(FROM));
    }
    let branch: string;
    try {
      branch = this.topVia?.branch ?? '';
    } catch {
      const k = this.#find(VIA);
      branch = k === -1 ? '' : this.#valueAt(k);
    }
    let cseq: string;
    try {
      const parsed = this.cseq;
      cseq = parsed === undefined ? '' : String(parsed.seq);
    } catch {
      const k = this.#find(CSEQ);
      cseq = k === -1 ? '' : this.#valueAt(k);
    }
    return { branch, fromTag, fromReadable, callId: this.callId ?? '', cseq };
  }

  /**
   * `headerIds(headers)` of src/message, from the field table: both count rows of
   * HEADER_DEFINITIONS, the table keeps the id + 1, and -1 stands for an unknown name. Only
   * while `headers` holds the names this message made: a name a caller changed gets undefined.
   */
  #headerIds(headers: readonly HeaderField[]): readonly number[] | undefined {
    if (this.#ids === undefined) {
      const ids: number[] = [];
      const names: string[] = [];
      for (let k = 0; k < this.#fields.length; k += FIELD_STRIDE) {
        ids.push(this.#idAt(k) - 1);
        names.push(this.#nameAt(k));
      }
      this.#ids = { ids, names };
    }
    // The same strings as in `headers` unless changed: most comparisons are pointer checks
    const names = this.#ids.names;
    if (headers.length !== names.length) return undefined;
    for (let i = 0; i < names.length; i++) {
      if ((headers[i] as HeaderField).name !== names[i]) return undefined;
    }
    return this.#ids.ids;
  }

  /**
   * `toTagOf(value)`, kept for the next call with the same value: buildResponse asks about
   * the To of a request once per response, and a request may get several (RFC 3261 §8.2.6).
   */
  #toTagOfValue(value: string): { readonly tag: string | undefined } | undefined {
    let known = this.#toTagOf;
    if (known === undefined || known.value !== value) {
      known = { value, tag: toTagOf(value) };
      this.#toTagOf = known;
    }
    return known.tag;
  }

  /** The header id + 1 of field slot `k` (0 for a name the table does not know). */
  #idAt(k: number): number {
    const fields = this.#fields;
    let id = (fields[k + FIELD_INFO] as number) & ID_MASK;
    if (id === UNRESOLVED) {
      id =
        lookupHeaderId(
          this.raw,
          fields[k + FIELD_START] as number,
          fields[k + FIELD_NAME_END] as number,
        ) + 1;
      fields[k + FIELD_INFO] = ((fields[k + FIELD_INFO] as number) & ~ID_MASK) | id;
    }
    return id;
  }

  #nameAt(k: number): string {
    const id = this.#idAt(k);
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

  /**
   * Whether field slot `k` is a field of the header with id + 1 `id`. A name the scanner left
   * unresolved is compared with that header's names only, and marked when it matches.
   */
  #is(k: number, id: number): boolean {
    const fields = this.#fields;
    const info = fields[k + FIELD_INFO] as number;
    const got = info & ID_MASK;
    if (got !== UNRESOLVED) return got === id;
    const start = fields[k + FIELD_START] as number;
    if (!isHeaderName(this.raw, start, fields[k + FIELD_NAME_END] as number, id - 1)) return false;
    fields[k + FIELD_INFO] = (info & ~ID_MASK) | id;
    return true;
  }

  /** Slot index of the first field with header id + 1 `id`, or -1. */
  #find(id: number): number {
    const length = this.#fields.length;
    for (let k = 0; k < length; k += FIELD_STRIDE) if (this.#is(k, id)) return k;
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

  /** The tag of the first field with header id + 1 `id`: the quick read, else the full grammar. */
  #tag(id: number): string | undefined {
    const k = this.#find(id);
    if (k === -1) return undefined;
    const fields = this.#fields;
    const end = fields[k + FIELD_VALUE_END] as number;
    const at = nameAddrTagIndex(this.raw, fields[k + FIELD_VALUE_START] as number, end);
    if (at >= 0) return decodeText(this.raw, at, genValueEnd(this.raw, at, end));
    if (at === NOT_PRESENT) return undefined;
    const value = id === TO ? this.to : this.from;
    return value?.wildcard === false ? value.tag : undefined;
  }

  /** The values of every field with header id + 1 `id`, split on commas: the first `limit`. */
  #list<T>(id: number, parse: (value: string) => T, limit: number): readonly T[] {
    const fields = this.#fields;
    const out: T[] = [];
    for (let k = 0; k < fields.length && out.length < limit; k += FIELD_STRIDE) {
      if (!this.#is(k, id)) continue;
      const value = this.#valueAt(k);
      let elements: string[];
      try {
        elements = splitHeaderList(value);
      } catch (error) {
        throw this.#relocate(error, k, 0);
      }
      let cursor = 0;
      for (const element of elements) {
        if (out.length === limit) break;
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
      if (!this.#is(k, id)) continue;
      try {
        for (const tag of parseOptionTags(this.#valueAt(k))) out.push(tag);
      } catch (error) {
        throw this.#relocate(error, k, 0);
      }
    }
    return out;
  }

  /**
   * Turns a field parser's ParseError (a position inside the string it was given, which starts
   * at character `base` of the value) into one with a stream offset and the value index.
   */
  #relocate(error: unknown, k: number, base: number): unknown {
    if (!(error instanceof ParseError)) return error;
    const start = this.#fields[k + FIELD_VALUE_START] as number;
    const end = this.#fields[k + FIELD_VALUE_END] as number;
    const valueIndex = base + (error.valueIndex ?? 0);
    const offset = this.offset + byteIndexOf(this.raw, start, end, valueIndex);
    return new ParseError(
      error.code,
      offset,
      `${error.message} (${this.#nameAt(k)} value at byte ${this.offset + start}; error at byte ${offset})`,
      { cause: error, valueIndex },
    );
  }
}

/** A request parsed from bytes: a SipRequest plus raw bytes and typed accessors. */
export class ParsedRequest extends ParsedMessageBase implements SipRequest {
  /** Always `request`. */
  readonly type: 'request' = 'request';
  /** Index of the SP after the method. */
  readonly #methodEnd: number;
  /** Index of the Request-URI's first byte. */
  readonly #uriStart: number;
  /** Index just past the Request-URI. */
  readonly #uriEnd: number;
  /** Index of the SIP-Version's first byte. */
  readonly #versionStart: number;
  /** Index just past the Request-Line's content. */
  readonly #lineEnd: number;
  #method: string | undefined;
  #uri: string | undefined;
  #requestUri: Uri | undefined;

  /** @internal */
  constructor(
    raw: Uint8Array,
    offset: number,
    bodyStart: number,
    fields: Int32Array,
    highBytes: boolean,
    leniencies: readonly Leniency[],
    methodEnd: number,
    uriStart: number,
    uriEnd: number,
    versionStart: number,
    lineEnd: number,
  ) {
    super(raw, offset, bodyStart, fields, highBytes, leniencies);
    this.#methodEnd = methodEnd;
    this.#uriStart = uriStart;
    this.#uriEnd = uriEnd;
    this.#versionStart = versionStart;
    this.#lineEnd = lineEnd;
  }

  /** Method token, case-sensitive (RFC 3261 §7.1). */
  get method(): string {
    this.#method ??= internText(this.raw, 0, this.#methodEnd);
    return this.#method;
  }

  /** Request-URI exactly as on the Request-Line. */
  get uri(): string {
    this.#uri ??= decodeText(this.raw, this.#uriStart, this.#uriEnd);
    return this.#uri;
  }

  /** SIP-Version as received, e.g. `SIP/2.0`; others parse so a server can answer 505. */
  get version(): string {
    return internText(this.raw, this.#versionStart, this.#lineEnd);
  }

  /**
   * The Request-URI parsed: SIP/SIPS parts, or an opaque URI of another scheme.
   * @throws ParseError INVALID_URI, INVALID_PARAMETER; INVALID_REQUEST_URI for a SIP URI with
   *   ?headers, which RFC 3261 §19.1.1 forbids in a Request-URI
   */
  get requestUri(): Uri {
    if (this.#requestUri === undefined) {
      const uriOffset = this.offset + this.#uriStart;
      let uri: Uri;
      try {
        uri = parseUri(this.uri);
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
        const valueIndex = error.valueIndex ?? 0;
        const offset = this.offset + this.#uriByteIndex(valueIndex);
        throw new ParseError(
          error.code,
          offset,
          `${error.message} (Request-URI at byte ${uriOffset}; error at byte ${offset})`,
          { cause: error, valueIndex },
        );
      }
      if (uri.kind === 'sip' && uri.headers.size > 0) {
        // RFC 3261 §19.1.1 Table 1: headers are not allowed in a Request-URI (RFC 4475 escruri).
        const valueIndex = this.uri.indexOf('?');
        const offset = this.offset + this.#uriByteIndex(valueIndex);
        throw new ParseError(
          'INVALID_REQUEST_URI',
          offset,
          `Invalid Request-URI at byte ${offset}: a Request-URI may not carry ?headers (RFC 3261 §19.1.1); answer 400`,
          { valueIndex },
        );
      }
      this.#requestUri = uri;
    }
    return this.#requestUri;
  }

  /** Index in `raw` of the Request-URI character at `index`. */
  #uriByteIndex(index: number): number {
    return byteIndexOf(this.raw, this.#uriStart, this.#uriEnd, index);
  }
}

/** A response parsed from bytes: a SipResponse plus raw bytes and typed accessors. */
export class ParsedResponse extends ParsedMessageBase implements SipResponse {
  /** Always `response`. */
  readonly type: 'response' = 'response';
  /** Three-digit status code, 100–699. */
  readonly status: number;
  /** Index of the SP after the SIP-Version. */
  readonly #versionEnd: number;
  /** Index just past the Status-Line's content. */
  readonly #lineEnd: number;

  /** @internal */
  constructor(
    raw: Uint8Array,
    offset: number,
    bodyStart: number,
    fields: Int32Array,
    highBytes: boolean,
    leniencies: readonly Leniency[],
    status: number,
    versionEnd: number,
    lineEnd: number,
  ) {
    super(raw, offset, bodyStart, fields, highBytes, leniencies);
    this.status = status;
    this.#versionEnd = versionEnd;
    this.#lineEnd = lineEnd;
  }

  /** SIP-Version as received, e.g. `SIP/2.0`. */
  get version(): string {
    return internText(this.raw, 0, this.#versionEnd);
  }

  /** Reason-Phrase decoded as UTF-8 (escapes kept as written); possibly empty. */
  get reason(): string {
    // The phrase starts after SP, the three digits and SP (absent with allowStatusWithoutReason).
    return internText(this.raw, Math.min(this.#versionEnd + 5, this.#lineEnd), this.#lineEnd);
  }
}

/** A message the parser produced. */
export type ParsedMessage = ParsedRequest | ParsedResponse;

/**
 * Makes the message object for the header section just scanned into `state`, copying its field
 * table into the pool next to other messages' (see pool.ts).
 * @param raw - the message's bytes (owned): header section, then the body
 * @internal
 */
export function messageFromState(state: ParserState, raw: Uint8Array): ParsedMessage {
  const length = state.fieldCount * FIELD_STRIDE;
  const fields = takeInts(length);
  // A native copy; a view made by the constructor is cheaper than subarray().
  const source = state.fields;
  fields.set(new Int32Array(source.buffer, source.byteOffset, length));
  const leniencies = leniencyList(state);
  state.used = 0;
  return state.isResponse
    ? new ParsedResponse(
        raw,
        state.messageOffset,
        state.headerByteLength,
        fields,
        state.highBytes,
        leniencies,
        state.status,
        state.startMark1,
        state.startLineEnd,
      )
    : new ParsedRequest(
        raw,
        state.messageOffset,
        state.headerByteLength,
        fields,
        state.highBytes,
        leniencies,
        state.startMark1,
        state.uriStart,
        state.startMark2,
        state.versionStart,
        state.startLineEnd,
      );
}
