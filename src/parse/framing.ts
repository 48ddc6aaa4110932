/**
 * Framing: the resumable line scanner that finds the end of a header section (checking every
 * line as it completes), the limit checks, and Content-Length (RFC 3261 §18.3, §20.14).
 *
 * Chunking never changes the outcome. Lines are checked only once complete, so content errors
 * are decided at a line's LF. Each limit error is decided at the first byte that makes it
 * certain (its "decision index"); when several are certain, the one with the smallest decision
 * index wins (ties: start line, header line, header section). The same rule runs whether the
 * line arrived whole or one byte at a time, so the same error comes out at the same offset.
 *
 * Complete, well-formed lines take the fast path (fast-path.ts), which records them exactly as
 * the checks here would; every other line, and a line cut by the end of a chunk, comes here.
 */

import * as charset from './charset.js';
import { parseError } from './errors.js';
import * as fastPath from './fast-path.js';
import * as headerLine from './header-line.js';
import * as leniency from './leniency.js';
import * as startLine from './start-line.js';
import type { ParserState } from './state.js';
import * as stateLayout from './state.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { CR, HTAB, LF, SP } = charset;
const { scanCleanLines } = fastPath;
const { CONTENT_LENGTH_ID, continueField, parseFieldLine } = headerLine;
const { parseStartLine } = startLine;
const { BARE_CR, BARE_LF, noteLeniency } = leniency;
const { FIELD_INFO, FIELD_START, FIELD_STRIDE, FIELD_VALUE_END, FIELD_VALUE_START, ID_MASK } =
  stateLayout;

/** A step function's "not enough bytes yet" result. */
export const NEED_MORE = 0;

const START_LINE = 0;
const EMPTY_LINE = 1;
const CONTINUATION_LINE = 2;
const FIELD_LINE = 3;
/** An incomplete line whose kind is not known yet (no byte, or only a CR). */
const UNKNOWN_LINE = 4;

type LineKind =
  | typeof START_LINE
  | typeof EMPTY_LINE
  | typeof CONTINUATION_LINE
  | typeof FIELD_LINE
  | typeof UNKNOWN_LINE;

/**
 * Scans the header section of the message whose first byte is `bytes[base]`, resuming where
 * the previous call stopped (state.lineStart, state.scanFrom): bytes already scanned are never
 * scanned again. Each complete line is checked and recorded at once.
 * @param bytes - holds the message from `base` to its end; `bytes.length` is the end of input
 * @param sectionMayEnd - the input ends for good and may close the header section after a
 *   complete line (datagram `allowUnterminatedHeaders`): the missing empty line then does not
 *   count against maxHeaderSectionBytes
 * @returns the header section's byte length (empty line included), or NEED_MORE
 * @throws ParseError for any syntax error or limit in the header section
 * @internal
 */
export function scanHeaderSection(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  sectionMayEnd = false,
): number {
  const end = bytes.length;
  // The fast path takes whole CRLF lines and stops at any other line ending, so a leniency
  // (bare LF, bare CR) is only ever met here, on the general path, one line at a time.
  for (;;) {
    if (state.scanFrom === state.lineStart && scanCleanLines(state, bytes, base)) {
      return state.lineStart;
    }
    const lineStart = base + state.lineStart;
    let from = base + state.scanFrom;
    let lf: number;
    if (state.allowBareCr) {
      // A CR that was the last byte so far is decided by the byte after it: look again.
      if (from > lineStart && bytes[from - 1] === CR) from--;
      lf = lineEndIndex(bytes, from, end);
    } else lf = bytes.indexOf(LF, from);
    if (lf === -1) {
      state.steps += end - from;
      state.scanFrom = end - base;
      if (!(sectionMayEnd && lineStart === end)) {
        // allowBareCr: a CR last may be the line's end (bare) or the CR of its CRLF; either way
        // it is not content yet, as it is not when the line completes.
        const known = state.allowBareCr && end > lineStart && bytes[end - 1] === CR ? end - 1 : end;
        checkIncompleteLine(state, bytes, base, lineStart, known);
      }
      return NEED_MORE;
    }
    state.steps += lf + 1 - from;
    state.lineStart = lf + 1 - base;
    state.scanFrom = state.lineStart;
    if (completeLine(state, bytes, base, lineStart, lf)) return state.lineStart;
  }
}

/**
 * allowBareCr: index of the first line ending in `bytes[from, end)`, an LF or a bare CR (a CR
 * whose next byte is present and is not LF), or -1. A CR as the last byte is not decided yet.
 */
function lineEndIndex(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const byte = bytes[i];
    if (byte === LF) return i;
    if (byte === CR && i + 1 < end && bytes[i + 1] !== LF) return i;
  }
  return -1;
}

/**
 * Checks and records the complete line `bytes[lineStart, lf]`; true for the closing empty line.
 * `bytes[lf]` is the LF that ends it, or with allowBareCr a bare CR.
 */
function completeLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  lineStart: number,
  lf: number,
): boolean {
  let kind: LineKind;
  if (!state.startLineDone) kind = START_LINE;
  else {
    const first = bytes[lineStart];
    if (lineStart === lf || (first === CR && lineStart + 1 === lf)) kind = EMPTY_LINE;
    else if (first === SP || first === HTAB) kind = CONTINUATION_LINE;
    else kind = FIELD_LINE;
  }
  // A bare CR takes the place of the LF: the line's limits are decided up to it.
  const bareCr = bytes[lf] === CR;
  checkLimits(state, bytes, base, kind, lineStart - base, lf - base);

  let contentEnd = lf;
  if (bareCr) noteLeniency(state, BARE_CR, state.messageOffset + (lf - base));
  else if (lf > lineStart && bytes[lf - 1] === CR) contentEnd = lf - 1;
  else if (!state.allowBareLf) {
    throw parseError(
      'INVALID_LINE_ENDING',
      state.messageOffset + (lf - base),
      'Invalid line ending',
      'expected CRLF, found a bare LF (options.allowBareLf accepts it)',
    );
  } else noteLeniency(state, BARE_LF, state.messageOffset + (lf - base));
  // A CR anywhere but just before the LF is a bare CR: some stacks end lines there, so
  // accepting it would let a peer smuggle a header past them.
  const cr =
    contentEnd === lf ? indexOfBefore(bytes, CR, lineStart, lf) : bytes.indexOf(CR, lineStart);
  if (cr !== -1 && cr < contentEnd) {
    throw parseError(
      'INVALID_LINE_ENDING',
      state.messageOffset + (cr - base),
      'Invalid line ending',
      'a CR must be followed by LF',
      bytes.subarray(lineStart, lf),
    );
  }

  switch (kind) {
    case START_LINE:
      parseStartLine(state, bytes, base, lineStart, contentEnd);
      state.startLineDone = true;
      return false;
    case EMPTY_LINE:
      return true;
    case CONTINUATION_LINE:
      continueField(state, bytes, base, lineStart, contentEnd);
      return false;
    default:
      parseFieldLine(state, bytes, base, lineStart, contentEnd);
      return false;
  }
}

function indexOfBefore(bytes: Uint8Array, byte: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === byte) return i;
  return -1;
}

/** Limit checks for the incomplete line starting at `lineStart` (no LF in `[lineStart, end)`). */
function checkIncompleteLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  lineStart: number,
  end: number,
): void {
  let kind: LineKind;
  if (!state.startLineDone) kind = START_LINE;
  else if (lineStart === end) kind = UNKNOWN_LINE;
  else {
    const first = bytes[lineStart];
    if (first === CR) kind = end - lineStart === 1 ? UNKNOWN_LINE : FIELD_LINE;
    else if (first === SP || first === HTAB) kind = CONTINUATION_LINE;
    else kind = FIELD_LINE;
  }
  checkLimits(state, bytes, base, kind, lineStart - base, end - base);
}

/**
 * Throws the limit error with the smallest decision index below `known`, if any.
 * For a complete line `known` is its LF's index; for an incomplete one, the bytes available.
 * All indexes are relative to the message start.
 */
function checkLimits(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  kind: LineKind,
  lineStart: number,
  known: number,
): void {
  const limits = state.limits;
  let code: 'START_LINE_TOO_LONG' | 'HEADER_LINE_TOO_LONG' | 'HEADER_SECTION_TOO_LARGE' | '' = '';
  let decidedAt = known;
  let offset = 0;
  if (kind === START_LINE) {
    const d = limits.maxStartLineBytes - 1;
    if (d < decidedAt) {
      code = 'START_LINE_TOO_LONG';
      decidedAt = d;
      offset = 0;
    }
  } else if (kind === CONTINUATION_LINE || kind === FIELD_LINE) {
    let fieldStart = lineStart;
    if (kind === CONTINUATION_LINE && state.fieldCount > 0) {
      fieldStart = state.fields[(state.fieldCount - 1) * FIELD_STRIDE + FIELD_START] as number;
    }
    // The line's kind is known at its first byte, or at its second when it starts with CR.
    const kindKnownAt = bytes[base + lineStart] === CR ? lineStart + 1 : lineStart;
    const d = Math.max(kindKnownAt, fieldStart + limits.maxHeaderLineBytes - 1);
    if (d < decidedAt) {
      code = 'HEADER_LINE_TOO_LONG';
      decidedAt = d;
      offset = fieldStart;
    }
  }
  const sectionD = limits.maxHeaderSectionBytes - 1;
  if (sectionD < decidedAt) {
    code = 'HEADER_SECTION_TOO_LARGE';
    offset = 0;
  }
  if (code === '') return;
  const at = state.messageOffset + offset;
  if (code === 'START_LINE_TOO_LONG') {
    throw parseError(
      code,
      at,
      'Start line too long',
      `a start line may take at most ${limits.maxStartLineBytes} bytes with its CRLF; raise limits.maxStartLineBytes if this is legitimate`,
    );
  }
  if (code === 'HEADER_LINE_TOO_LONG') {
    throw parseError(
      code,
      at,
      'Header field too long',
      `a header field may take at most ${limits.maxHeaderLineBytes} bytes with its line endings; raise limits.maxHeaderLineBytes if this is legitimate`,
    );
  }
  throw parseError(
    code,
    at,
    'Header section too large',
    `the start line and header fields may take at most ${limits.maxHeaderSectionBytes} bytes; raise limits.maxHeaderSectionBytes if this is legitimate`,
  );
}

/** No Content-Length field in the message. */
export const NO_CONTENT_LENGTH = -1;
/** Content-Length fields that disagree (datagram mode only; a stream fails instead). */
export const CONFLICTING_CONTENT_LENGTHS = -2;

/**
 * Reads the body length from the Content-Length field(s) of the scanned header section.
 * RFC 3261 §20.14: Content-Length = 1*DIGIT, in octets. Repeated fields with one value are
 * accepted; disagreeing values leave the framing undefined (RFC 4475 §3.3.9 mcl01).
 * @param bytes - holds the message from `base`
 * @param allowConflict - datagram mode: report disagreement instead of failing
 * @returns the length, NO_CONTENT_LENGTH, or CONFLICTING_CONTENT_LENGTHS
 * @throws ParseError INVALID_CONTENT_LENGTH, BODY_TOO_LARGE, CONFLICTING_CONTENT_LENGTH
 * @internal
 */
export function readContentLength(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  allowConflict: boolean,
): number {
  if (state.contentLengthCount === 0) return NO_CONTENT_LENGTH;
  const fields = state.fields;
  let length = NO_CONTENT_LENGTH;
  for (let k = 0; k < state.fieldCount * FIELD_STRIDE; k += FIELD_STRIDE) {
    if (((fields[k + FIELD_INFO] as number) & ID_MASK) !== CONTENT_LENGTH_ID + 1) continue;
    const valueStart = base + (fields[k + FIELD_VALUE_START] as number);
    const value = parseContentLength(
      state,
      bytes,
      base,
      valueStart,
      base + (fields[k + FIELD_VALUE_END] as number),
    );
    if (length === NO_CONTENT_LENGTH) length = value;
    else if (value !== length) {
      if (allowConflict) return CONFLICTING_CONTENT_LENGTHS;
      throw parseError(
        'CONFLICTING_CONTENT_LENGTH',
        state.messageOffset + (valueStart - base),
        'Conflicting Content-Length',
        `this value disagrees with an earlier Content-Length of ${length}, so the body cannot be framed; close the connection`,
        bytes.subarray(valueStart, base + (fields[k + FIELD_VALUE_END] as number)),
      );
    }
  }
  return length;
}

/**
 * Relative index of the first Content-Length field's value, or -1 when there is none.
 * @internal
 */
export function contentLengthValueIndex(state: ParserState): number {
  const fields = state.fields;
  for (let k = 0; k < state.fieldCount * FIELD_STRIDE; k += FIELD_STRIDE) {
    if (((fields[k + FIELD_INFO] as number) & ID_MASK) === CONTENT_LENGTH_ID + 1) {
      return fields[k + FIELD_VALUE_START] as number;
    }
  }
  return -1;
}

function parseContentLength(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  start: number,
  end: number,
): number {
  let value = 0;
  let i = start;
  while (i < end) {
    const digit = (bytes[i] as number) - 0x30;
    if (digit < 0 || digit > 9) break;
    // Saturate instead of losing precision: anything above the limit is rejected below.
    if (value <= state.limits.maxBodyBytes) value = value * 10 + digit;
    i++;
  }
  if (i === start || i < end) {
    throw parseError(
      'INVALID_CONTENT_LENGTH',
      state.messageOffset + (i - base),
      'Invalid Content-Length',
      'expected decimal digits only (RFC 3261 §20.14)',
      bytes.subarray(start, end),
    );
  }
  if (value > state.limits.maxBodyBytes) {
    throw parseError(
      'BODY_TOO_LARGE',
      state.messageOffset + (start - base),
      'Body too large',
      `Content-Length exceeds limits.maxBodyBytes (${state.limits.maxBodyBytes})`,
      bytes.subarray(start, end),
    );
  }
  return value;
}
