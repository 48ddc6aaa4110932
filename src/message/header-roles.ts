/**
 * Where headers belong in a response: the ones only requests carry, and the ones the builder
 * copies from the request or computes itself. Read by buildResponse (which refuses them in
 * `options.headers`) and by validate.
 */

/**
 * Headers of requests only ("R" in the where column of RFC 3261 §20, Tables 2–3): a response
 * never copies them, and a receiver ignores them in a response (§7.3.2).
 * @internal
 */
export const REQUEST_ONLY_HEADERS = [
  'Max-Forwards',
  'Route',
  'Proxy-Require',
  'Authorization',
  'Proxy-Authorization',
  'Priority',
  'Subject',
  'In-Reply-To',
] as const;

/** A header that belongs in requests only. */
export type RequestOnlyHeaderName = (typeof REQUEST_ONLY_HEADERS)[number];

/**
 * Headers buildResponse copies from the request (RFC 3261 §8.2.6.2, §12.1.1) or computes
 * (Content-Length, §20.14); a caller cannot set them.
 * @internal
 */
export const MANAGED_HEADERS = [
  'Via',
  'Record-Route',
  'From',
  'To',
  'Call-ID',
  'CSeq',
  'Content-Length',
] as const;

/** A header buildResponse copies or computes. */
export type ManagedHeaderName = (typeof MANAGED_HEADERS)[number];

/**
 * The headers every message must carry (RFC 3261 §8.1.1 for requests; a response copies
 * Via, From, To, Call-ID and CSeq from its request, §8.2.6.2).
 * @internal
 */
export const MANDATORY_HEADERS: Readonly<Record<'request' | 'response', readonly string[]>> = {
  request: ['To', 'From', 'CSeq', 'Call-ID', 'Max-Forwards', 'Via'],
  response: ['To', 'From', 'CSeq', 'Call-ID', 'Via'],
};
