/**
 * Shared by the parser tests: run a stream parser over chunks and record what it reported as
 * an event log (one line per event, by stream offset), and describe a message completely so two
 * runs can be compared field by field.
 */
import {
  createParser,
  type ParsedMessage,
  ParseError,
  type ParserOptions,
} from '../../src/parse/index.js';
import { showBytes } from '../helpers/bytes.js';

/** One thing the stream parser reported. */
export type StreamEvent =
  | { readonly kind: 'message'; readonly offset: number; readonly message: ParsedMessage }
  | { readonly kind: 'keepalive'; readonly offset: number; readonly type: 'ping' | 'pong' }
  | { readonly kind: 'error'; readonly offset: number; readonly error: ParseError };

/** What a stream run produced: its events in stream order (an error, if any, last). */
export interface StreamRun {
  readonly events: readonly StreamEvent[];
  readonly messages: readonly ParsedMessage[];
  readonly error: ParseError | undefined;
  /** The parser's work counter at the end of the run. */
  readonly steps: number;
}

/**
 * Feeds `chunks` to a fresh stream parser, then calls end() unless `end` is false. Collects the
 * messages, the keep-alive reports and the first error (the parser's failures are sticky, so
 * the run stops there). Anything other than a ParseError is rethrown.
 */
export function runStream(
  chunks: Iterable<Uint8Array>,
  options: Omit<ParserOptions, 'onKeepAlive'> = {},
  end = true,
): StreamRun {
  const events: StreamEvent[] = [];
  const messages: ParsedMessage[] = [];
  const parser = createParser({
    ...options,
    onKeepAlive: (type, offset) => events.push({ kind: 'keepalive', offset, type }),
  });
  let error: ParseError | undefined;
  try {
    for (const chunk of chunks) {
      for (const message of parser.push(chunk)) {
        messages.push(message);
        events.push({ kind: 'message', offset: message.offset, message });
      }
    }
    if (end) parser.end();
  } catch (caught) {
    if (!(caught instanceof ParseError)) throw caught;
    error = caught;
  }
  // A push reports keep-alives as they are scanned and returns messages afterwards, so order
  // by offset: every event has its own offset, and stream order is offset order.
  events.sort((a, b) => a.offset - b.offset);
  if (error !== undefined) events.push({ kind: 'error', offset: error.offset, error });
  return { events, messages, error, steps: parser.steps };
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * The golden-log line of a message: `off=0 request method=INVITE uri=sip:bob@b headers=12
 * body=142` or `off=0 response status=200 reason="OK" headers=9 body=0`.
 */
export function messageLine(message: ParsedMessage): string {
  const head =
    message.type === 'request'
      ? `request method=${message.method} uri=${message.uri}`
      : `response status=${message.status} reason=${quote(message.reason)}`;
  return `off=${message.offset} ${head} version=${message.version} headers=${message.headers.length} body=${message.body.length}`;
}

/** The golden-log line of one event. */
export function eventLine(event: StreamEvent): string {
  if (event.kind === 'message') return messageLine(event.message);
  if (event.kind === 'keepalive') return `off=${event.offset} keepalive ${event.type}`;
  return `off=${event.offset} error code=${event.error.code}`;
}

/**
 * Everything observable about a parsed message, as plain data: start line, every header (name,
 * value, raw bytes, offset), body bytes and offsets. Two parses of the same bytes must give
 * equal details, however the bytes were chunked.
 */
export function messageDetail(message: ParsedMessage): Record<string, unknown> {
  const headers = message.headers.map((header, index) => ({
    name: header.name,
    value: header.value,
    raw: showBytes(message.rawHeader(index) ?? new Uint8Array(0)),
    offset: message.headerOffset(index),
  }));
  return {
    type: message.type,
    start:
      message.type === 'request'
        ? [message.method, message.uri, message.version]
        : [message.version, message.status, message.reason],
    offset: message.offset,
    headers,
    raw: showBytes(message.raw),
    body: showBytes(message.body),
    leniencies: message.leniencies.map((used) => `${used.code}@${used.offset}x${used.count}`),
  };
}

/** A run as plain data: every event, messages in full detail, errors as code and offset. */
export function runDetail(run: StreamRun): unknown[] {
  return run.events.map((event) => {
    if (event.kind === 'message') return messageDetail(event.message);
    if (event.kind === 'keepalive') return `keepalive ${event.type} at ${event.offset}`;
    return `error ${event.error.code} at ${event.offset}`;
  });
}

/** Calls `action` and returns the ParseError it throws; fails when it throws nothing or else. */
export function catchParseError(action: () => unknown): ParseError {
  try {
    action();
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw new Error(`expected a ParseError, got ${String(error)}`);
  }
  throw new Error('expected a ParseError, but nothing was thrown');
}

/** `code@offset` of the ParseError that `action` throws: compact for tables of cases. */
export function errorAt(action: () => unknown): string {
  const error = catchParseError(action);
  return `${error.code}@${error.offset}`;
}
