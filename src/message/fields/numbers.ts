import { DIGIT, skipClass, skipWhitespace, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import { type Parameters, scanParameters } from './params.js';

/** Largest Max-Forwards (RFC 3261 §20.22: 0 to 255). */
export const MAX_FORWARDS_MAX = 255;
/**
 * Largest port (RFC 3261 §25.1: port = 1*DIGIT, a TCP/UDP port).
 * @internal
 */
export const PORT_MAX = 65535;
/** Largest Expires / Min-Expires / Retry-After delta-seconds (RFC 3261 §20.19: 2^32-1). */
export const DELTA_SECONDS_MAX = 4294967295;

/**
 * Reads `1*DIGIT` exactly (leading zeros allowed, surrounding SP/HTAB ignored) and checks it
 * against `max`. The digit count is compared with `max` before any conversion, so an
 * oversized value (RFC 4475 §3.1.2.4) is refused without losing precision.
 * @param text - the digits, e.g. a Max-Forwards value
 * @param max - the largest allowed value, at most Number.MAX_SAFE_INTEGER
 * @param what - what the number is, for the message, e.g. `Max-Forwards`
 * @returns the value
 * @throws ParseError INVALID_NUMBER when not 1*DIGIT; NUMBER_OUT_OF_RANGE when above `max`
 * @example parseDecimal('0068', 255, 'Max-Forwards') // 68
 */
export function parseDecimal(text: string, max: number, what: string): number {
  const end = trimEnd(text, 0, text.length);
  const start = skipWhitespace(text, 0, end);
  const stop = readDigits(text, start, end, max, what);
  if (stop !== end) {
    throw fieldError('INVALID_NUMBER', text, stop, `Invalid ${what}`, 'digits only');
  }
  return Number(text.slice(start, stop));
}

/**
 * Checks `1*DIGIT` at `start` against `max`; returns the index after the digits.
 * @internal
 */
export function readDigits(
  text: string,
  start: number,
  end: number,
  max: number,
  what: string,
): number {
  const stop = skipClass(text, start, end, DIGIT);
  if (stop === start) {
    throw fieldError('INVALID_NUMBER', text, start, `Invalid ${what}`, 'one or more digits');
  }
  let first = start;
  while (first < stop - 1 && text.charCodeAt(first) === 0x30) first++;
  if (stop - first > String(max).length || Number(text.slice(first, stop)) > max) {
    throw fieldError(
      'NUMBER_OUT_OF_RANGE',
      text,
      start,
      `${what} out of range`,
      `a number from 0 to ${max}`,
    );
  }
  return stop;
}

/**
 * Parses a Max-Forwards value (RFC 3261 §20.22): 0–255.
 * @param value - the field value
 * @returns the hop count
 * @throws ParseError INVALID_NUMBER, NUMBER_OUT_OF_RANGE
 */
export function parseMaxForwards(value: string): number {
  return parseDecimal(value, MAX_FORWARDS_MAX, 'Max-Forwards');
}

/**
 * Parses a Content-Length value (RFC 3261 §20.14): any exact non-negative integer up to
 * Number.MAX_SAFE_INTEGER (the parser's body limit applies separately).
 * @param value - the field value
 * @returns the body length in bytes
 * @throws ParseError INVALID_NUMBER, NUMBER_OUT_OF_RANGE
 */
export function parseContentLength(value: string): number {
  return parseDecimal(value, Number.MAX_SAFE_INTEGER, 'Content-Length');
}

/**
 * Parses an Expires or Min-Expires value, or an `expires` parameter (RFC 3261 §20.19,
 * §20.23, §10.2.1.1): delta-seconds 0–2^32-1.
 * @param value - the field value
 * @returns seconds
 * @throws ParseError INVALID_NUMBER, NUMBER_OUT_OF_RANGE
 */
export function parseExpires(value: string): number {
  return parseDecimal(value, DELTA_SECONDS_MAX, 'Expires');
}

/** A parsed Retry-After value (RFC 3261 §20.33). */
export interface RetryAfter {
  /** delta-seconds, 0–2^32-1. */
  readonly seconds: number;
  /** The comment's text without its outer parentheses, as written. */
  readonly comment?: string;
  /** The `duration` parameter, 0–2^32-1. */
  readonly duration?: number;
  /** All parameters in order, names lower-cased. */
  readonly params: Parameters;
}

/**
 * Parses a Retry-After value: `delta-seconds [ comment ] *( SEMI retry-param )`
 * (RFC 3261 §20.33, §25.1).
 * @param value - the field value, e.g. `18000;duration=3600` or `120 (I'm in a meeting)`
 * @returns seconds, comment, duration and the parameters
 * @throws ParseError INVALID_NUMBER, NUMBER_OUT_OF_RANGE, INVALID_HEADER_VALUE for a bad
 * comment, INVALID_PARAMETER
 */
export function parseRetryAfter(value: string): RetryAfter {
  const end = trimEnd(value, 0, value.length);
  const start = skipWhitespace(value, 0, end);
  const digitsEnd = readDigits(value, start, end, DELTA_SECONDS_MAX, 'Retry-After');
  const seconds = Number(value.slice(start, digitsEnd));
  let i = skipWhitespace(value, digitsEnd, end);
  let comment: string | undefined;
  if (i < end && value.charCodeAt(i) === 0x28) {
    const commentEnd = scanComment(value, i, end);
    comment = value.slice(i + 1, commentEnd - 1);
    i = commentEnd;
  } else if (i < end && value.charCodeAt(i) !== 0x3b) {
    throw fieldError(
      'INVALID_NUMBER',
      value,
      i,
      'Invalid Retry-After',
      'delta-seconds, then a comment or parameters',
    );
  }
  const scan = scanParameters(value, i, end);
  let duration: number | undefined;
  for (const entry of scan.entries) {
    if (entry.name !== 'duration') continue;
    if (entry.value === undefined || entry.quoted) {
      throw fieldError(
        'INVALID_NUMBER',
        value,
        entry.nameOffset,
        'Invalid Retry-After duration',
        'delta-seconds',
      );
    }
    const stop = readDigits(
      value,
      entry.valueOffset,
      end,
      DELTA_SECONDS_MAX,
      'Retry-After duration',
    );
    if (stop !== entry.valueOffset + entry.value.length) {
      throw fieldError(
        'INVALID_NUMBER',
        value,
        stop,
        'Invalid Retry-After duration',
        'digits only',
      );
    }
    duration = Number(entry.value);
  }
  return {
    seconds,
    ...(comment !== undefined && { comment }),
    ...(duration !== undefined && { duration }),
    params: scan.params,
  };
}

/**
 * Index after the comment opening at `start`: `"(" *( ctext / quoted-pair / comment ) ")"`
 * (RFC 3261 §25.1); comments nest.
 * @internal
 */
export function scanComment(text: string, start: number, end: number): number {
  let depth = 0;
  let i = start;
  while (i < end) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) {
      const next = text.charCodeAt(i + 1);
      if (i + 1 >= end || next === 0x0a || next === 0x0d || next > 0x7f) break;
      i += 2;
      continue;
    }
    if (code === 0x28) depth++;
    else if (code === 0x29) {
      depth--;
      if (depth === 0) return i + 1;
    } else if ((code < 0x20 && code !== 0x09) || code === 0x7f) {
      throw fieldError(
        'INVALID_HEADER_VALUE',
        text,
        i,
        'Invalid character in comment',
        'text or a quoted-pair',
      );
    }
    i++;
  }
  throw fieldError('INVALID_HEADER_VALUE', text, start, 'Unclosed comment', 'a matching ")"');
}
