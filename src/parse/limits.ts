/**
 * Size limits of the parser. Every limit counts bytes on the wire, line endings (and the CRLFs
 * of folded lines) included, and each has its own error code. Each is checked before more bytes
 * are buffered, so a peer that never finishes a message cannot grow memory past them.
 */
export interface ParserLimits {
  /** Longest start line, its CRLF included (→ `START_LINE_TOO_LONG`). */
  readonly maxStartLineBytes: number;
  /**
   * Longest header section: start line, every header field and the empty line that ends the
   * section (→ `HEADER_SECTION_TOO_LARGE`).
   */
  readonly maxHeaderSectionBytes: number;
  /**
   * Longest single header field: from the first byte of its name to its final CRLF, folded
   * continuation lines included (→ `HEADER_LINE_TOO_LONG`).
   */
  readonly maxHeaderLineBytes: number;
  /** Most header fields in one message; folded lines count once (→ `TOO_MANY_HEADERS`). */
  readonly maxHeaderCount: number;
  /** Largest body, from Content-Length or the datagram size (→ `BODY_TOO_LARGE`). */
  readonly maxBodyBytes: number;
}

/**
 * The default limits, chosen for real SIP traffic with a wide margin:
 * - `maxStartLineBytes` 8 KiB: Request-URIs are rarely above a few hundred bytes; RFC 4475's
 *   longest torture line is under 600.
 * - `maxHeaderSectionBytes` 64 KiB: one full UDP datagram (65 535 bytes) always fits, and TCP
 *   peers send the same messages.
 * - `maxHeaderLineBytes` 16 KiB: room for long Identity, Authorization and folded Via fields.
 * - `maxHeaderCount` 256: real messages carry 10–40 fields; RFC 4475 `longreq` has 34 Via fields.
 * - `maxBodyBytes` 1 MiB: SDP and multipart bodies are kilobytes; anything larger belongs in
 *   a session protocol, not SIP signalling.
 */
export const DEFAULT_LIMITS: ParserLimits = Object.freeze({
  maxStartLineBytes: 8 * 1024,
  maxHeaderSectionBytes: 64 * 1024,
  maxHeaderLineBytes: 16 * 1024,
  maxHeaderCount: 256,
  maxBodyBytes: 1024 * 1024,
});

/**
 * Fills in missing limits from DEFAULT_LIMITS and checks the given ones.
 * @param limits - the caller's partial limits
 * @returns a complete set
 * @throws RangeError when a limit is not a non-negative safe integer: NaN or Infinity would
 *   silently switch the limit off, a negative number would make every message fail
 * @internal
 */
export function resolveLimits(limits: Partial<ParserLimits> | undefined): ParserLimits {
  if (limits === undefined) return DEFAULT_LIMITS;
  return {
    maxStartLineBytes: limitOf(limits, 'maxStartLineBytes'),
    maxHeaderSectionBytes: limitOf(limits, 'maxHeaderSectionBytes'),
    maxHeaderLineBytes: limitOf(limits, 'maxHeaderLineBytes'),
    maxHeaderCount: limitOf(limits, 'maxHeaderCount'),
    maxBodyBytes: limitOf(limits, 'maxBodyBytes'),
  };
}

function limitOf(limits: Partial<ParserLimits>, name: keyof ParserLimits): number {
  const value = limits[name];
  if (value === undefined) return DEFAULT_LIMITS[name];
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Invalid parser limit ${name}: expected a non-negative integer, found ${String(value)}`,
    );
  }
  return value;
}
