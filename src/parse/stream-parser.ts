/**
 * Stream mode (TCP, TLS and other byte streams): push chunks, get complete messages.
 * RFC 3261 §18.3: on a stream, Content-Length frames the body and is required.
 */

import * as charset from './charset.js';
import { ParseError, parseError } from './errors.js';
import * as framing from './framing.js';
import * as leniency from './leniency.js';
import { resolveLimits } from './limits.js';
import type { ParsedMessage } from './message.js';
import * as message from './message.js';
import type { ParserOptions } from './options.js';
import * as pool from './pool.js';
import type { ParserState } from './state.js';
import * as stateLayout from './state.js';

// Module constants, not imported bindings: optimized code reads an imported binding through a
// cell (with a hole check) at every use, but folds a module constant into the instruction.
const { CR, LF } = charset;
const { NEED_MORE, NO_CONTENT_LENGTH, readContentLength, scanHeaderSection } = framing;
const { messageFromState } = message;
const { copyRange, takeBytes } = pool;
const { beginMessage, createState } = stateLayout;
const { BARE_CR, BARE_LF, noteLeniency, resolveLeniencies } = leniency;

/** Least header bytes appended to the buffer per step once a section spans chunks. */
const MIN_TAKE = 512;

/**
 * A resumable SIP stream parser. Feed it the bytes of one stream in order; it returns each
 * message once its last byte has arrived. Splitting the stream into chunks never changes the
 * messages, the keep-alive reports or the error (code and offset).
 *
 * The parser copies every byte it keeps, so callers may reuse their buffers after push().
 * Offsets count bytes from the start of the stream (or the last reset()).
 *
 * Failures are sticky: after a ParseError, push() and end() throw the same error until
 * reset(), because the framing of the rest of the stream cannot be trusted. When one push()
 * completes messages and then fails, it returns those messages and the next call throws.
 */
export class SipStreamParser {
  #state: ParserState;
  readonly #options: ParserOptions;

  /**
   * @param options - limits, leniencies and the keep-alive listener
   */
  constructor(options: ParserOptions = {}) {
    this.#options = options;
    this.#state = newState(options);
  }

  /**
   * Feeds the next bytes of the stream.
   * @param chunk - any number of bytes, possibly none
   * @returns the messages completed by these bytes, in order
   * @throws ParseError with the code of the first problem in the stream and its offset
   */
  push(chunk: Uint8Array): ParsedMessage[] {
    const state = this.#state;
    if (state.error !== undefined) throw state.error;
    const out: ParsedMessage[] = [];
    try {
      consume(state, chunk, out);
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      state.phase = 'failed';
      state.error = error;
      if (out.length === 0) throw error;
    }
    return out;
  }

  /**
   * Declares the end of the stream.
   * @throws ParseError INCOMPLETE_MESSAGE when the stream stops inside a message (or inside
   * a CRLF, unless allowBareCr makes that CR a blank line); the sticky error if the parser
   * has failed
   */
  end(): void {
    const state = this.#state;
    if (state.error !== undefined) throw state.error;
    if (state.phase === 'startLine' && state.pendingCr && state.allowBareCr) {
      // A bare CR between messages is a blank line, like a bare LF; no message follows it.
      state.pendingCr = false;
      keepAlive(state, state.receivedBytes - 1);
      return;
    }
    if (state.phase === 'startLine' && !state.pendingCr) return;
    const error = parseError(
      'INCOMPLETE_MESSAGE',
      state.receivedBytes,
      'Incomplete message',
      state.pendingCr
        ? 'the stream ended after a CR with no LF'
        : `the stream ended inside the message that starts at byte ${state.messageOffset}`,
    );
    state.phase = 'failed';
    state.error = error;
    throw error;
  }

  /** Forgets everything, including a failure; offsets start again from 0. */
  reset(): void {
    this.#state = newState(this.#options);
  }

  /**
   * Work done since creation or reset: bytes examined by the scanners plus bytes moved when
   * the header buffer grows. A counter for tests that prove parsing stays linear however the
   * input is chunked.
   * @internal
   */
  get steps(): number {
    return this.#state.steps;
  }

  /**
   * The sticky failure, once there is one. A push() that completes messages and then meets a
   * framing error returns those messages and sets this; the next push() or end() throws it.
   * Adapters check it after each push() so the error surfaces with the chunk that caused it.
   */
  get error(): ParseError | undefined {
    return this.#state.error;
  }

  /**
   * Bytes of the current message the parser holds: header-section bytes kept across chunks,
   * or header section plus body bytes received so far. The limits bound it.
   * @internal
   */
  get bufferedBytes(): number {
    const state = this.#state;
    return state.phase === 'body' ? state.rawFilled : state.bufferLength;
  }
}

/**
 * Creates a stream parser.
 * @param options - limits, the profile and leniencies (`profile: 'interop'`, `allowBareLf` …)
 *   and `onKeepAlive`
 * @throws RangeError for an unknown profile or a limit that is not a non-negative integer
 * @returns a parser with push(), end() and reset()
 * @example
 * const parser = createParser();
 * for (const message of parser.push(bytes)) console.log(message.type, message.offset);
 * parser.end();
 */
export function createParser(options?: ParserOptions): SipStreamParser {
  return new SipStreamParser(options);
}

function newState(options: ParserOptions): ParserState {
  const lenient = resolveLeniencies(options);
  return createState(
    resolveLimits(options.limits),
    (lenient & BARE_LF) !== 0,
    options.onKeepAlive,
    lenient,
  );
}

function consume(state: ParserState, chunk: Uint8Array, out: ParsedMessage[]): void {
  const chunkOffset = state.receivedBytes;
  let i = 0;
  while (i < chunk.length) {
    if (state.phase === 'startLine') i = betweenMessages(state, chunk, i, chunkOffset);
    else if (state.phase === 'headers') i = headerBytes(state, chunk, i, out);
    else i = bodyBytes(state, chunk, i, out);
  }
  state.receivedBytes = chunkOffset + chunk.length;
}

/**
 * Between messages: CRLFs are keep-alives (RFC 5626 §3.5.1) or the blank lines RFC 3261 §7.5
 * says to skip; any other byte starts a message. A CR at the end of a chunk waits for its LF.
 */
function betweenMessages(
  state: ParserState,
  chunk: Uint8Array,
  start: number,
  chunkOffset: number,
): number {
  let i = start;
  while (i < chunk.length) {
    const byte = chunk[i];
    if (state.pendingCr) {
      if (byte !== LF) {
        if (!state.allowBareCr) throw bareCr(chunkOffset + i - 1);
        // allowBareCr: the CR alone was a blank line; this byte is read afresh.
        state.pendingCr = false;
        noteLeniency(state, BARE_CR, chunkOffset + i - 1);
        keepAlive(state, chunkOffset + i - 1);
        continue;
      }
      state.pendingCr = false;
      state.steps++;
      keepAlive(state, chunkOffset + i - 1);
      i++;
    } else if (byte === CR) {
      state.pendingCr = true;
      state.steps++;
      i++;
    } else if (byte === LF) {
      if (!state.allowBareLf) {
        throw parseError(
          'INVALID_LINE_ENDING',
          chunkOffset + i,
          'Invalid line ending',
          'expected CRLF, found a bare LF between messages (options.allowBareLf accepts it)',
        );
      }
      noteLeniency(state, BARE_LF, chunkOffset + i);
      state.steps++;
      keepAlive(state, chunkOffset + i);
      i++;
    } else {
      // The message's first byte: the header scanner counts it.
      beginMessage(state, chunkOffset + i);
      state.phase = 'headers';
      return i;
    }
  }
  return i;
}

function bareCr(offset: number): ParseError {
  return parseError(
    'INVALID_LINE_ENDING',
    offset,
    'Invalid line ending',
    'a CR must be followed by LF',
  );
}

function keepAlive(state: ParserState, offset: number): void {
  state.keepAliveCount++;
  state.onKeepAlive?.(state.keepAliveCount % 2 === 1 ? 'pong' : 'ping', offset);
}

/** Header-section bytes: scanned in place when nothing is buffered, else appended first. */
function headerBytes(
  state: ParserState,
  chunk: Uint8Array,
  start: number,
  out: ParsedMessage[],
): number {
  if (state.bufferLength === 0) {
    const headerLength = scanHeaderSection(state, chunk, start);
    if (headerLength === NEED_MORE) {
      // The scanner has checked the limits: what is left is below maxHeaderSectionBytes.
      appendToBuffer(state, chunk, start, chunk.length);
      return chunk.length;
    }
    sectionComplete(state, chunk, start, headerLength, out);
    return start + headerLength;
  }
  // Buffer no more than the header-section limit allows (the scanner fails at the limit), and
  // at most as much again as is buffered (at least MIN_TAKE): the section usually ends early in
  // the chunk, and what follows it would be copied for nothing. Further calls take the rest.
  const previous = state.bufferLength;
  const take = Math.min(
    chunk.length - start,
    state.limits.maxHeaderSectionBytes - previous,
    Math.max(previous, MIN_TAKE),
  );
  appendToBuffer(state, chunk, start, start + take);
  // The buffer is always a whole ArrayBuffer of its own; a constructor view beats subarray().
  const view = new Uint8Array(state.buffer.buffer, 0, state.bufferLength);
  const headerLength = scanHeaderSection(state, view, 0);
  if (headerLength === NEED_MORE) return start + take;
  state.bufferLength = 0;
  sectionComplete(state, view, 0, headerLength, out);
  return start + (headerLength - previous);
}

function appendToBuffer(state: ParserState, chunk: Uint8Array, from: number, to: number): void {
  const needed = state.bufferLength + (to - from);
  if (needed > state.buffer.length) {
    const grown = new Uint8Array(
      Math.max(needed, Math.min(state.buffer.length * 2, state.limits.maxHeaderSectionBytes), 512),
    );
    grown.set(state.buffer.subarray(0, state.bufferLength));
    // Copying is work too: the doubling keeps it linear, and the counter proves it.
    state.steps += state.bufferLength;
    state.buffer = grown;
  }
  copyRange(state.buffer, state.bufferLength, chunk, from, to);
  state.bufferLength = needed;
}

/** The empty line arrived: frame the body by Content-Length and copy the header section. */
function sectionComplete(
  state: ParserState,
  bytes: Uint8Array,
  base: number,
  headerLength: number,
  out: ParsedMessage[],
): void {
  const bodyLength = readContentLength(state, bytes, base, false);
  if (bodyLength === NO_CONTENT_LENGTH) {
    throw parseError(
      'MISSING_CONTENT_LENGTH',
      state.messageOffset,
      'Missing Content-Length',
      'a message on a stream must carry Content-Length to frame its body (RFC 3261 §18.3)',
    );
  }
  state.headerByteLength = headerLength;
  // Room for the header and the first body bytes only: a peer that announces a large body and
  // sends nothing must not make the parser hold it (the buffer grows as bytes arrive).
  state.rawTotal = headerLength + bodyLength;
  const raw = takeBytes(Math.min(state.rawTotal, headerLength + INITIAL_BODY_BYTES));
  copyRange(raw, 0, bytes, base, base + headerLength);
  state.raw = raw;
  state.rawFilled = headerLength;
  state.phase = 'body';
  if (bodyLength === 0) finishMessage(state, out);
}

function bodyBytes(
  state: ParserState,
  chunk: Uint8Array,
  start: number,
  out: ParsedMessage[],
): number {
  let raw = state.raw as Uint8Array;
  const take = Math.min(state.rawTotal - state.rawFilled, chunk.length - start);
  if (state.rawFilled + take > raw.length) {
    // Doubling keeps the copies linear in the body length; the total caps the last step.
    const size = Math.min(state.rawTotal, Math.max(raw.length * 2, state.rawFilled + take));
    const grown = new Uint8Array(size);
    grown.set(new Uint8Array(raw.buffer, raw.byteOffset, state.rawFilled));
    state.steps += state.rawFilled;
    raw = grown;
    state.raw = grown;
  }
  copyRange(raw, state.rawFilled, chunk, start, start + take);
  state.rawFilled += take;
  state.steps += take;
  if (state.rawFilled === state.rawTotal) finishMessage(state, out);
  return start + take;
}

/** Body bytes reserved when a header section completes; more as they arrive. */
const INITIAL_BODY_BYTES = 4096;

function finishMessage(state: ParserState, out: ParsedMessage[]): void {
  out.push(messageFromState(state, state.raw as Uint8Array));
  state.raw = undefined;
  state.rawFilled = 0;
  state.phase = 'startLine';
}
