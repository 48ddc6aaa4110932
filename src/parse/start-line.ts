/**
 * The start line (RFC 3261 §7.1, §7.2, §25.1), checked from a complete line's bytes:
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 * Only positions are recorded; strings are made when a caller asks for them.
 */

import * as charset from './charset.js';
import { parseError } from './errors.js';
import * as leniency from './leniency.js';
import type { ParserState } from './state.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { DIGITS, REASON_CONTROL, REQUEST_URI, SCHEME, SP, TOKEN } = charset;
const { noteLeniency, REQUEST_LINE_SPACES, STATUS_WITHOUT_REASON } = leniency;

const LOWER_S = 0x73;
const LOWER_I = 0x69;
const LOWER_P = 0x70;
const SLASH = 0x2f;
const DOT = 0x2e;
const ZERO = 0x30;
/** "SIP" in lower case, compared with `byte | 0x20`. */
const VERSION_LETTERS: readonly number[] = [LOWER_S, LOWER_I, LOWER_P];

function isAlpha(byte: number): boolean {
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/**
 * Index just past `SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT` at `i`, or the index of the
 * first byte that breaks it (negated minus one, so any result below zero is a failure).
 * RFC 3261 §7.1: the version string is case-insensitive.
 */
function versionEnd(bytes: Uint8Array, i: number, end: number): number {
  for (let k = 0; k < 3; k++) {
    if (i + k >= end || ((bytes[i + k] as number) | 0x20) !== VERSION_LETTERS[k])
      return -1 - (i + k);
  }
  if (i + 3 >= end || bytes[i + 3] !== SLASH) return -1 - (i + 3);
  let j = i + 4;
  const major = j;
  while (j < end && DIGITS[bytes[j] as number] === 1) j++;
  if (j === major || j === end || bytes[j] !== DOT) return -1 - j;
  j++;
  const minor = j;
  while (j < end && DIGITS[bytes[j] as number] === 1) j++;
  if (j === minor) return -1 - j;
  return j;
}

/**
 * True when a line starts with `SIP/` (any case): a Status-Line. `/` is not a token
 * character, so no Request-Line can start that way.
 */
function isStatusLine(bytes: Uint8Array, start: number, end: number): boolean {
  return (
    end - start >= 4 &&
    ((bytes[start] as number) | 0x20) === LOWER_S &&
    ((bytes[start + 1] as number) | 0x20) === LOWER_I &&
    ((bytes[start + 2] as number) | 0x20) === LOWER_P &&
    bytes[start + 3] === SLASH
  );
}

/**
 * Checks the start line `bytes[start, end)` (line ending excluded) and records its parts in the
 * state (isResponse, startMark1, startMark2, status, startLineEnd).
 * @param base - index of the message's first byte in `bytes`
 * @throws ParseError INVALID_START_LINE, INVALID_METHOD, INVALID_REQUEST_URI, INVALID_VERSION,
 *   INVALID_STATUS_CODE, INVALID_REASON_PHRASE
 * @internal
 */
export function parseStartLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  start: number,
  end: number,
): void {
  // Stream offset of bytes[i] is shift + i.
  const shift = state.messageOffset - base;
  state.startLineEnd = end - base;
  if (isStatusLine(bytes, start, end)) {
    parseStatusLine(state, bytes, base, start, end, shift);
  } else {
    parseRequestLine(state, bytes, base, start, end, shift);
  }
}

function parseStatusLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  start: number,
  end: number,
  shift: number,
): void {
  const version = versionEnd(bytes, start, end);
  if (version < 0) {
    const bad = -1 - version;
    throw parseError(
      'INVALID_VERSION',
      shift + bad,
      'Invalid SIP-Version',
      'expected SIP/<digits>.<digits>',
      bytes.subarray(start, Math.min(end, bad + 1)),
    );
  }
  if (version === end || bytes[version] !== SP) {
    // A token byte continues the version ("SIP/2.0x"); anything else is a bad separator.
    const inVersion = version < end && TOKEN[bytes[version] as number] === 1;
    throw parseError(
      inVersion ? 'INVALID_VERSION' : 'INVALID_START_LINE',
      shift + version,
      inVersion ? 'Invalid SIP-Version' : 'Invalid start line',
      'expected SP and a three-digit status code after the SIP-Version',
      bytes.subarray(start, end),
    );
  }
  const code = version + 1;
  let digitsEnd = code;
  while (digitsEnd < end && DIGITS[bytes[digitsEnd] as number] === 1) digitsEnd++;
  const first = (bytes[code] as number) - ZERO;
  const status =
    first * 100 + ((bytes[code + 1] as number) - ZERO) * 10 + ((bytes[code + 2] as number) - ZERO);
  // RFC 3261 §7.2, §21: exactly three digits, classes 1xx–6xx (RFC 4475 §3.1.2.19 bigcode).
  if (digitsEnd - code !== 3 || first < 1 || first > 6) {
    let shownEnd = code;
    while (shownEnd < end && bytes[shownEnd] !== SP) shownEnd++;
    throw parseError(
      'INVALID_STATUS_CODE',
      shift + code,
      'Invalid status code',
      'expected three digits from 100 to 699',
      bytes.subarray(code, shownEnd),
    );
  }
  if (digitsEnd === end && (state.lenient & STATUS_WITHOUT_REASON) !== 0) {
    // allowStatusWithoutReason: `SIP/2.0 200` reads as an empty Reason-Phrase.
    noteLeniency(state, STATUS_WITHOUT_REASON, shift + digitsEnd);
  } else if (digitsEnd === end || bytes[digitsEnd] !== SP) {
    throw parseError(
      'INVALID_START_LINE',
      shift + digitsEnd,
      'Invalid start line',
      'expected SP after the status code (the Reason-Phrase may be empty, the SP may not)',
      bytes.subarray(start, end),
    );
  }
  for (let i = digitsEnd + 1; i < end; i++) {
    if (REASON_CONTROL[bytes[i] as number] === 1) {
      throw parseError(
        'INVALID_REASON_PHRASE',
        shift + i,
        'Invalid Reason-Phrase',
        'control characters other than HTAB are not allowed',
        bytes.subarray(digitsEnd + 1, end),
      );
    }
  }
  state.isResponse = true;
  state.startMark1 = version - base;
  state.startMark2 = 0;
  state.status = status;
}

function parseRequestLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  start: number,
  end: number,
  shift: number,
): void {
  let i = start;
  while (i < end && TOKEN[bytes[i] as number] === 1) i++;
  const methodEnd = i;
  if (methodEnd === start || (methodEnd < end && bytes[methodEnd] !== SP)) {
    throw parseError(
      'INVALID_METHOD',
      shift + methodEnd,
      'Invalid method',
      "expected a token (letters, digits, -.!%*_+`'~) followed by SP",
      bytes.subarray(start, Math.min(end, methodEnd + 1)),
    );
  }
  const uriStart = methodEnd + 1;
  if (methodEnd === end || uriStart === end || bytes[uriStart] === SP) {
    const at = shift + Math.min(uriStart, end);
    if (methodEnd < end && (state.lenient & REQUEST_LINE_SPACES) !== 0) {
      lenientRequestLine(state, bytes, base, methodEnd, end, shift, at);
      return;
    }
    // RFC 4475 §3.1.2.9 lwsstart: elements are separated by exactly one SP.
    throw parseError(
      'INVALID_START_LINE',
      shift + Math.min(uriStart, end),
      'Invalid start line',
      'expected Method SP Request-URI SP SIP-Version with single spaces',
      bytes.subarray(start, end),
    );
  }
  let lastSp = end - 1;
  while (lastSp > methodEnd && bytes[lastSp] !== SP) lastSp--;
  // The run of SP that holds lastSp starts at spRun: one SP separates, any other is an error.
  let spRun = lastSp;
  while (spRun > uriStart && bytes[spRun - 1] === SP) spRun--;
  if (lastSp === methodEnd || lastSp === end - 1 || spRun < lastSp) {
    // No SIP-Version at all (the end of the line), trailing SP (RFC 4475 §3.1.2.10 trws: the
    // first of them), or SP doubled before the version (the second one).
    const at = shift + (lastSp === methodEnd ? end : lastSp === end - 1 ? spRun : spRun + 1);
    if (lastSp !== methodEnd && (state.lenient & REQUEST_LINE_SPACES) !== 0) {
      lenientRequestLine(state, bytes, base, methodEnd, end, shift, at);
      return;
    }
    throw parseError(
      'INVALID_START_LINE',
      at,
      'Invalid start line',
      'expected Method SP Request-URI SP SIP-Version with single spaces',
      bytes.subarray(start, end),
    );
  }
  checkRequestUri(bytes, uriStart, lastSp, shift);
  const version = versionEnd(bytes, lastSp + 1, end);
  if (version !== end) {
    const bad = version < 0 ? -1 - version : version;
    throw parseError(
      'INVALID_VERSION',
      shift + bad,
      'Invalid SIP-Version',
      'expected SIP/<digits>.<digits> at the end of the Request-Line',
      bytes.subarray(lastSp + 1, end),
    );
  }
  state.isResponse = false;
  state.startMark1 = methodEnd - base;
  state.startMark2 = lastSp - base;
  state.uriStart = uriStart - base;
  state.versionStart = lastSp + 1 - base;
  state.status = 0;
}

/**
 * allowRequestLineSpaces: the Request-Line `bytes[methodEnd, end)` after a valid method, read
 * with runs of SP between the elements and SP after the SIP-Version. `strictAt` is where the
 * strict reading failed: the leniency is reported there, and a line that still has no
 * Request-URI and SIP-Version fails there with the strict error.
 */
function lenientRequestLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  methodEnd: number,
  end: number,
  shift: number,
  strictAt: number,
): void {
  let uriStart = methodEnd;
  while (uriStart < end && bytes[uriStart] === SP) uriStart++;
  let lineEnd = end;
  while (lineEnd > uriStart && bytes[lineEnd - 1] === SP) lineEnd--;
  let lastSp = lineEnd - 1;
  while (lastSp > uriStart && bytes[lastSp] !== SP) lastSp--;
  if (lastSp <= uriStart) {
    throw parseError(
      'INVALID_START_LINE',
      strictAt,
      'Invalid start line',
      'expected Method SP Request-URI SP SIP-Version',
      bytes.subarray(base, end),
    );
  }
  let uriEnd = lastSp;
  while (bytes[uriEnd - 1] === SP) uriEnd--;
  checkRequestUri(bytes, uriStart, uriEnd, shift);
  const version = versionEnd(bytes, lastSp + 1, lineEnd);
  if (version !== lineEnd) {
    const bad = version < 0 ? -1 - version : version;
    throw parseError(
      'INVALID_VERSION',
      shift + bad,
      'Invalid SIP-Version',
      'expected SIP/<digits>.<digits> at the end of the Request-Line',
      bytes.subarray(lastSp + 1, lineEnd),
    );
  }
  noteLeniency(state, REQUEST_LINE_SPACES, strictAt);
  state.isResponse = false;
  state.startMark1 = methodEnd - base;
  state.startMark2 = uriEnd - base;
  state.uriStart = uriStart - base;
  state.versionStart = lastSp + 1 - base;
  state.startLineEnd = lineEnd - base;
  state.status = 0;
}

/**
 * The Request-URI must be an absolute URI: a scheme, `:`, then at least one URI character
 * (RFC 3261 §25.1 Request-URI = SIP-URI / SIPS-URI / absoluteURI). The full grammar of SIP
 * and SIPS URIs is checked by the `requestUri` accessor, when asked.
 */
function checkRequestUri(bytes: Uint8Array, start: number, end: number, shift: number): void {
  let i = start;
  if (isAlpha(bytes[i] as number)) {
    i++;
    while (i < end && SCHEME[bytes[i] as number] === 1) i++;
  }
  // The offset is the first byte that breaks the grammar; `end` is the SP after the URI.
  let bad = -1;
  if (i === start || i === end || bytes[i] !== 0x3a) bad = i;
  else if (i + 1 === end) bad = end;
  else {
    for (let j = i + 1; j < end; j++) {
      if (REQUEST_URI[bytes[j] as number] !== 1) {
        bad = j;
        break;
      }
    }
  }
  if (bad !== -1) {
    throw parseError(
      'INVALID_REQUEST_URI',
      shift + bad,
      'Invalid Request-URI',
      'expected scheme ":" followed by URI characters, with no spaces, controls or <>"',
      bytes.subarray(start, end),
    );
  }
}
