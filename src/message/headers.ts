import { splitHeaderList } from './fields/list.js';
import { type HeaderDefinition, headerDefinition } from './header-names.js';
import type { HeaderField, SipMessage } from './types.js';

/**
 * Whether a field's name denotes the header of `definition` (its table row) or, for a header
 * the table does not know, of `lowerName`: the same answer as comparing lower-cased canonical
 * names, since a name whose lower case is a row's is that row's name.
 */
function isNamed(
  field: HeaderField,
  definition: HeaderDefinition | undefined,
  lowerName: string,
): boolean {
  const own = headerDefinition(field.name);
  return definition !== undefined
    ? own === definition
    : own === undefined && field.name.toLowerCase() === lowerName;
}

/** The lower-cased name, read only for a header the table does not know. */
function unknownKey(name: string, definition: HeaderDefinition | undefined): string {
  return definition === undefined ? name.toLowerCase() : '';
}

/**
 * The value of the first field of a header (case-insensitive; `v` and `Via` are the same).
 * @param message - any request or response
 * @param name - a header name in any case, long or compact form
 * @returns the first field's value, or undefined when absent
 * @example getHeader(request, 'call-id')
 */
export function getHeader(message: SipMessage, name: string): string | undefined {
  const definition = headerDefinition(name);
  const key = unknownKey(name, definition);
  for (const field of message.headers) {
    if (isNamed(field, definition, key)) return field.value;
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
  const definition = headerDefinition(name);
  const key = unknownKey(name, definition);
  const headers = message.headers;
  const fields: HeaderField[] = [];
  for (let i = 0; i < headers.length; i++) {
    const field = headers[i] as HeaderField;
    if (isNamed(field, definition, key)) fields.push(field);
  }
  return fields;
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
