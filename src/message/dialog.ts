/**
 * Small facts about a request and its response that the rule evaluator, the builder and the
 * validator share, so they decide them alike: which responses create a dialog, the To tag and
 * CSeq method, the SIPS Contact rule, extensions the request offered, and Allow's ACK/CANCEL.
 */
import { isProvisional, isSuccess, StatusCode } from '../codes/index.js';
import { parseCSeq, parseNameAddr, parseOptionTags } from './fields/index.js';
import {
  HEADER_DEFINITIONS,
  type HeaderDefinition,
  headerDefinition,
  type KnownHeaderName,
} from './header-names.js';
import { getHeader, getHeaders, getHeaderValues, hasHeader } from './headers.js';
import type { HeaderField, SipMessage, SipRequest } from './types.js';

const ID_BY_DEFINITION = new Map<HeaderDefinition, number>();
for (const [id, definition] of (HEADER_DEFINITIONS as readonly HeaderDefinition[]).entries()) {
  ID_BY_DEFINITION.set(definition, id);
}

/**
 * Spelling → row: the spellings met on every call (the canonical one the parser and the
 * builder write, lower case, the compact form), then the others as they are met (extension
 * headers such as X-… come back on every request), up to a bound.
 */
const ID_BY_SPELLING = new Map<string, number>();
const LEARNED_SPELLINGS_MAX = 512;
let learnedSpellings = 0;

function resetSpellings(): void {
  ID_BY_SPELLING.clear();
  for (const [definition, id] of ID_BY_DEFINITION) {
    ID_BY_SPELLING.set(definition.name, id);
    ID_BY_SPELLING.set(definition.name.toLowerCase(), id);
    if (definition.compact !== undefined) ID_BY_SPELLING.set(definition.compact, id);
  }
  learnedSpellings = 0;
}
resetSpellings();

/**
 * The row of a header name in the header table (any case, long or compact form), or -1 for a
 * header the table does not know. Two names denote the same header exactly when their ids are
 * equal and not -1, the same answer `getHeader` gives for every header of the table.
 * @internal
 */
export function headerIdOf(name: string): number {
  const known = ID_BY_SPELLING.get(name);
  if (known !== undefined) return known;
  const definition = headerDefinition(name);
  const id = definition === undefined ? -1 : (ID_BY_DEFINITION.get(definition) ?? -1);
  if (learnedSpellings >= LEARNED_SPELLINGS_MAX) resetSpellings();
  ID_BY_SPELLING.set(name, id);
  learnedSpellings++;
  return id;
}

/**
 * The id of a header of the table, for constants.
 * @internal
 */
export function knownHeaderId(name: KnownHeaderName): number {
  return headerIdOf(name);
}

/**
 * The header id of every field, in order: read once, then each lookup of a header of the table
 * is a scan of small integers.
 * @param headers - a message's fields
 * @internal
 */
export function headerIds(headers: readonly HeaderField[]): number[] {
  const ids: number[] = [];
  for (let i = 0; i < headers.length; i++) ids.push(headerIdOf((headers[i] as HeaderField).name));
  return ids;
}

/**
 * The position of the next field with header id `id` at or after `from`, or -1: a plain loop,
 * cheaper than a call of Array.prototype.indexOf on lists this short.
 * @internal
 */
export function nextField(ids: readonly number[], id: number, from = 0): number {
  for (let i = from; i < ids.length; i++) if (ids[i] === id) return i;
  return -1;
}

/**
 * Methods whose 2xx creates a dialog: INVITE (RFC 3261 §12.1), SUBSCRIBE (RFC 6665 §4.1.2.1)
 * and REFER, which creates an implicit subscription (RFC 3515), as the table's `createsDialog`
 * condition says.
 * @internal
 */
export const DIALOG_CREATING_METHODS: readonly string[] = ['INVITE', 'SUBSCRIBE', 'REFER'];

/**
 * Whether a response establishes an early dialog: 101–199 with a To tag to INVITE
 * (RFC 3261 §12.1, §13.3.1.1).
 * @param method - the request method; undefined when unknown
 * @param code - the status code
 * @param toHasTag - whether the response's To carries a tag; undefined when unknown
 * @returns true / false, or undefined when the answer depends on an unknown input
 * @internal
 */
export function createsEarlyDialog(
  method: string | undefined,
  code: number,
  toHasTag: boolean | undefined,
): boolean | undefined {
  if (!isProvisional(code) || code === StatusCode.TRYING) return false;
  if (method === undefined) return undefined;
  if (method !== 'INVITE') return false;
  return toHasTag;
}

/**
 * Whether a response creates a dialog: a 2xx to INVITE, SUBSCRIBE or REFER, or an
 * early-dialog 1xx (RFC 3261 §12.1).
 * @returns true / false, or undefined when the answer depends on an unknown input
 * @internal
 */
export function createsDialog(
  method: string | undefined,
  code: number,
  toHasTag: boolean | undefined,
): boolean | undefined {
  if (isSuccess(code))
    return method === undefined ? undefined : DIALOG_CREATING_METHODS.includes(method);
  return createsEarlyDialog(method, code, toHasTag);
}

/**
 * The tag of a message's To header.
 * @returns `{ tag }` (tag undefined when the To has none), or undefined when the message has
 * no To or its value does not parse
 * @internal
 */
export function readToTag(message: SipMessage): { readonly tag: string | undefined } | undefined {
  const to = getHeader(message, 'To');
  return to === undefined ? undefined : toTagOf(to);
}

/**
 * The tag of a To value.
 * @returns `{ tag }` (tag undefined when the value has none), or undefined when it does not
 * parse
 * @internal
 */
export function toTagOf(value: string): { readonly tag: string | undefined } | undefined {
  try {
    const parsed = parseNameAddr(value);
    return { tag: parsed.wildcard ? undefined : parsed.tag };
  } catch {
    return undefined;
  }
}

/**
 * The method of a message's CSeq (RFC 3261 §20.16), or undefined when absent or malformed.
 * @internal
 */
export function readCSeqMethod(message: SipMessage): string | undefined {
  const cseq = getHeader(message, 'CSeq');
  if (cseq === undefined) return undefined;
  try {
    return parseCSeq(cseq).method;
  } catch {
    return undefined;
  }
}

function isSipsUri(uri: string): boolean {
  return uri.slice(0, 5).toLowerCase() === 'sips:';
}

/** The URI of the first value of a name-addr header, or undefined when absent or malformed. */
function firstAddressUri(message: SipMessage, header: string): string | undefined {
  try {
    const first = getHeaderValues(message, header)[0];
    if (first === undefined) return undefined;
    const parsed = parseNameAddr(first);
    return parsed.wildcard ? undefined : parsed.uriText;
  } catch {
    return undefined;
  }
}

/**
 * RFC 3261 §12.1.1: the Contact of a dialog-creating response MUST be a SIPS URI when the
 * request's Request-URI, or its top Record-Route (or its Contact when it has no Record-Route),
 * is a SIPS URI.
 * @param request - the request answered
 * @returns whether the response's Contact must be SIPS
 * @internal
 */
export function requiresSipsContact(request: SipRequest): boolean {
  if (isSipsUri(request.uri)) return true;
  const routeOrContact =
    firstAddressUri(request, 'Record-Route') ??
    (hasHeader(request, 'Record-Route') ? undefined : firstAddressUri(request, 'Contact'));
  return routeOrContact !== undefined && isSipsUri(routeOrContact);
}

/**
 * The Contact values of a message whose URI is not SIPS (malformed ones included).
 * @internal
 */
export function nonSipsContacts(message: SipMessage): string[] {
  let values: string[];
  try {
    values = getHeaderValues(message, 'Contact');
  } catch {
    return getHeaders(message, 'Contact').map((field) => field.value);
  }
  return values.filter((value) => {
    try {
      const parsed = parseNameAddr(value);
      return parsed.wildcard || !isSipsUri(parsed.uriText);
    } catch {
      return true;
    }
  });
}

/**
 * RFC 3261 §20.5: Allow lists every method the UA understands, ACK and CANCEL included; a UA
 * that understands INVITE understands both (§13, §9.2).
 * @param methods - the methods an Allow header lists
 * @returns the methods it should list as well, possibly none
 * @internal
 */
export function methodsMissingFromAllow(methods: readonly string[]): string[] {
  if (!methods.includes('INVITE')) return [];
  return ['ACK', 'CANCEL'].filter((method) => !methods.includes(method));
}

/**
 * Every option-tag of every field of a header, lower-cased: option-tags are tokens, and
 * tokens compare case-insensitively (RFC 3261 §7.3.1). Malformed fields are skipped.
 */
function listedOptionTags(message: SipMessage, header: string): string[] {
  const tags: string[] = [];
  for (const field of getHeaders(message, header)) {
    try {
      for (const tag of parseOptionTags(field.value)) tags.push(tag.toLowerCase());
    } catch {
      // a malformed list is reported by validate as INVALID_HEADER_VALUE
    }
  }
  return tags;
}

/**
 * RFC 3261 §8.2.4: a response may apply (and list in Require) only the extensions the request
 * listed in Supported or Require; a 421 and a 494 are the exceptions, as they name an
 * extension the request lacks (RFC 3329 §2.3.2). RFC 3262 §3 applies this to 100rel.
 * @param request - the request answered
 * @param code - the response's code
 * @param response - the response
 * @returns the response's Require option-tags the request did not offer, possibly none
 * @internal
 */
export function unofferedExtensions(
  request: SipRequest,
  code: number,
  response: SipMessage,
): string[] {
  if (code === StatusCode.EXTENSION_REQUIRED || code === StatusCode.SECURITY_AGREEMENT_REQUIRED)
    return [];
  const required = listedOptionTags(response, 'Require');
  // Most responses require nothing: then the request's lists need not be read
  if (required.length === 0) return required;
  const offered = [
    ...listedOptionTags(request, 'Supported'),
    ...listedOptionTags(request, 'Require'),
  ];
  return required.filter((tag) => !offered.includes(tag));
}
