import type { ParseError } from './errors.js';
import { BARE_CR, BARE_LF, LENIENCIES } from './leniency.js';
import type { ParserLimits } from './limits.js';

/**
 * What the stream parser is waiting for:
 * - `startLine`: between messages; CRLF keep-alives are consumed here, any other byte starts
 *   a message.
 * - `headers`: inside a header section (start line included), waiting for its empty line.
 * - `body`: the header section is complete; waiting for Content-Length body bytes.
 * - `failed`: a ParseError happened; every call rethrows it until reset().
 */
export type Phase = 'startLine' | 'headers' | 'body' | 'failed';

/** Which RFC 5626 §3.5.1 keep-alive a CRLF between messages completes. */
export type KeepAliveKind = 'ping' | 'pong';

/** Reports a keep-alive CRLF: `kind` as defined on ParserOptions, `offset` of its CR. */
export type KeepAliveListener = (kind: KeepAliveKind, offset: number) => void;

/** Values stored per header field in `ParserState.fields` (and in a parsed message). */
export const FIELD_STRIDE = 6;
/** Field slot: index of the field's first byte (its name), relative to the message start. */
export const FIELD_START = 0;
/** Field slot: index just past the name. */
export const FIELD_NAME_END = 1;
/** Field slot: index of the value's first byte (after HCOLON and any folding). */
export const FIELD_VALUE_START = 2;
/** Field slot: index just past the value, trailing whitespace removed. */
export const FIELD_VALUE_END = 3;
/** Field slot: index just past the field's last line, its CRLF excluded. */
export const FIELD_END = 4;
/**
 * Field slot: header-table id + 1 (0 for a name the table does not know, UNRESOLVED when not
 * looked up yet), plus FOLDED_FLAG.
 */
export const FIELD_INFO = 5;
/** Set in FIELD_INFO when the field spans folded continuation lines. */
export const FOLDED_FLAG = 0x10000;
/** Mask of the header id + 1 in FIELD_INFO. */
export const ID_MASK = 0xffff;
/**
 * FIELD_INFO id part of a name not looked up yet: the scanner identifies only Content-Length,
 * which frames the body; a message identifies the others when asked.
 */
export const UNRESOLVED: number = ID_MASK;

/**
 * Everything the parser remembers between calls: reading this declaration tells the whole
 * story. Indexes named `…Index` or described as "relative" count from the first byte of the
 * current message; offsets are absolute stream positions.
 */
export interface ParserState {
  /** Size limits, complete (defaults filled in). Fixed for a stream; set per datagram. */
  limits: ParserLimits;
  /** Leniency: accept a bare LF as a line ending. Fixed for a stream; set per datagram. */
  allowBareLf: boolean;
  /** Leniency: accept a bare CR as a line ending (the BARE_CR bit of `lenient`). */
  allowBareCr: boolean;
  /** Bit set of the leniencies in force (leniency.ts); 0 in the strict profile. */
  lenient: number;
  /**
   * Bit set of the leniencies the current message needed so far, line endings before it
   * included; cleared when a message is made from the state. 0 on the strict path.
   */
  used: number;
  /** Per leniency (table position): absolute offset of its first use, valid where `used` has its bit. */
  readonly offsets: Float64Array;
  /** Per leniency (table position): uses counted, valid where `used` has its bit. */
  readonly counts: Float64Array;
  /** Receives keep-alive CRLFs between messages; undefined to ignore them. */
  readonly onKeepAlive: KeepAliveListener | undefined;

  /** What the parser waits for; `failed` after an error, until reset(). */
  phase: Phase;
  /** The sticky failure, set exactly when phase is `failed`. */
  error: ParseError | undefined;
  /** Absolute offset of the next byte push() will receive: bytes received since start or reset. */
  receivedBytes: number;

  /** Consecutive CRLFs seen since the last message; odd counts are pongs, even ones pings. */
  keepAliveCount: number;
  /** A CR arrived as the last byte between messages; the next byte must be its LF. */
  pendingCr: boolean;

  /** Absolute offset of the current message's first start-line byte (phases headers, body). */
  messageOffset: number;
  /** Relative index of the first byte of the line being scanned (not yet complete). */
  lineStart: number;
  /** Relative index where the LF search resumes: bytes before it hold no LF (>= lineStart). */
  scanFrom: number;
  /** Whether the start line is complete and valid; false while it is still being received. */
  startLineDone: boolean;

  /** True for a Status-Line, false for a Request-Line. */
  isResponse: boolean;
  /** Relative index just past the start line's content (its CRLF excluded). */
  startLineEnd: number;
  /** Request: index of the SP after the method. Response: index of the SP after the version. */
  startMark1: number;
  /** Request: index of the SP before the SIP-Version. Response: unused (0). */
  startMark2: number;
  /** Request: index of the Request-URI's first byte (startMark1 + 1 unless SP is doubled). */
  uriStart: number;
  /** Request: index of the SIP-Version's first byte (startMark2 + 1 unless SP is doubled). */
  versionStart: number;
  /** Response: the status code, 100–699. Request: 0. */
  status: number;

  /** Field table of the current message, FIELD_STRIDE slots per field; grows on demand. */
  fields: Int32Array;
  /** Number of complete or in-progress fields in `fields`. */
  fieldCount: number;
  /** Number of Content-Length fields seen in the current message. */
  contentLengthCount: number;

  /** Header-section bytes of the current message when it spans chunks (owned copy). */
  buffer: Uint8Array;
  /** Bytes of `buffer` in use, from the message's first byte; 0 when nothing is buffered. */
  bufferLength: number;

  /** The message being received in phase `body`: header section plus body, owned copy. */
  raw: Uint8Array | undefined;
  /** Bytes of `raw` filled so far (phase body). */
  rawFilled: number;
  /**
   * Byte length the current message will have: header section plus Content-Length (phase
   * body). `raw` grows towards it as body bytes arrive, never ahead of them by more than
   * INITIAL_BODY_BYTES or a doubling, so an announced but unsent body costs no memory.
   */
  rawTotal: number;
  /** Byte length of the current message's header section (its empty line included). */
  headerByteLength: number;
  /**
   * The fast path met a byte ≥ 0x80 in the current header section: a hint for making strings,
   * not a fact (lines the general path reads are not looked at).
   */
  highBytes: boolean;

  /** Work counter: bytes scanned, plus bytes moved when `buffer` grows; for linear-time tests. */
  steps: number;
}

/**
 * A fresh state in phase `startLine` at offset 0.
 * @param limits - complete limits
 * @param allowBareLf - the bare-LF leniency
 * @param onKeepAlive - the keep-alive listener, if any
 * @param lenient - every leniency in force as a bit set; defaults to `allowBareLf` alone
 * @returns the state
 * @internal
 */
export function createState(
  limits: ParserLimits,
  allowBareLf: boolean,
  onKeepAlive: KeepAliveListener | undefined,
  lenient: number = allowBareLf ? BARE_LF : 0,
): ParserState {
  return {
    limits,
    allowBareLf: (lenient & BARE_LF) !== 0,
    allowBareCr: (lenient & BARE_CR) !== 0,
    lenient,
    used: 0,
    offsets: new Float64Array(LENIENCIES.length),
    counts: new Float64Array(LENIENCIES.length),
    onKeepAlive,
    phase: 'startLine',
    error: undefined,
    receivedBytes: 0,
    keepAliveCount: 0,
    pendingCr: false,
    messageOffset: 0,
    lineStart: 0,
    scanFrom: 0,
    startLineDone: false,
    isResponse: false,
    startLineEnd: 0,
    startMark1: 0,
    startMark2: 0,
    uriStart: 0,
    versionStart: 0,
    status: 0,
    fields: new Int32Array(16 * FIELD_STRIDE),
    fieldCount: 0,
    contentLengthCount: 0,
    buffer: new Uint8Array(0),
    bufferLength: 0,
    raw: undefined,
    rawFilled: 0,
    rawTotal: 0,
    headerByteLength: 0,
    highBytes: false,
    steps: 0,
  };
}

/**
 * Prepares the state for a new message starting at absolute `offset`.
 * @internal
 */
export function beginMessage(state: ParserState, offset: number): void {
  state.messageOffset = offset;
  state.lineStart = 0;
  state.scanFrom = 0;
  state.startLineDone = false;
  state.isResponse = false;
  state.startLineEnd = 0;
  state.startMark1 = 0;
  state.startMark2 = 0;
  state.uriStart = 0;
  state.versionStart = 0;
  state.status = 0;
  state.fieldCount = 0;
  state.contentLengthCount = 0;
  state.headerByteLength = 0;
  state.highBytes = false;
  state.keepAliveCount = 0;
}
