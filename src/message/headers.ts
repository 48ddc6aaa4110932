import { splitHeaderList } from './fields/list.js';
import { canonicalHeaderName, headerDefinition } from './header-names.js';
import type { HeaderField, SipMessage } from './types.js';

/** Lower-cased canonical name: the key under which compact, long and any-case names agree. */
function headerKey(name: string): string {
  return canonicalHeaderName(name).toLowerCase();
}

/**
 * The value of the first field of a header (case-insensitive; `v` and `Via` are the same).
 * @param message - any request or response
 * @param name - a header name in any case, long or compact form
 * @returns the first field's value, or undefined when absent
 * @example getHeader(request, 'call-id')
 */
export function getHeader(message: SipMessage, name: string): string | undefined {
  const key = headerKey(name);
  for (const field of message.headers) {
    if (headerKey(field.name) === key) return field.value;
  }
  return undefined;
}

/**
 * Every field of a header, in message order (case-insensitive; compact = long form).
 * @param message - any request or response
 * @param name - a header name in any case, long or compact form
 * @returns the fields, possibly none
 */
export function getHeaders(message: SipMessage, name: string): HeaderField[] {
  const key = headerKey(name);
  return message.headers.filter((field) => headerKey(field.name) === key);
}

/**
 * Every value of a header in order. For a `list` header of the table (Via, Contact, Route,
 * Supported …) each field is split on its top-level commas (RFC 3261 §7.3.1), so
 * `Via: a, b` and two Via fields give the same result; `Contact: *` stays `*`. For other
 * headers (single-valued, never-combined like WWW-Authenticate, or unknown) each field's
 * value is returned whole.
 * @param message - any request or response
 * @param name - a header name in any case, long or compact form
 * @returns the values, possibly none
 * @throws ParseError INVALID_HEADER_VALUE or INVALID_QUOTED_STRING when a list field cannot
 * be split (an empty element, an unclosed quote, "<" or "(")
 */
export function getHeaderValues(message: SipMessage, name: string): string[] {
  const fields = getHeaders(message, name);
  if (headerDefinition(name)?.kind !== 'list') return fields.map((field) => field.value);
  const values: string[] = [];
  for (const field of fields) {
    for (const element of splitHeaderList(field.value)) values.push(element);
  }
  return values;
}

/**
 * Whether a message has at least one field of a header (case-insensitive; compact = long).
 * @param message - any request or response
 * @param name - a header name in any case, long or compact form
 * @returns true when present
 */
export function hasHeader(message: SipMessage, name: string): boolean {
  return getHeader(message, name) !== undefined;
}
