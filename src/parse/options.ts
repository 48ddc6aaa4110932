import type { ParserProfile } from './leniency.js';
import type { ParserLimits } from './limits.js';
import type { KeepAliveListener } from './state.js';

/**
 * Options shared by the stream and datagram parsers. All optional; strict by default. Each
 * leniency is a named option; `profile: 'interop'` turns them all on in one word, and a
 * leniency option set to true or false overrides the profile. A message reports every
 * leniency it needed in `leniencies`, and `validate` reports each as a SHOULD issue.
 */
export interface CommonParserOptions {
  /**
   * `'strict'`: RFC 3261 syntax only. `'interop'`: every leniency below on (allowBareLf,
   * allowBareCr, allowStatusWithoutReason, allowRequestLineSpaces, and for datagrams
   * allowUnterminatedHeaders), for input from other stacks and files. A Content-Length larger
   * than the datagram stays an error in both (RFC 3261 §18.3). Risk: the union of the risks of
   * those options; see SECURITY.md before using it behind a proxy.
   * @defaultValue 'strict'
   */
  readonly profile?: ParserProfile;
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
  /**
   * Accept a bare CR (a CR not followed by LF) as a line ending, as old files and some stacks
   * write it; lines may mix CR, LF and CRLF endings. Risk: the highest of all. A parser that
   * does not split on a bare CR reads `Subject: x` CR `Via: …` as one header where this one
   * reads two, so a proxy that forwards such bytes unchanged lets a header be smuggled past
   * the element behind it. Use it only where the bytes are not forwarded.
   * @defaultValue false
   */
  readonly allowBareCr?: boolean;
  /**
   * Accept a Status-Line that ends right after the status code, with no SP and no
   * Reason-Phrase (`SIP/2.0 200`); RFC 3261 §7.2 requires the SP. The reason reads as empty.
   * Risk: low; a response is framed the same way by every reading.
   * @defaultValue false
   */
  readonly allowStatusWithoutReason?: boolean;
  /**
   * Accept a Request-Line whose elements are separated by more than one SP, or that has SP
   * after the SIP-Version (RFC 4475 §3.1.2.9 lwsstart, §3.1.2.10 trws). A Request-URI that
   * holds SP is still refused. Risk: low for framing; an element that forwards the line
   * unchanged passes the malformed line on.
   * @defaultValue false
   */
  readonly allowRequestLineSpaces?: boolean;
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
