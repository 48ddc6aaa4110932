/**
 * Small builders of messages for the src/message tests: a request from header pairs, without
 * going through the parser, so each test states exactly the fields it needs.
 */
import type { HeaderField, SipRequest } from '../../src/message/index.js';

/** The header fields of a plain out-of-dialog INVITE (RFC 3261 §8.1.1), in wire order. */
export const INVITE_HEADERS: readonly (readonly [string, string])[] = [
  ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds'],
  ['Max-Forwards', '70'],
  ['To', 'Bob <sip:bob@biloxi.example.com>'],
  ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
  ['Call-ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
  ['CSeq', '314159 INVITE'],
  ['Contact', '<sip:alice@pc33.atlanta.example.com>'],
];

/**
 * A request object of the SipRequest shape.
 * @param method - the method; the CSeq of the default headers follows it
 * @param headers - header pairs; defaults to INVITE_HEADERS with the CSeq method replaced
 * @param extra - more header pairs appended after `headers`
 */
export function makeRequest(
  method: string,
  headers?: readonly (readonly [string, string])[],
  extra: readonly (readonly [string, string])[] = [],
  uri = 'sip:bob@biloxi.example.com',
): SipRequest {
  const base =
    headers ??
    INVITE_HEADERS.map(([name, value]): readonly [string, string] =>
      name === 'CSeq' ? [name, `314159 ${method}`] : [name, value],
    );
  const fields: HeaderField[] = [...base, ...extra].map(([name, value]) => ({ name, value }));
  return {
    type: 'request',
    method,
    uri,
    version: 'SIP/2.0',
    headers: fields,
    body: new Uint8Array(0),
  };
}

/** The value of every field named `name` (exact spelling), in order. */
export function fieldValues(headers: readonly HeaderField[], name: string): string[] {
  return headers.filter((field) => field.name === name).map((field) => field.value);
}
