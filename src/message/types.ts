/**
 * The message model shared by the parser, the builder, the serializer and the validator:
 * plain readonly data. The parser returns objects of these shapes (with extra lazy
 * accessors); buildResponse takes them as they are and returns them.
 */

/** One header field line of a message, in the order it appeared. */
export interface HeaderField {
  /** Canonical spelling for headers in the header table (`Via` for `v` or `VIA`), else as received. */
  readonly name: string;
  /**
   * The field value: line folding replaced by a single SP, leading and trailing whitespace
   * removed (RFC 3261 §7.3.1). A field holding a comma list (`Via: a, b`) stays one field;
   * `getHeaderValues` splits it.
   */
  readonly value: string;
}

/** A SIP request (RFC 3261 §7.1). */
export interface SipRequest {
  readonly type: 'request';
  /** Method token, case-sensitive (RFC 3261 §7.1). */
  readonly method: string;
  /** Request-URI exactly as it appeared on the Request-Line. */
  readonly uri: string;
  /** SIP-Version as received, e.g. `SIP/2.0`. */
  readonly version: string;
  readonly headers: readonly HeaderField[];
  /** Body bytes; empty when there is none. Content-Length counts these bytes. */
  readonly body: Uint8Array;
}

/** A SIP response (RFC 3261 §7.2). */
export interface SipResponse {
  readonly type: 'response';
  /** SIP-Version as received, e.g. `SIP/2.0`. */
  readonly version: string;
  /** Three-digit status code, 100–699. */
  readonly status: number;
  /** Reason-Phrase, possibly empty, decoded as UTF-8. */
  readonly reason: string;
  readonly headers: readonly HeaderField[];
  /** Body bytes; empty when there is none. */
  readonly body: Uint8Array;
}

/** A request or a response. */
export type SipMessage = SipRequest | SipResponse;
