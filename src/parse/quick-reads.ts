/**
 * Quick reads over a parsed message's bytes, for the values a transaction layer reads on every
 * message (RFC 3261 §17.1.3, §17.2.3: the top Via branch and the CSeq method; §12: the tags):
 * the grammar of message/fields, but only the part that holds the value, and nothing
 * allocated but the result.
 *
 * Each read returns UNREADABLE for anything not plainly well formed (a quoted value, a repeated
 * parameter, a character the full grammar would refuse where the read looks), and the accessor
 * then asks the full parser, which reads the rare form or throws the precise error. Inside a
 * field's value range every CR and LF belongs to a fold (the framing guarantees it), so they
 * count as whitespace here, as the single SP they unfold to counts there.
 */

import { CSEQ_MAX, type CSeq } from '../message/fields/cseq.js';
import * as charset from './charset.js';
import * as text from './text.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { CR, GEN_VALUE, HTAB, LF, SP, TOKEN, VIA_HEAD } = charset;
const { internText } = text;

/** The value has no such parameter. */
export const NOT_PRESENT = -1;
/** The value needs the full grammar (message/fields) to be read or rejected. */
export const UNREADABLE = -2;

const DQUOTE = 0x22;
const STAR = 0x2a;
const COMMA = 0x2c;
const SEMI = 0x3b;
const LESS = 0x3c;
const EQUAL = 0x3d;
const GREATER = 0x3e;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const ZERO = 0x30;

const BRANCH = new TextEncoder().encode('branch');
const TAG = new TextEncoder().encode('tag');

/** LWS inside a field value: SP, HTAB and the CRLF of a fold. */
function isLws(byte: number): boolean {
  return byte === SP || byte === HTAB || byte === CR || byte === LF;
}

function skipLws(bytes: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && isLws(bytes[i] as number)) i++;
  return i;
}

/** Index after the quoted-string that opens at `start`, or UNREADABLE when it never closes. */
function skipQuoted(bytes: Uint8Array, start: number, end: number): number {
  let i = start + 1;
  while (i < end) {
    const byte = bytes[i] as number;
    if (byte === DQUOTE) return i + 1;
    i += byte === BACKSLASH ? 2 : 1;
  }
  return UNREADABLE;
}

/** Whether `bytes[start, end)` is `name` (lower case letters) in any case. */
function isName(bytes: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  // Only letters become lower-case letters under `| 0x20` among token bytes: an exact fold.
  for (let i = 0; i < name.length; i++) {
    if (((bytes[start + i] as number) | 0x20) !== name[i]) return false;
  }
  return true;
}

/**
 * Index just past the gen-value (token, or host characters) that starts at `start`
 * (RFC 3261 §25.1 gen-value, unquoted).
 * @internal
 */
export function genValueEnd(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && GEN_VALUE[bytes[i] as number] === 1) i++;
  return i;
}

/**
 * Index just past a parameter value that must be a token (RFC 3261 §25.1 via-branch = "branch"
 * EQUAL token), starting at `start`; UNREADABLE when the gen-value goes on past the token.
 * @internal
 */
export function tokenValueEnd(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && TOKEN[bytes[i] as number] === 1) i++;
  return i < end && GEN_VALUE[bytes[i] as number] === 1 ? UNREADABLE : i;
}

/** Whether `bytes[start, end)` holds only token bytes. */
function isTokenRange(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (TOKEN[bytes[i] as number] !== 1) return false;
  return true;
}

/**
 * Finds the parameter `name` in `*( SEMI generic-param )` from `from` (RFC 3261 §25.1
 * generic-param = token [ EQUAL gen-value ]), as message/fields scanParameters reads it.
 * @param stopAtComma - a top-level comma ends the list (the next via-parm follows)
 * @returns the index of the parameter's unquoted value, NOT_PRESENT, or UNREADABLE (a malformed
 *   list, a quoted or missing value for `name`, or `name` twice)
 */
function findParameter(
  bytes: Uint8Array,
  from: number,
  end: number,
  name: Uint8Array,
  stopAtComma: boolean,
): number {
  let found = NOT_PRESENT;
  let i = skipLws(bytes, from, end);
  while (i < end) {
    const byte = bytes[i] as number;
    if (byte !== SEMI) return stopAtComma && byte === COMMA ? found : UNREADABLE;
    const nameStart = skipLws(bytes, i + 1, end);
    let nameEnd = nameStart;
    while (nameEnd < end && TOKEN[bytes[nameEnd] as number] === 1) nameEnd++;
    if (nameEnd === nameStart) return UNREADABLE;
    const wanted = isName(bytes, nameStart, nameEnd, name);
    i = skipLws(bytes, nameEnd, end);
    let valueStart = NOT_PRESENT;
    if (i < end && bytes[i] === EQUAL) {
      i = skipLws(bytes, i + 1, end);
      if (i < end && bytes[i] === DQUOTE) {
        if (wanted) return UNREADABLE;
        i = skipQuoted(bytes, i, end);
        if (i === UNREADABLE) return UNREADABLE;
      } else {
        valueStart = i;
        i = genValueEnd(bytes, i, end);
        if (i === valueStart) return UNREADABLE;
      }
      i = skipLws(bytes, i, end);
    }
    if (wanted) {
      if (found !== NOT_PRESENT || valueStart === NOT_PRESENT) return UNREADABLE;
      found = valueStart;
    }
  }
  return found;
}

/**
 * Where the `branch` value of the first via-parm in a Via field value `bytes[start, end)`
 * starts (RFC 3261 §20.42, §25.1 via-parm). The sent-protocol and sent-by are skipped, not
 * checked.
 * @returns the index, NOT_PRESENT, or UNREADABLE
 * @internal
 */
export function viaBranchIndex(bytes: Uint8Array, start: number, end: number): number {
  if (start === end) return UNREADABLE;
  let i = start;
  while (i < end && VIA_HEAD[bytes[i] as number] === 1) i++;
  // An empty first element (the value starts with "," or ";") is the full grammar's to refuse.
  if (i === start) return UNREADABLE;
  if (i === end || bytes[i] === COMMA) return NOT_PRESENT;
  if (bytes[i] !== SEMI) return UNREADABLE;
  return findParameter(bytes, i, end, BRANCH, true);
}

/**
 * Where the `tag` value of a From or To field value `bytes[start, end)` starts: after
 * `[ display-name ] "<" URI ">"` or a bare addr-spec (RFC 3261 §20.20, §20.39, §25.1). The
 * display name and the URI are skipped, not checked.
 * @returns the index, NOT_PRESENT, or UNREADABLE
 * @internal
 */
export function nameAddrTagIndex(bytes: Uint8Array, start: number, end: number): number {
  // Empty, or the `*` of Contact: the full grammar says what they are.
  if (start === end || (end - start === 1 && bytes[start] === STAR)) return UNREADABLE;
  let i = start;
  if (bytes[i] === DQUOTE) {
    i = skipQuoted(bytes, i, end);
    if (i === UNREADABLE) return UNREADABLE;
    i = skipLws(bytes, i, end);
    if (i === end || bytes[i] !== LESS) return UNREADABLE;
  } else {
    while (i < end && (TOKEN[bytes[i] as number] === 1 || isLws(bytes[i] as number))) i++;
    if (i === end || bytes[i] !== LESS) {
      // RFC 3261 §20: a bare addr-spec runs to the first ";" or whitespace, and holds no "?" or ",".
      i = start;
      while (i < end) {
        const byte = bytes[i] as number;
        if (byte === SEMI || isLws(byte)) break;
        if (byte === QUESTION || byte === COMMA) return UNREADABLE;
        i++;
      }
      return i === start ? UNREADABLE : findParameter(bytes, i, end, TAG, false);
    }
  }
  // RFC 3261 §25.1: no URI holds ">", so the first one closes the name-addr.
  let close = i + 1;
  while (close < end && bytes[close] !== GREATER) close++;
  if (close === end) return UNREADABLE;
  return findParameter(bytes, close + 1, end, TAG, false);
}

/**
 * Reads a CSeq value `1*DIGIT LWS Method` (RFC 3261 §20.16) from `bytes[start, end)`, as
 * message/fields parseCSeq does.
 * @returns the value, or undefined when it is not plainly well formed (the caller then asks
 *   parseCSeq, which throws the precise error)
 * @internal
 */
export function readCSeq(bytes: Uint8Array, start: number, end: number): CSeq | undefined {
  let seq = 0;
  let i = start;
  while (i < end) {
    const digit = (bytes[i] as number) - ZERO;
    if (digit < 0 || digit > 9) break;
    seq = seq * 10 + digit;
    // RFC 3261 §8.1.1.5: below 2^31; parseCSeq reports anything above.
    if (seq > CSEQ_MAX) return undefined;
    i++;
  }
  const methodStart = skipLws(bytes, i, end);
  if (i === start || methodStart === i || methodStart === end) return undefined;
  if (!isTokenRange(bytes, methodStart, end)) return undefined;
  return { seq, method: internText(bytes, methodStart, end) };
}
