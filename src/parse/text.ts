/**
 * Strings from message bytes, made only when a caller asks for them. SIP text is UTF-8
 * (RFC 3261 §7.3.1: TEXT-UTF8); malformed sequences decode to U+FFFD, and the exact bytes
 * stay reachable through the message's `raw`.
 */

import * as charset from './charset.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { CR, HTAB, LF, SP } = charset;

// ignoreBOM keeps a leading U+FEFF: header text is data, not a document with a byte-order mark.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Up to this length an ASCII range is turned into a string in JS. V8 makes a flat string of
 * any concatenation shorter than 13 characters; above that concatenation makes a rope, which
 * costs its flattening on first use, and TextDecoder is the cheaper way to a flat string (about
 * 80 ns on Node 20 whatever the length up to 40).
 */
const SHORT_TEXT = 12;

const fromCharCode = String.fromCharCode;

/**
 * A view of `bytes[start, end)` for TextDecoder. A constructor call costs less than subarray(),
 * which looks up a species constructor.
 */
function view(bytes: Uint8Array, start: number, end: number): Uint8Array {
  // Clamped to the array, as subarray() would.
  const stop = Math.min(end, bytes.length);
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, Math.max(stop - start, 0));
}

/**
 * Decodes `bytes[start, end)` as UTF-8.
 * @internal
 */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > SHORT_TEXT) return decoder.decode(view(bytes, start, end));
  let out = '';
  let high = 0;
  let i = start;
  if (end - i >= 8) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1] as number;
    const b2 = bytes[i + 2] as number;
    const b3 = bytes[i + 3] as number;
    const b4 = bytes[i + 4] as number;
    const b5 = bytes[i + 5] as number;
    const b6 = bytes[i + 6] as number;
    const b7 = bytes[i + 7] as number;
    high = b0 | b1 | b2 | b3 | b4 | b5 | b6 | b7;
    out = fromCharCode(b0, b1, b2, b3, b4, b5, b6, b7);
    i += 8;
  }
  for (; i < end; i++) {
    const byte = bytes[i] as number;
    high |= byte;
    out += fromCharCode(byte);
  }
  // A byte ≥ 0x80 starts a UTF-8 sequence: decode properly instead.
  return high < 0x80 ? out : decoder.decode(view(bytes, start, end));
}

/** Slots of the intern cache (a power of two). */
const INTERN_SLOTS = 256;
/** Longest range the cache holds. */
const INTERN_MAX = 24;
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

/**
 * Decodes `bytes[start, end)` like decodeText, returning the same string object for text seen
 * before: methods and reason phrases repeat on every message, so they are made once. A small
 * direct-mapped cache (a new string replaces the one in its slot), so its size is fixed.
 * @internal
 */
export function internText(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length === 0 || length > INTERN_MAX) return decodeText(bytes, start, end);
  const first = bytes[start] as number;
  const last = bytes[end - 1] as number;
  const middle = bytes[start + (length >> 1)] as number;
  const slot = ((first << 2) ^ (middle << 1) ^ last ^ (length << 4)) & (INTERN_SLOTS - 1);
  const cached = interned[slot] as string;
  if (cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === bytes[start + i]) i++;
    if (i === length) return cached;
  }
  const text = decodeText(bytes, start, end);
  // A hit needs every character to equal its byte, which only ASCII text can give.
  interned[slot] = text;
  return text;
}

function isFoldByte(byte: number | undefined): boolean {
  return byte === SP || byte === HTAB || byte === CR || byte === LF;
}

/** Index of the first CR or LF in `bytes[from, end)`, or -1: a fold's line ending. */
function lineEndIn(bytes: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const byte = bytes[i];
    if (byte === LF || byte === CR) return i;
  }
  return -1;
}

/**
 * Decodes a folded header value: RFC 3261 §7.3.1 says each fold (whitespace, CRLF, whitespace)
 * means a single SP, so every run of whitespace that contains a line ending becomes one SP.
 * Runs without a line ending are kept as they are. A line ending is CRLF, or with the
 * leniencies a bare LF or a bare CR: inside a value range every CR and LF belongs to a fold.
 * @param bytes - the message bytes
 * @param start - the value's first byte (not whitespace)
 * @param end - just past the value's last byte (not whitespace)
 * @internal
 */
export function decodeFolded(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  let segment = start;
  for (;;) {
    const lf = lineEndIn(bytes, segment, end);
    if (lf === -1) return out + decodeText(bytes, segment, end);
    let segmentEnd = lf;
    while (segmentEnd > segment && isFoldByte(bytes[segmentEnd - 1])) segmentEnd--;
    out += `${decodeText(bytes, segment, segmentEnd)} `;
    segment = lf + 1;
    while (segment < end && isFoldByte(bytes[segment])) segment++;
  }
}

/**
 * The UTF-8 sequence at `bytes[i]`, read as the WHATWG decoder (TextDecoder) reads it: how many
 * bytes it takes and how many UTF-16 code units it decodes to. A malformed sequence decodes to
 * one U+FFFD and takes its lead byte plus the continuation bytes that were valid so far; the
 * first byte that breaks it starts the next sequence.
 * @returns `units * 8 + byteLength` (units 1 or 2, byteLength 1 to 4)
 */
function sequenceAt(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 8 + 1;
  let needed: number;
  let lower = 0x80;
  let upper = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    needed = 2;
    if (lead === 0xe0) lower = 0xa0;
    else if (lead === 0xed) upper = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    needed = 3;
    if (lead === 0xf0) lower = 0x90;
    else if (lead === 0xf4) upper = 0x8f;
  } else return 8 + 1;
  let j = i + 1;
  for (let k = 0; k < needed; k++) {
    const byte = bytes[j];
    // Malformed or cut short: one U+FFFD for what was read.
    if (j >= end || byte === undefined || byte < lower || byte > upper) return 8 + (j - i);
    lower = 0x80;
    upper = 0xbf;
    j++;
  }
  // Four-byte sequences are outside the BMP: a surrogate pair.
  return (needed === 3 ? 16 : 8) + (j - i);
}

/**
 * Maps a UTF-16 index in the string that decodeText/decodeFolded made from `bytes[start, end)`
 * back to the byte index it came from, so that errors found in a decoded value carry the byte
 * offset of the wire. Malformed UTF-8 is counted the way TextDecoder replaces it. Used on error
 * paths only.
 * @param index - position in the decoded string
 * @returns the byte index of the character at `index` (clamped to `end`)
 * @internal
 */
export function byteIndexOf(bytes: Uint8Array, start: number, end: number, index: number): number {
  let units = 0;
  let i = start;
  while (i < end && units < index) {
    if (isFoldByte(bytes[i])) {
      // A whitespace run holding a line ending decoded to one SP; other whitespace is 1:1.
      let j = i;
      let folded = false;
      while (j < end && isFoldByte(bytes[j])) {
        if (bytes[j] === LF || bytes[j] === CR) folded = true;
        j++;
      }
      if (folded) {
        units += 1;
        i = j;
      } else {
        while (i < j && units < index) {
          units += 1;
          i += 1;
        }
      }
      continue;
    }
    const sequence = sequenceAt(bytes, i, end);
    const sequenceUnits = sequence >> 3;
    if (units + sequenceUnits > index) break;
    units += sequenceUnits;
    i += sequence & 7;
  }
  return Math.min(i, end);
}
