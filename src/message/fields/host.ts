import type { ParseErrorCode } from '../../parse/errors.js';
import { ALPHA, DIGIT, HEX, HOST, isClass, skipClass } from './charset.js';
import { fieldError } from './errors.js';

/** Result of scanning a host: its normalised text and the index past it. @internal */
export interface HostScan {
  /** Lower-cased host; an IPv6 reference keeps its brackets. */
  readonly host: string;
  readonly end: number;
}

/**
 * Scans `host = hostname / IPv4address / IPv6reference` (RFC 3261 §25.1) from `start`.
 * An IPv6 reference follows RFC 5118: the RFC 4291 text forms, the three-colon form of RFC
 * 3261's ABNF bug before an IPv4 tail (RFC 5118 §4.10), and a zone (`%25` then zone-id,
 * RFC 6874 §2). Hostname labels must start and end with alphanum, the top label with ALPHA.
 * @param text - the whole string (offsets in errors count from its start)
 * @param start - where the host begins
 * @param end - the limit of the scan
 * @param code - the error code to throw
 * @param what - the thing being parsed, for the message (`Invalid URI`)
 * @returns the lower-cased host and the index after it
 * @throws ParseError `code` when no valid host starts at `start`
 * @internal
 */
export function scanHost(
  text: string,
  start: number,
  end: number,
  code: ParseErrorCode,
  what: string,
): HostScan {
  if (start < end && text.charCodeAt(start) === 0x5b) {
    const close = text.indexOf(']', start + 1);
    if (close === -1 || close >= end) {
      throw fieldError(code, text, start, what, 'an IPv6 reference closed by "]"');
    }
    const bad = checkIPv6(text, start + 1, close);
    if (bad >= 0) throw fieldError(code, text, bad, what, 'an IPv6 address (RFC 5118)');
    return { host: text.slice(start, close + 1).toLowerCase(), end: close + 1 };
  }
  const stop = skipClass(text, start, end, HOST);
  if (stop === start) {
    throw fieldError(code, text, start, what, 'a host (hostname, IPv4 address or [IPv6])');
  }
  const bad = checkHostname(text, start, stop);
  if (bad >= 0) {
    throw fieldError(code, text, bad, what, 'a hostname or an IPv4 address (RFC 3261 §25.1)');
  }
  return { host: text.slice(start, stop).toLowerCase(), end: stop };
}

/**
 * Checks a run of alphanum / "-" / "." as an IPv4address or a hostname.
 * @returns -1 when valid, else the index of the problem
 */
function checkHostname(text: string, start: number, end: number): number {
  if (looksNumeric(text, start, end)) return checkIPv4(text, start, end);
  // RFC 3261 §25.1: hostname = *( domainlabel "." ) toplabel [ "." ]
  let stop = end;
  if (text.charCodeAt(stop - 1) === 0x2e) stop--;
  let labelStart = start;
  for (let i = start; i <= stop; i++) {
    if (i < stop && text.charCodeAt(i) !== 0x2e) continue;
    if (i === labelStart) return i;
    // domainlabel and toplabel begin and end with alphanum; "-" only inside
    if (text.charCodeAt(labelStart) === 0x2d) return labelStart;
    if (text.charCodeAt(i - 1) === 0x2d) return i - 1;
    if (i === stop && !isClass(text, labelStart, ALPHA)) return labelStart;
    labelStart = i + 1;
  }
  return -1;
}

/** True when the run holds only digits and dots (so it must be an IPv4 address). */
function looksNumeric(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x2e && (code < 0x30 || code > 0x39)) return false;
  }
  return true;
}

/**
 * Checks `IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`, each 0–255.
 * @returns -1 when valid, else the index of the problem
 * @internal
 */
export function checkIPv4(text: string, start: number, end: number): number {
  let i = start;
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (i >= end || text.charCodeAt(i) !== 0x2e) return i;
      i++;
    }
    const digitsEnd = skipClass(text, i, end, DIGIT);
    if (digitsEnd === i || digitsEnd - i > 3) return i;
    if (Number(text.slice(i, digitsEnd)) > 255) return i;
    i = digitsEnd;
  }
  return i === end ? -1 : i;
}

/**
 * Checks an IPv6 address (without brackets) in RFC 4291 §2.2 text form, tolerating the
 * `hexpart ":" IPv4address` reading of RFC 3261's ABNF bug (`2001:db8:::192.0.2.1`, RFC 5118
 * §4.10) and an RFC 6874 zone (`%25` then 1*( unreserved / escaped )).
 * @returns -1 when valid, else the index of the problem
 * @internal
 */
export function checkIPv6(text: string, start: number, end: number): number {
  let stop = end;
  let zone = start;
  while (zone < end && text.charCodeAt(zone) !== 0x25) zone++;
  if (zone < end) {
    const bad = checkZone(text, zone, end);
    if (bad >= 0) return bad;
    stop = zone;
  }
  let pieces = 0;
  let compressed = false;
  let i = start;
  if (i + 1 < stop && text.charCodeAt(i) === 0x3a && text.charCodeAt(i + 1) === 0x3a) {
    compressed = true;
    i += 2;
    if (i < stop && text.charCodeAt(i) === 0x3a) {
      // RFC 5118 §4.10: the ABNF-bug form ":::" is tolerated only before an IPv4 tail
      return checkIPv4(text, i + 1, stop) === -1 ? -1 : i;
    }
  } else if (i < stop && text.charCodeAt(i) === 0x3a) {
    return i;
  }
  while (i < stop) {
    const hexEnd = skipClass(text, i, stop, HEX);
    if (hexEnd < stop && text.charCodeAt(hexEnd) === 0x2e) {
      // an IPv4 tail counts as two pieces and must end the address
      const bad = checkIPv4(text, i, stop);
      if (bad >= 0) return bad;
      pieces += 2;
      i = stop;
      break;
    }
    if (hexEnd === i || hexEnd - i > 4) return i;
    pieces++;
    i = hexEnd;
    if (i === stop) break;
    if (text.charCodeAt(i) !== 0x3a) return i;
    i++;
    if (i < stop && text.charCodeAt(i) === 0x3a) {
      // RFC 4291 §2.2: "::" may appear only once
      if (compressed) return i - 1;
      compressed = true;
      i++;
      if (i < stop && text.charCodeAt(i) === 0x3a) {
        if (checkIPv4(text, i + 1, stop) !== -1) return i;
        return pieces + 2 <= 7 ? -1 : start;
      }
    } else if (i === stop) {
      return i - 1;
    }
  }
  if (compressed ? pieces > 7 : pieces !== 8) return start;
  return -1;
}

/** Checks an RFC 6874 zone `%25` 1*( unreserved / pct-encoded ) starting at the `%`. */
function checkZone(text: string, zone: number, end: number): number {
  if (text.slice(zone, zone + 3) !== '%25' || zone + 3 >= end) return zone;
  for (let i = zone + 3; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x25) {
      if (!isClass(text, i + 1, HEX) || !isClass(text, i + 2, HEX) || i + 2 >= end) return i;
      i += 2;
    } else if (!isClass(text, i, ALPHA | DIGIT) && '-._~'.indexOf(text[i] ?? '') === -1) {
      return i;
    }
  }
  return -1;
}
