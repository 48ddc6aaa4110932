import { DIGIT, skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import { checkIPv4, checkIPv6, scanHost } from './host.js';
import { PORT_MAX } from './numbers.js';
import { type ParameterEntry, type Parameters, scanParameters } from './params.js';

/** One via-parm (RFC 3261 §20.42, §25.1) with its well-known parameters typed. */
export interface Via {
  /** Protocol name, upper-cased (`SIP`). */
  readonly protocolName: string;
  /** Protocol version as written (`2.0`). */
  readonly protocolVersion: string;
  /** Transport, upper-cased (`UDP`, `TCP`, `TLS`, `SCTP`, `WS`, or any other token). */
  readonly transport: string;
  /** sent-by host, lower-cased; an IPv6 reference keeps its brackets. */
  readonly host: string;
  /** sent-by port when present. */
  readonly port?: number;
  /** All parameters in order, names lower-cased. */
  readonly params: Parameters;
  /** `branch` (RFC 3261 §8.1.1.7). */
  readonly branch?: string;
  /** `received` as written: an IPv4 address, or an IPv6 address with or without brackets (RFC 5118 §4.5). */
  readonly received?: string;
  /** `rport` (RFC 3581 §3): the port, or true when present without a value. */
  readonly rport?: number | true;
  /** `maddr`, a host, as written. */
  readonly maddr?: string;
  /** `ttl`, 0–255. */
  readonly ttl?: number;
}

const WHAT = 'Invalid Via';

/**
 * Parses one via-parm: `sent-protocol LWS sent-by *( SEMI via-params )` (RFC 3261 §25.1),
 * with whitespace allowed around each "/" of the sent-protocol and around ":" before the
 * port. A Via field holding several values must be split first (`splitHeaderList`).
 * @param value - one via-parm, e.g. `SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds`
 * @returns the parts, with branch, received, rport, maddr and ttl typed
 * @throws ParseError INVALID_VIA for a malformed value or a bad typed parameter;
 * INVALID_PARAMETER for a malformed or repeated parameter
 * @example parseVia('SIP/2.0/TCP [2001:db8::9:1]:6050;rport').rport // true
 */
export function parseVia(value: string): Via {
  const end = trimEnd(value, 0, value.length);
  let i = skipWhitespace(value, 0, end);
  const nameStart = i;
  i = skipClass(value, i, end, TOKEN);
  const protocolName = expectToken(value, nameStart, i, 'a protocol name such as "SIP"');
  i = expectSlash(value, i, end);
  const versionStart = i;
  i = skipClass(value, i, end, TOKEN);
  const protocolVersion = expectToken(value, versionStart, i, 'a protocol version such as "2.0"');
  i = expectSlash(value, i, end);
  const transportStart = i;
  i = skipClass(value, i, end, TOKEN);
  const transport = expectToken(value, transportStart, i, 'a transport such as "UDP"');
  // RFC 3261 §25.1: sent-protocol LWS sent-by: at least one whitespace character
  const hostStart = skipWhitespace(value, i, end);
  if (hostStart === i) {
    throw fieldError('INVALID_VIA', value, i, WHAT, 'whitespace after the transport');
  }
  const { host, end: hostEnd } = scanHost(value, hostStart, end, 'INVALID_VIA', WHAT);
  i = skipWhitespace(value, hostEnd, end);
  let port: number | undefined;
  if (i < end && value.charCodeAt(i) === 0x3a) {
    const portStart = skipWhitespace(value, i + 1, end);
    const portEnd = skipClass(value, portStart, end, DIGIT);
    port = boundedNumber(value, portStart, portEnd, PORT_MAX, 'a port 0–65535');
    i = portEnd;
  } else {
    i = hostEnd;
  }
  const scan = scanParameters(value, i, end);
  const via: {
    -readonly [K in keyof Via]: Via[K];
  } = {
    protocolName: protocolName.toUpperCase(),
    protocolVersion,
    transport: transport.toUpperCase(),
    host,
    params: scan.params,
  };
  if (port !== undefined) via.port = port;
  for (const entry of scan.entries) applyTypedParameter(value, entry, via);
  return via;
}

function applyTypedParameter(
  value: string,
  entry: ParameterEntry,
  via: { -readonly [K in keyof Via]: Via[K] },
): void {
  const { name } = entry;
  if (name === 'rport' && entry.value === undefined) {
    via.rport = true;
    return;
  }
  if (
    name !== 'branch' &&
    name !== 'received' &&
    name !== 'rport' &&
    name !== 'maddr' &&
    name !== 'ttl'
  ) {
    return;
  }
  const text = entry.value;
  if (text === undefined || entry.quoted) {
    throw fieldError(
      'INVALID_VIA',
      value,
      entry.valueOffset < 0 ? entry.nameOffset : entry.valueOffset,
      `Invalid Via ${name} parameter`,
      name === 'branch' ? 'a token value' : 'an unquoted value',
    );
  }
  const start = entry.valueOffset;
  const stop = start + text.length;
  if (name === 'branch') {
    // RFC 3261 §25.1: via-branch = "branch" EQUAL token
    const tokenEnd = skipClass(value, start, stop, TOKEN);
    if (tokenEnd !== stop)
      throw fieldError('INVALID_VIA', value, tokenEnd, WHAT, 'a token as branch');
    via.branch = text;
  } else if (name === 'received') {
    // RFC 3261 §25.1: IPv4address / IPv6address; RFC 5118 §4.5: also accept [IPv6address]
    const bracketed = text.charCodeAt(0) === 0x5b && text.charCodeAt(text.length - 1) === 0x5d;
    const bad = text.includes(':')
      ? bracketed
        ? checkIPv6(value, start + 1, stop - 1)
        : checkIPv6(value, start, stop)
      : checkIPv4(value, start, stop);
    if (bad >= 0) throw fieldError('INVALID_VIA', value, bad, WHAT, 'an IP address as received');
    via.received = text;
  } else if (name === 'rport') {
    via.rport = boundedNumber(value, start, stop, PORT_MAX, 'a port 0–65535 as rport');
  } else if (name === 'maddr') {
    const scan = scanHost(value, start, stop, 'INVALID_VIA', WHAT);
    if (scan.end !== stop)
      throw fieldError('INVALID_VIA', value, scan.end, WHAT, 'a host as maddr');
    via.maddr = text;
  } else {
    // RFC 3261 §25.1: ttl = 1*3DIGIT ; 0 to 255
    via.ttl = boundedNumber(value, start, stop, 255, 'a ttl 0–255');
  }
}

function expectToken(value: string, start: number, stop: number, expected: string): string {
  if (stop === start) throw fieldError('INVALID_VIA', value, start, WHAT, expected);
  return value.slice(start, stop);
}

/** RFC 3261 §25.1: SLASH = SWS "/" SWS. Returns the index after the slash and whitespace. */
function expectSlash(value: string, index: number, end: number): number {
  const i = skipWhitespace(value, index, end);
  if (i >= end || value.charCodeAt(i) !== 0x2f) {
    throw fieldError('INVALID_VIA', value, i, WHAT, '"/" in the sent-protocol');
  }
  return skipWhitespace(value, i + 1, end);
}

/** Digits at `[start, stop)` as a number ≤ max; checks the digit count before converting. */
function boundedNumber(
  value: string,
  start: number,
  stop: number,
  max: number,
  expected: string,
): number {
  const digitsEnd = skipClass(value, start, stop, DIGIT);
  if (digitsEnd === start || digitsEnd !== stop) {
    throw fieldError('INVALID_VIA', value, digitsEnd === start ? start : digitsEnd, WHAT, expected);
  }
  let first = start;
  while (first < stop - 1 && value.charCodeAt(first) === 0x30) first++;
  if (stop - first > String(max).length || Number(value.slice(first, stop)) > max) {
    throw fieldError('NUMBER_OUT_OF_RANGE', value, start, WHAT, expected);
  }
  return Number(value.slice(first, stop));
}
