/**
 * Datagram mode (UDP; one WebSocket message per RFC 7118 §5): one buffer holds one message.
 * RFC 3261 §18.3: when Content-Length is present it frames the body and octets after it are
 * ignored (RFC 4475 §3.1.1.8 dblreq); a value larger than what the datagram holds is an error
 * (RFC 4475 §3.1.2.2 clerr); without it the body runs to the end of the datagram.
 */

import * as charset from './charset.js';
import { parseError } from './errors.js';
import * as framing from './framing.js';
import * as leniency from './leniency.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';
import type { ParsedMessage } from './message.js';
import * as message from './message.js';
import type { DatagramOptions } from './options.js';
import * as pool from './pool.js';
import * as stateLayout from './state.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { CR, LF } = charset;
const {
  CONFLICTING_CONTENT_LENGTHS,
  contentLengthValueIndex,
  NEED_MORE,
  NO_CONTENT_LENGTH,
  readContentLength,
  scanHeaderSection,
} = framing;
const { messageFromState } = message;
const { copyRange, takeBytes } = pool;
const { beginMessage, createState } = stateLayout;
const { BARE_CR, BARE_LF, noteLeniency, resolveLeniencies, UNTERMINATED_HEADERS } = leniency;

const encoder = new TextEncoder();

/**
 * One state serves every datagram: parseDatagram runs no caller code while it uses it, and a
 * message copies what it needs out of it, so no call can see another's state.
 */
const scratch = createState(DEFAULT_LIMITS, false, undefined);

/**
 * Parses one datagram as one SIP message. Leading CRLFs are skipped (RFC 3261 §7.5). The
 * message's offsets count from the start of `bytes`; its `raw` is a copy.
 * @param bytes - the datagram payload
 * @param options - limits, the profile and leniencies (`profile: 'interop'`, `allowBareLf`,
 *   `allowUnterminatedHeaders` …); the message's `leniencies` lists those it needed
 * @returns the message
 * @throws ParseError INCOMPLETE_MESSAGE (no message, or the header section never closes),
 *   CONTENT_LENGTH_EXCEEDS_DATAGRAM, INVALID_CONTENT_LENGTH, BODY_TOO_LARGE, any start-line or
 *   header-line code, and the limit codes; RangeError for an unknown profile or a bad limit
 * @example
 * const message = parseDatagram(udpPayload);
 * if (message.type === 'request') console.log(message.method, message.callId);
 */
export function parseDatagram(bytes: Uint8Array, options: DatagramOptions = {}): ParsedMessage {
  const lenient = resolveLeniencies(options);
  const allowBareLf = (lenient & BARE_LF) !== 0;
  const allowBareCr = (lenient & BARE_CR) !== 0;
  const state = scratch;
  state.limits = resolveLimits(options.limits);
  state.allowBareLf = allowBareLf;
  state.allowBareCr = allowBareCr;
  state.lenient = lenient;
  state.used = 0;
  state.steps = 0;
  const length = bytes.length;
  let start = 0;
  while (start < length) {
    const byte = bytes[start];
    if (byte === CR && bytes[start + 1] === LF) start += 2;
    else if (byte === LF && allowBareLf) {
      noteLeniency(state, BARE_LF, start);
      start += 1;
    } else if (byte === CR && allowBareCr) {
      noteLeniency(state, BARE_CR, start);
      start += 1;
    } else if (byte === CR || byte === LF) {
      throw parseError(
        'INVALID_LINE_ENDING',
        start,
        'Invalid line ending',
        byte === CR ? 'a CR must be followed by LF' : 'expected CRLF, found a bare LF',
      );
    } else break;
  }
  if (start === length) {
    throw parseError(
      'INCOMPLETE_MESSAGE',
      length,
      'Incomplete message',
      'the datagram holds no SIP message',
    );
  }
  beginMessage(state, start);
  const allowUnterminated = (lenient & UNTERMINATED_HEADERS) !== 0;
  let headerLength = scanHeaderSection(state, bytes, start, allowUnterminated);
  if (headerLength === NEED_MORE) {
    const lastLineComplete = start + state.lineStart === length;
    if (allowUnterminated && state.startLineDone && lastLineComplete) {
      noteLeniency(state, UNTERMINATED_HEADERS, length);
      headerLength = length - start;
    } else {
      throw parseError(
        'INCOMPLETE_MESSAGE',
        length,
        'Incomplete message',
        'the datagram ends before the empty line that closes the header section',
      );
    }
  }
  state.headerByteLength = headerLength;
  const bodyStart = start + headerLength;
  const available = length - bodyStart;
  let bodyLength = readContentLength(state, bytes, start, true);
  if (bodyLength === NO_CONTENT_LENGTH || bodyLength === CONFLICTING_CONTENT_LENGTHS) {
    // RFC 3261 §18.3: no usable Content-Length on a datagram means the rest of it.
    if (available > state.limits.maxBodyBytes) {
      throw parseError(
        'BODY_TOO_LARGE',
        bodyStart,
        'Body too large',
        `the body exceeds limits.maxBodyBytes (${state.limits.maxBodyBytes})`,
      );
    }
    bodyLength = available;
  } else if (bodyLength > available) {
    throw parseError(
      'CONTENT_LENGTH_EXCEEDS_DATAGRAM',
      start + contentLengthValueIndex(state),
      'Content-Length exceeds the datagram',
      `Content-Length says ${bodyLength} bytes but only ${available} follow the header section; answer 400 (RFC 3261 §18.3)`,
    );
  }
  state.steps += bodyLength;
  // Copy with set(), not slice(): a Node Buffer's slice() makes a view, so a Node caller that
  // reuses its buffer would change the message under our feet.
  const messageEnd = bodyStart + bodyLength;
  const raw = takeBytes(messageEnd - start);
  copyRange(raw, 0, bytes, start, messageEnd);
  return messageFromState(state, raw);
}

/**
 * Parses one complete message given as bytes or as a string (encoded as UTF-8), with the
 * datagram rules: a convenience for tests, files and WebSocket text frames.
 * @param input - the message
 * @param options - as for parseDatagram
 * @returns the message
 * @throws ParseError as parseDatagram
 * @example parseMessage('OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n').method // 'OPTIONS'
 */
export function parseMessage(input: Uint8Array | string, options?: DatagramOptions): ParsedMessage {
  return parseDatagram(typeof input === 'string' ? encoder.encode(input) : input, options);
}
