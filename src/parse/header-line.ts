/**
 * One header field line: name/value split (RFC 3261 §7.3.1, HCOLON), continuation lines
 * (folding), and the byte-level lookup of a name in the header table, so that compact and
 * long forms in any case map to one canonical id without making a string.
 */

import { HEADER_DEFINITIONS, type HeaderDefinition } from '../message/header-names.js';
import * as charset from './charset.js';
import { parseError } from './errors.js';
import type { ParserState } from './state.js';
import * as stateLayout from './state.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { COLON, TOKEN, WHITESPACE } = charset;
const {
  FIELD_END,
  FIELD_INFO,
  FIELD_NAME_END,
  FIELD_START,
  FIELD_STRIDE,
  FIELD_VALUE_END,
  FIELD_VALUE_START,
  FOLDED_FLAG,
} = stateLayout;

const DEFINITIONS = HEADER_DEFINITIONS as readonly HeaderDefinition[];

/**
 * Open-addressed table keyed by a name's length and its first, middle and last bytes (case
 * folded), so a lookup costs O(1) before one comparison. slotIds: slot → header id + 1
 * (0 = empty); slotNames: the lower-case name stored in that slot (long or compact form).
 */
const TABLE_MASK = 511;
const slotIds = new Int16Array(TABLE_MASK + 1);
const slotNames: Uint8Array[] = [];
/** Per header id, the lower-case names it answers to: long form, then compact form if any. */
const namesById: Uint8Array[][] = [];
/** Per header id, one bit per length of its names (below 32): rules most names out at once. */
const lengthBitsById = new Int32Array(DEFINITIONS.length);

function slotOf(bytes: ArrayLike<number>, start: number, length: number): number {
  const first = (bytes[start] as number) | 0x20;
  const middle = (bytes[start + (length >> 1)] as number) | 0x20;
  const last = (bytes[start + length - 1] as number) | 0x20;
  return ((first << 3) ^ (middle << 1) ^ last ^ (length << 5)) & TABLE_MASK;
}

function addName(id: number, name: string): void {
  const bytes = new TextEncoder().encode(name.toLowerCase());
  let slot = slotOf(bytes, 0, bytes.length);
  while (slotIds[slot] !== 0) slot = (slot + 1) & TABLE_MASK;
  slotIds[slot] = id + 1;
  slotNames[slot] = bytes;
  namesById[id] = [...(namesById[id] ?? []), bytes];
  if (bytes.length < 32) lengthBitsById[id] = (lengthBitsById[id] as number) | (1 << bytes.length);
}

DEFINITIONS.forEach((definition, id) => {
  addName(id, definition.name);
  if (definition.compact !== undefined) addName(id, definition.compact);
});

/**
 * Header-table id of a canonical name, for the parser's own lookups.
 * @internal
 */
export function headerId(canonicalName: string): number {
  return DEFINITIONS.findIndex((definition) => definition.name === canonicalName);
}

/** Header-table id of Content-Length, which frames the body. */
export const CONTENT_LENGTH_ID: number = headerId('Content-Length');

/**
 * Finds the header-table id of the name in `bytes[start, end)` (token bytes, any case, at least
 * one). Known names contain only letters and `-`, and no other token byte becomes one of those
 * under `byte | 0x20`, so that is an exact case fold here.
 * @returns the id, or -1 for a name the table does not know
 * @internal
 */
export function lookupHeaderId(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  let slot = slotOf(bytes, start, length);
  for (;;) {
    const entry = slotIds[slot] as number;
    if (entry === 0) return -1;
    if (isName(bytes, start, length, slotNames[slot] as Uint8Array)) return entry - 1;
    slot = (slot + 1) & TABLE_MASK;
  }
}

/** Whether `bytes[start, end)` is `name` (lower case) in any case; see lookupHeaderId. */
function isName(bytes: Uint8Array, start: number, length: number, name: Uint8Array): boolean {
  if (name.length !== length) return false;
  let i = 0;
  while (i < length && ((bytes[start + i] as number) | 0x20) === name[i]) i++;
  return i === length;
}

/**
 * Whether the name in `bytes[start, end)` (token bytes, any case) is the header with table id
 * `id`, in its long or compact form: one comparison, no lookup.
 * @internal
 */
export function isHeaderName(bytes: Uint8Array, start: number, end: number, id: number): boolean {
  const length = end - start;
  if (length >= 32 || (((lengthBitsById[id] as number) >>> length) & 1) === 0) return false;
  const names = namesById[id] as Uint8Array[];
  for (let n = 0; n < names.length; n++) {
    if (isName(bytes, start, length, names[n] as Uint8Array)) return true;
  }
  return false;
}

/**
 * The canonical spelling for a header id.
 * @internal
 */
export function canonicalNameOf(id: number): string {
  return (DEFINITIONS[id] as HeaderDefinition).name;
}

function absolute(state: ParserState, base: number, index: number): number {
  return state.messageOffset + (index - base);
}

/**
 * Doubles the state's field table, keeping its content.
 * @internal
 */
export function growFields(state: ParserState): void {
  const grown = new Int32Array(state.fields.length * 2);
  grown.set(state.fields);
  state.fields = grown;
}

/**
 * Parses a header field's first line `bytes[lineStart, contentEnd)` (line ending excluded):
 * `field-name HCOLON field-value`, with HCOLON = *(SP / HTAB) ":" SWS (RFC 3261 §7.3.1, §25.1),
 * and records it in the state's field table.
 * @param base - index of the message's first byte in `bytes`
 * @throws ParseError INVALID_HEADER_NAME, INVALID_HEADER_LINE, TOO_MANY_HEADERS
 * @internal
 */
export function parseFieldLine(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  lineStart: number,
  contentEnd: number,
): void {
  let i = lineStart;
  while (i < contentEnd && TOKEN[bytes[i] as number] === 1) i++;
  const nameEnd = i;
  while (i < contentEnd && WHITESPACE[bytes[i] as number] === 1) i++;
  // RFC 3261 §25.1: field-name is a token, so at least one byte (": x" has no name).
  if (nameEnd === lineStart || i === contentEnd || bytes[i] !== COLON) {
    if (nameEnd === lineStart || (i === nameEnd && i < contentEnd)) {
      throw parseError(
        'INVALID_HEADER_NAME',
        absolute(state, base, i),
        'Invalid header name',
        'expected a token (letters, digits, -.!%*_+`\'~) followed by ":"',
        bytes.subarray(lineStart, Math.min(contentEnd, i + 1)),
      );
    }
    throw parseError(
      'INVALID_HEADER_LINE',
      absolute(state, base, i),
      'Invalid header line',
      'expected ":" after the header name',
      bytes.subarray(lineStart, contentEnd),
    );
  }
  if (state.fieldCount >= state.limits.maxHeaderCount) {
    throw parseError(
      'TOO_MANY_HEADERS',
      absolute(state, base, lineStart),
      'Too many header fields',
      `a message may have at most ${state.limits.maxHeaderCount}; raise limits.maxHeaderCount if this peer is legitimate`,
    );
  }
  i++;
  while (i < contentEnd && WHITESPACE[bytes[i] as number] === 1) i++;
  let valueEnd = contentEnd;
  while (valueEnd > i && WHITESPACE[bytes[valueEnd - 1] as number] === 1) valueEnd--;
  const id = lookupHeaderId(bytes, lineStart, nameEnd);
  if ((state.fieldCount + 1) * FIELD_STRIDE > state.fields.length) growFields(state);
  const fields = state.fields;
  const k = state.fieldCount * FIELD_STRIDE;
  fields[k + FIELD_START] = lineStart - base;
  fields[k + FIELD_NAME_END] = nameEnd - base;
  fields[k + FIELD_VALUE_START] = i - base;
  fields[k + FIELD_VALUE_END] = valueEnd - base;
  fields[k + FIELD_END] = contentEnd - base;
  fields[k + FIELD_INFO] = id + 1;
  state.fieldCount++;
  if (id === CONTENT_LENGTH_ID) state.contentLengthCount++;
}

/**
 * Adds a continuation line `bytes[lineStart, contentEnd)` (it starts with SP or HTAB) to the
 * field before it: RFC 3261 §7.3.1 line folding. The value range grows over it; the fold itself
 * is turned into one SP only when the value string is made.
 * @throws ParseError INVALID_HEADER_LINE when no header field precedes it
 * @internal
 */
export function continueField(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  lineStart: number,
  contentEnd: number,
): void {
  if (state.fieldCount === 0) {
    throw parseError(
      'INVALID_HEADER_LINE',
      absolute(state, base, lineStart),
      'Invalid header line',
      'a line starting with whitespace continues a header field, but no header field precedes it',
    );
  }
  const fields = state.fields;
  const k = (state.fieldCount - 1) * FIELD_STRIDE;
  let i = lineStart;
  while (i < contentEnd && WHITESPACE[bytes[i] as number] === 1) i++;
  if (i < contentEnd) {
    // An empty value so far (`To :` CRLF SP `sip:…`) starts on this line.
    if (fields[k + FIELD_VALUE_START] === fields[k + FIELD_VALUE_END]) {
      fields[k + FIELD_VALUE_START] = i - base;
    }
    let valueEnd = contentEnd;
    while (valueEnd > i && WHITESPACE[bytes[valueEnd - 1] as number] === 1) valueEnd--;
    fields[k + FIELD_VALUE_END] = valueEnd - base;
  }
  fields[k + FIELD_END] = contentEnd - base;
  fields[k + FIELD_INFO] = (fields[k + FIELD_INFO] as number) | FOLDED_FLAG;
}
