/**
 * Editing immutable messages: withHeader, withoutHeader and withBody return a new message and
 * leave the given one as it was. Names are looked up through the header table (any case,
 * compact forms included); values are checked as serialize checks them.
 */
import { ComposeError } from './compose-errors.js';
import { isToken } from './fields/index.js';
import { canonicalHeaderName, headerDefinition, isSameHeaderName } from './header-names.js';
import { hasHeader } from './headers.js';
import { bodyBytes, checkedValue, composeError, readBody } from './request-parts.js';
import type { HeaderField, SipMessage } from './types.js';

const SUBJECT = 'edited message';

function rebuilt<M extends SipMessage>(message: M, headers: HeaderField[], body: Uint8Array): M {
  const frozen = Object.freeze(headers.map((field) => Object.freeze({ ...field })));
  const copy =
    message.type === 'request'
      ? {
          type: 'request' as const,
          method: message.method,
          uri: message.uri,
          version: message.version,
          headers: frozen,
          body,
        }
      : {
          type: 'response' as const,
          version: message.version,
          status: message.status,
          reason: message.reason,
          headers: frozen,
          body,
        };
  return Object.freeze(copy) as unknown as M;
}

function checkedName(name: unknown): string {
  if (typeof name !== 'string' || !isToken(name)) {
    throw composeError(
      'INVALID_HEADER_NAME',
      SUBJECT,
      `the header name "${String(name)}" is not a token`,
      'RFC 3261 §7.3, §25.1',
    );
  }
  return canonicalHeaderName(name);
}

/**
 * A copy of a message with one header set: every field of that header (any spelling) is
 * replaced by the given value(s), at the place of the first one, or appended when there was none.
 * @param message - a request or a response (unchanged)
 * @param name - the header name, any case, long or compact form; written canonically
 * @param value - one value, or one value per field
 * @returns the new message, frozen, as plain data
 * @throws ComposeError INVALID_HEADER_NAME (not a token), INVALID_HEADER_VALUE (CR, LF or a
 * control character; several values for a single-valued header), MANAGED_HEADER (Content-Length,
 * which serialize computes: use withBody)
 * @example
 * ```ts
 * withHeader(request, 'k', '100rel').headers.at(-1); // Supported: 100rel
 * ```
 */
export function withHeader<M extends SipMessage>(
  message: M,
  name: string,
  value: string | readonly string[],
): M {
  const header = checkedName(name);
  if (header === 'Content-Length') {
    throw new ComposeError('MANAGED_HEADER', {
      subject: SUBJECT,
      header,
      problem: 'Content-Length counts the body bytes and is computed by serialize',
      source: 'RFC 3261 §20.14',
      advice: 'use withBody to change the body',
    });
  }
  const values: readonly string[] = typeof value === 'string' ? [value] : value;
  if (values.length > 1 && headerDefinition(header)?.kind === 'single') {
    throw composeError(
      'INVALID_HEADER_VALUE',
      SUBJECT,
      `${header} takes a single value, but ${values.length} are given`,
      'RFC 3261 §7.3',
      { header },
    );
  }
  const fields = values.map((text) => ({
    name: header,
    value: checkedValue(text, header, SUBJECT, 'INVALID_HEADER_VALUE'),
  }));
  const headers: HeaderField[] = [];
  let placed = false;
  for (const field of message.headers) {
    if (!isSameHeaderName(field.name, header)) headers.push(field);
    else if (!placed) {
      headers.push(...fields);
      placed = true;
    }
  }
  if (!placed) headers.push(...fields);
  return rebuilt(message, headers, message.body);
}

/**
 * A copy of a message without any field of one header.
 * @param message - a request or a response (unchanged)
 * @param name - the header name, any case, long or compact form
 * @returns the new message, frozen, as plain data
 * @throws ComposeError INVALID_HEADER_NAME
 */
export function withoutHeader<M extends SipMessage>(message: M, name: string): M {
  const header = checkedName(name);
  const headers = message.headers.filter((field) => !isSameHeaderName(field.name, header));
  return rebuilt(message, headers, message.body);
}

/**
 * A copy of a message with another body. Any Content-Length field is dropped (serialize
 * writes the byte count, RFC 3261 §20.14); Content-Type is set when given, dropped with an
 * empty body and no type.
 * @param message - a request or a response (unchanged)
 * @param body - bytes (copied) or text encoded as UTF-8
 * @param contentType - the media type; needed for a non-empty body unless the message has one
 * @returns the new message, frozen, as plain data
 * @throws ComposeError MISSING_CONTENT_TYPE, INVALID_OPTION (a type that does not parse)
 */
export function withBody<M extends SipMessage>(
  message: M,
  body: Uint8Array | string,
  contentType?: string,
): M {
  const hasType = hasHeader(message, 'Content-Type');
  // A body keeps the message's Content-Type when no new one is given
  const keepType = contentType === undefined && hasType && bodyBytes(body).byteLength > 0;
  const read = keepType
    ? { body: bodyBytes(body), fields: [] }
    : readBody(body, contentType, SUBJECT);
  const headers = message.headers.filter((field) => {
    const canonical = canonicalHeaderName(field.name);
    if (canonical === 'Content-Length') return false;
    return canonical !== 'Content-Type' || keepType;
  });
  headers.push(...read.fields);
  return rebuilt(message, headers, read.body);
}
