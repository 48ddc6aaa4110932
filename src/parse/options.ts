import type { ParserLimits } from './limits.js';
import type { KeepAliveListener } from './state.js';

/** Options shared by the stream and datagram parsers. All optional; strict by default. */
export interface CommonParserOptions {
  /**
   * Size limits; any left out take their DEFAULT_LIMITS value. Each must be a non-negative
   * integer (createParser and parseDatagram throw a RangeError otherwise).
   * @defaultValue DEFAULT_LIMITS
   */
  readonly limits?: Partial<ParserLimits>;
  /**
   * Accept a bare LF where RFC 3261 §7 requires CRLF (start line, header lines, the empty line,
   * keep-alives). Risk: a peer whose lines end in CRLF and a peer that also splits on LF can
   * disagree about where a header ends, which lets a crafted message smuggle a header past
   * one of them. Turn it on only for known LF-only sources (files, RFC 5118's archive).
   * @defaultValue false
   */
  readonly allowBareLf?: boolean;
}

/** Options of the stream parser (createParser, createParserStream). */
export interface ParserOptions extends CommonParserOptions {
  /**
   * Called for each CRLF between messages (RFC 3261 §7.5, RFC 5626 §3.5.1), with the offset
   * of its CR. Consecutive CRLFs are counted since the last message: the 1st, 3rd, 5th … is
   * reported as `'pong'` and the 2nd, 4th … as `'ping'`, so a CRLFCRLF ping shows up as a
   * pong followed by a ping, whatever the chunking. A transport answers each `'ping'` with a
   * single CRLF (a pong). The listener must not throw.
   * @defaultValue undefined (keep-alives are consumed silently)
   */
  readonly onKeepAlive?: KeepAliveListener;
}

/** Options of the datagram parser (parseDatagram, parseMessage). */
export interface DatagramOptions extends CommonParserOptions {
  /**
   * Accept a datagram whose header section is not closed by an empty line, when it ends right
   * after a complete header line: the message then has no body. Risk: a datagram cut short in
   * transit parses as complete, with headers (and the body) missing.
   * @defaultValue false
   */
  readonly allowUnterminatedHeaders?: boolean;
}
