/**
 * What a request object may already know about itself, so that buildResponse need not work it
 * out again: the parser's messages hold every field's header id in their field table, and can
 * keep what was read from a value for the next response to the same request (a 100 Trying,
 * then the final response). An internal protocol: src/parse implements it, src/message only
 * declares it, and a request without it (a plain SipRequest) gets the same answers the long way.
 */
import { headerIds, knownHeaderId, toTagOf } from './dialog.js';
import type { RequestIdentity } from './to-tag.js';
import type { HeaderField, SipRequest } from './types.js';

/**
 * Key of a method returning `headerIds(headers)` for `this.headers`, computed once: or
 * undefined when a name of `headers` is not the one the request knows the id of (a caller
 * changed it), so such a change is never missed.
 * @internal
 */
export const HEADER_IDS: unique symbol = Symbol('sipwire.headerIds');

/**
 * Key of a method returning `toTagOf(value)`, for the value of the request's To, kept for the
 * next call with the same value.
 * @internal
 */
export const TO_TAG_OF: unique symbol = Symbol('sipwire.toTagOf');

/**
 * Key of a method returning the request's identity for its To tag (to-tag.ts), read through the
 * parser's cached accessors.
 * @internal
 */
export const IDENTITY: unique symbol = Symbol('sipwire.identity');

/**
 * The facts a request may know (the parser's requests do).
 * @internal
 */
export interface KnownRequestFacts {
  [HEADER_IDS](headers: readonly HeaderField[]): readonly number[] | undefined;
  [TO_TAG_OF](value: string): { readonly tag: string | undefined } | undefined;
  [IDENTITY](): RequestIdentity;
}

function knowsHeaderIds(request: SipRequest): request is SipRequest & KnownRequestFacts {
  return HEADER_IDS in request;
}

function knowsIdentity(request: SipRequest): request is SipRequest & KnownRequestFacts {
  return IDENTITY in request;
}

function knowsToTag(request: SipRequest): request is SipRequest & KnownRequestFacts {
  return TO_TAG_OF in request;
}

/**
 * `headerIds(request.headers)`: the request's own when it knows them, else read from the names.
 * @internal
 */
export function requestHeaderIds(request: SipRequest): readonly number[] {
  const headers = request.headers;
  return (knowsHeaderIds(request) ? request[HEADER_IDS](headers) : undefined) ?? headerIds(headers);
}

/**
 * `toTagOf(value)` for the value of the request's To: kept by the request when it can.
 * @internal
 */
export function requestToTagOf(
  request: SipRequest,
  value: string,
): { readonly tag: string | undefined } | undefined {
  return knowsToTag(request) ? request[TO_TAG_OF](value) : toTagOf(value);
}

/**
 * The request's identity (to-tag.ts) when the request knows it; undefined when it does not, so
 * the caller reads it from the fields.
 * @internal
 */
export function requestIdentity(request: SipRequest): RequestIdentity | undefined {
  return knowsIdentity(request) ? request[IDENTITY]() : undefined;
}

const RECORD_ROUTE = knownHeaderId('Record-Route');
const CONTACT = knownHeaderId('Contact');
/** Where a SIPS URI would show in text: its scheme, in any case (RFC 3261 §19.1.1). */
const SIPS_SCHEME = /sips:/i;

/**
 * False when the request cannot make a dialog's Contact SIPS (`requiresSipsContact`): neither
 * its Request-URI nor any Record-Route or Contact field holds the text `sips:`, so no URI read
 * from them can be a SIPS URI. A scan of the text that spares parsing the top Record-Route on
 * every dialog-creating build; true means "ask requiresSipsContact".
 * @param ids - `requestHeaderIds(request)`
 * @internal
 */
export function mayRequireSipsContact(request: SipRequest, ids: readonly number[]): boolean {
  const uri: unknown = request.uri;
  if (typeof uri !== 'string' || SIPS_SCHEME.test(uri)) return true;
  const headers = request.headers;
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] !== RECORD_ROUTE && ids[i] !== CONTACT) continue;
    const value: unknown = (headers[i] as HeaderField).value;
    if (typeof value !== 'string' || SIPS_SCHEME.test(value)) return true;
  }
  return false;
}
