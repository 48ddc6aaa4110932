/**
 * The header scanner's fast path: one pass over the bytes that consumes complete, well-formed
 * lines (the start line, field lines, continuation lines, the empty line) and records them
 * exactly as the general path (framing.ts `completeLine`) would. It reads every byte once and
 * makes no string or object.
 *
 * It decides no error of its own. At the first line it cannot take whole (a bare CR or LF, a
 * bad name, a missing colon, a limit reached, a line cut by the end of the input) it stops at
 * that line's first byte and the general path takes the line, errors and offsets included. The
 * start-line grammar, which both paths call once the line is complete, is the only thrower.
 * A line cut by the end of the input has had every byte looked at, and none is an LF, so it
 * tells the general path to resume the LF search after it (`scanFrom`): no byte is scanned twice.
 */

import * as charset from './charset.js';
import * as headerLine from './header-line.js';
import * as startLine from './start-line.js';
import type { ParserState } from './state.js';
import * as stateLayout from './state.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { CR, COLON, HTAB, LF, SP, TOKEN } = charset;
const { CONTENT_LENGTH_ID, growFields, isHeaderName } = headerLine;
const { parseStartLine } = startLine;
const {
  FIELD_END,
  FIELD_INFO,
  FIELD_NAME_END,
  FIELD_START,
  FIELD_STRIDE,
  FIELD_VALUE_END,
  FIELD_VALUE_START,
  FOLDED_FLAG,
  UNRESOLVED,
} = stateLayout;

/**
 * Index of the first CR or LF in `bytes[from, end)`, or `end`. Most of a header section is
 * ASCII text above CR, so four bytes are tested per round before any is looked at closer; a
 * byte ≥ 0x80 found on the way is noted in state.highBytes.
 */
function lineEndIndex(state: ParserState, bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  for (;;) {
    // (byte - 0x0e) >>> 0 <= 0x71: one test for 0x0e ≤ byte ≤ 0x7f.
    while (
      i + 4 <= end &&
      ((bytes[i] as number) - 0x0e) >>> 0 <= 0x71 &&
      ((bytes[i + 1] as number) - 0x0e) >>> 0 <= 0x71 &&
      ((bytes[i + 2] as number) - 0x0e) >>> 0 <= 0x71 &&
      ((bytes[i + 3] as number) - 0x0e) >>> 0 <= 0x71
    ) {
      i += 4;
    }
    const stop = Math.min(i + 4, end);
    for (; i < stop; i++) {
      const byte = bytes[i] as number;
      if (byte === CR || byte === LF) return i;
      if (byte >= 0x80) state.highBytes = true;
    }
    if (i === end) return end;
  }
}

/** The line end search found nothing, or a CR whose LF has not arrived: never decide on half a CRLF. */
function isCutShort(bytes: Uint8Array, eol: number, end: number): boolean {
  return eol === end || (eol === end - 1 && bytes[eol] === CR);
}

function isWhitespace(byte: number): boolean {
  return byte === SP || byte === HTAB;
}

/** Still consuming lines. */
const READING = 0;
/** Stopped at the first byte of a line the general path must read. */
const STOPPED = 1;
/** The input ends inside the line at lineStart. */
const CUT_SHORT = 2;
/** The empty line that ends the header section was consumed. */
const SECTION_END = 3;

/**
 * Consumes the complete, well-formed lines from state.lineStart on (the general path must have
 * nothing pending: state.scanFrom equal to state.lineStart), recording them in the state and
 * counting their bytes in state.steps. Afterwards state.lineStart is the first line not
 * consumed and state.scanFrom where its LF search may start.
 * @param bytes - holds the message from `base` to the end of the input
 * @param base - index of the message's first byte in `bytes`
 * @returns true when the empty line that ends the header section was consumed
 * @throws ParseError only from the start-line grammar, for a complete start line within the limits
 * @internal
 */
export function scanCleanLines(state: ParserState, bytes: Uint8Array, base: number): boolean {
  const end = bytes.length;
  const limits = state.limits;
  // Each line's LF must lie below these indexes, or the general path reports the limit.
  const sectionLimit = base + limits.maxHeaderSectionBytes;
  const maxLineBytes = limits.maxHeaderLineBytes;
  const maxCount = limits.maxHeaderCount;
  const firstLine = base + state.lineStart;
  let lineStart = firstLine;
  let fields = state.fields;
  let count = state.fieldCount;
  let outcome = READING;

  if (!state.startLineDone) {
    const eol = lineEndIndex(state, bytes, lineStart, end);
    const lf = eol + 1;
    if (isCutShort(bytes, eol, end)) outcome = CUT_SHORT;
    else if (
      bytes[eol] !== CR ||
      bytes[lf] !== LF ||
      lf >= sectionLimit ||
      lf >= base + limits.maxStartLineBytes
    ) {
      outcome = STOPPED;
    } else {
      parseStartLine(state, bytes, base, lineStart, eol);
      state.startLineDone = true;
      lineStart = lf + 1;
    }
  }

  while (outcome === READING) {
    if (lineStart >= end) {
      outcome = CUT_SHORT;
      break;
    }
    const first = bytes[lineStart] as number;
    if (first === CR) {
      if (lineStart + 1 === end) outcome = CUT_SHORT;
      else if (bytes[lineStart + 1] === LF && lineStart + 1 < sectionLimit) {
        // RFC 3261 §7: the empty line ends the header section.
        lineStart += 2;
        outcome = SECTION_END;
      } else outcome = STOPPED;
      break;
    }
    let i = lineStart;
    let fieldStart = lineStart;
    let nameEnd = lineStart;
    let k: number;
    if (isWhitespace(first)) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous field.
      if (count === 0) {
        outcome = STOPPED;
        break;
      }
      k = (count - 1) * FIELD_STRIDE;
      fieldStart = base + (fields[k + FIELD_START] as number);
    } else {
      while (i < end && TOKEN[bytes[i] as number] === 1) i++;
      nameEnd = i;
      while (i < end && isWhitespace(bytes[i] as number)) i++;
      if (i === end) {
        outcome = CUT_SHORT;
        break;
      }
      if (nameEnd === lineStart || bytes[i] !== COLON || count >= maxCount) {
        outcome = STOPPED;
        break;
      }
      i++;
      k = count * FIELD_STRIDE;
    }
    while (i < end && isWhitespace(bytes[i] as number)) i++;
    const valueStart = i;
    const eol = lineEndIndex(state, bytes, i, end);
    if (isCutShort(bytes, eol, end)) {
      outcome = CUT_SHORT;
      break;
    }
    const lf = eol + 1;
    if (
      bytes[eol] !== CR ||
      bytes[lf] !== LF ||
      lf >= sectionLimit ||
      lf - fieldStart >= maxLineBytes
    ) {
      outcome = STOPPED;
      break;
    }
    let valueEnd = eol;
    while (valueEnd > valueStart && isWhitespace(bytes[valueEnd - 1] as number)) valueEnd--;
    if (fieldStart === lineStart) {
      if (k + FIELD_STRIDE > fields.length) {
        state.fieldCount = count;
        growFields(state);
        fields = state.fields;
      }
      // Only Content-Length matters to framing; a message looks the other names up when asked.
      const isContentLength = isHeaderName(bytes, lineStart, nameEnd, CONTENT_LENGTH_ID);
      fields[k + FIELD_START] = lineStart - base;
      fields[k + FIELD_NAME_END] = nameEnd - base;
      fields[k + FIELD_VALUE_START] = valueStart - base;
      fields[k + FIELD_VALUE_END] = valueEnd - base;
      fields[k + FIELD_END] = eol - base;
      fields[k + FIELD_INFO] = isContentLength ? CONTENT_LENGTH_ID + 1 : UNRESOLVED;
      count++;
      if (isContentLength) state.contentLengthCount++;
    } else {
      if (valueStart < valueEnd) {
        // An empty value so far (`To :` CRLF SP `sip:…`) starts on this line.
        if (fields[k + FIELD_VALUE_START] === fields[k + FIELD_VALUE_END]) {
          fields[k + FIELD_VALUE_START] = valueStart - base;
        }
        fields[k + FIELD_VALUE_END] = valueEnd - base;
      }
      fields[k + FIELD_END] = eol - base;
      fields[k + FIELD_INFO] = (fields[k + FIELD_INFO] as number) | FOLDED_FLAG;
    }
    lineStart = lf + 1;
  }

  state.fieldCount = count;
  state.lineStart = lineStart - base;
  // A cut line has had every byte looked at and holds no LF: its LF search resumes at the end.
  const scanned = outcome === CUT_SHORT ? end : lineStart;
  state.scanFrom = scanned - base;
  state.steps += scanned - firstLine;
  return outcome === SECTION_END;
}
