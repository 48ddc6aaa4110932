/**
 * The parts every request builder shares: options checked into header fields (extra headers
 * through the header table, bodies, name-addrs, numbers), each refusal a ComposeError.
 * Part of buildRequest, buildAck, buildCancel and the in-dialog builder.
 */
import { ComposeError, type ComposeErrorCode } from './compose-errors.js';
import { skipWhitespace, trimEnd } from './fields/charset.js';
import { formatNameAddr } from './fields/format.js';
import { isToken, type NameAddr, parseContentType, parseNameAddr } from './fields/index.js';
import { canonicalHeaderName, headerDefinition } from './header-names.js';
import { checkHeaderValue } from './serialize.js';
import type { HeaderField } from './types.js';

/** One header's value(s) given to a request builder: one string per field. */
export type RequestHeaderValue = string | readonly string[];

/** Extra header fields of a request: any header name (any case, long or compact form). */
export type RequestHeaderInput = { readonly [name: string]: RequestHeaderValue | undefined };

const encoder = new TextEncoder();
const NO_BODY: Uint8Array<ArrayBuffer> = Object.freeze(new Uint8Array(0));

/**
 * The headers the request builders write themselves, each with the option that sets it
 * (RFC 3261 §8.1.1 for the mandatory six; Content-Length is computed by serialize, §20.14).
 * @internal
 */
export const REQUEST_MANAGED_HEADERS: ReadonlyMap<string, string> = new Map([
  ['Via', 'options.via and options.branch'],
  ['Max-Forwards', 'options.maxForwards'],
  ['From', 'options.from and options.fromTag'],
  ['To', 'options.to'],
  ['Call-ID', 'options.callId'],
  ['CSeq', 'options.cseq'],
  ['Contact', 'options.contact'],
  ['Route', 'options.route'],
  ['Content-Type', 'options.contentType'],
  ['Content-Length', 'nothing: serialize computes it from the body'],
]);

/**
 * A ComposeError with the builder's subject.
 * @internal
 */
export function composeError(
  code: ComposeErrorCode,
  subject: string,
  problem: string,
  source: string,
  extra?: { header?: string; advice?: string; cause?: unknown },
): ComposeError {
  return new ComposeError(
    code,
    { subject, header: extra?.header, problem, source, advice: extra?.advice },
    { cause: extra?.cause },
  );
}

/**
 * A header value with surrounding whitespace removed, checked as serialize checks it.
 * @throws ComposeError `code` (INVALID_OPTION by default) for CR, LF or another control
 * @internal
 */
export function checkedValue(
  value: unknown,
  header: string,
  subject: string,
  code: ComposeErrorCode = 'INVALID_OPTION',
): string {
  if (typeof value !== 'string') {
    throw composeError(code, subject, `the value of ${header} is not a string`, 'RFC 3261 §7.3', {
      header,
    });
  }
  // RFC 3261 §7.3.1: surrounding whitespace is not part of a value
  const end = trimEnd(value, 0, value.length);
  const trimmed = value.slice(skipWhitespace(value, 0, end), end);
  try {
    checkHeaderValue(trimmed, header);
  } catch (error) {
    throw composeError(
      code,
      subject,
      `the value of ${header} holds CR, LF or a control character`,
      'RFC 3261 §7.3.1, §25.1',
      {
        header,
        advice: 'remove line breaks and control characters; one header per value',
        cause: error,
      },
    );
  }
  return trimmed;
}

/**
 * `options.headers` → fields: names checked as tokens and written canonically (compact forms
 * accepted), values checked, managed headers refused with the option to use instead.
 * @internal
 */
export function readExtraHeaders(
  input: RequestHeaderInput | undefined,
  subject: string,
): HeaderField[] {
  const fields: HeaderField[] = [];
  if (input === undefined) return fields;
  for (const [rawName, rawValue] of Object.entries(input)) {
    if (rawValue === undefined) continue;
    if (!isToken(rawName)) {
      throw composeError(
        'INVALID_OPTION',
        subject,
        `the header name "${rawName}" in options.headers is not a token`,
        'RFC 3261 §25.1',
      );
    }
    const name = canonicalHeaderName(rawName);
    const option = REQUEST_MANAGED_HEADERS.get(name);
    if (option !== undefined) {
      throw composeError(
        'MANAGED_HEADER',
        subject,
        `${name} is written by the builder, not taken from options.headers`,
        'RFC 3261 §8.1.1, §20.14',
        { header: name, advice: `set it through ${option}` },
      );
    }
    const values: readonly string[] = typeof rawValue === 'string' ? [rawValue] : rawValue;
    if (values.length > 1 && headerDefinition(name)?.kind === 'single') {
      throw composeError(
        'INVALID_OPTION',
        subject,
        `${name} takes a single value, but options.headers gives ${values.length}`,
        'RFC 3261 §7.3',
        { header: name },
      );
    }
    for (const value of values) fields.push({ name, value: checkedValue(value, name, subject) });
  }
  return fields;
}

/**
 * A body option as bytes: text encoded as UTF-8, bytes copied (so the caller may reuse them).
 * @internal
 */
export function bodyBytes(body: Uint8Array | string | undefined): Uint8Array {
  if (body === undefined) return NO_BODY;
  return typeof body === 'string' ? encoder.encode(body) : new Uint8Array(body);
}

/**
 * The body and its Content-Type field: text is encoded as UTF-8, bytes are copied.
 * @throws ComposeError MISSING_CONTENT_TYPE for a body without a type; INVALID_OPTION for a
 * type that does not parse
 * @internal
 */
export function readBody(
  body: Uint8Array | string | undefined,
  contentType: string | undefined,
  subject: string,
): { body: Uint8Array; fields: HeaderField[] } {
  const bytes = bodyBytes(body);
  if (contentType === undefined) {
    if (bytes.byteLength > 0) {
      throw composeError(
        'MISSING_CONTENT_TYPE',
        subject,
        'a body needs a Content-Type',
        'RFC 3261 §7.4.1',
        { header: 'Content-Type', advice: 'pass options.contentType' },
      );
    }
    return { body: bytes, fields: [] };
  }
  const value = checkedValue(contentType, 'Content-Type', subject);
  try {
    parseContentType(value);
  } catch (error) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `options.contentType "${value}" is not a media type`,
      'RFC 3261 §20.15',
      { header: 'Content-Type', cause: error },
    );
  }
  return { body: bytes, fields: [{ name: 'Content-Type', value }] };
}

/**
 * A name-addr option parsed (`Alice <sip:a@b>`, or a bare URI), for From, To, Contact, Route.
 * @throws ComposeError INVALID_OPTION when it does not parse or is `*` where not allowed
 * @internal
 */
export function readNameAddr(
  value: unknown,
  option: string,
  header: string,
  subject: string,
  wildcardAllowed = false,
): NameAddr & { readonly wildcard: boolean } {
  const text = checkedValue(value, header, subject);
  let parsed: NameAddr;
  try {
    parsed = parseNameAddr(text);
  } catch (error) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `${option} "${text}" is not a name-addr or addr-spec`,
      'RFC 3261 §20.10, §25.1',
      { header, cause: error },
    );
  }
  if (parsed.wildcard && !wildcardAllowed) {
    throw composeError('INVALID_OPTION', subject, `${option} may not be "*"`, 'RFC 3261 §10.2.2', {
      header,
    });
  }
  return parsed;
}

/**
 * A name-addr written with a tag set (or kept, when it equals), as From and To need.
 * @throws ComposeError INVALID_OPTION when `tag` is not a token or the value has another tag
 * @internal
 */
export function withTag(
  nameAddr: NameAddr,
  tag: string | undefined,
  option: string,
  header: string,
  subject: string,
): string {
  if (nameAddr.wildcard || tag === undefined) return formatNameAddr(nameAddr);
  if (!isToken(tag)) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `the ${header} tag "${tag}" is not a token`,
      'RFC 3261 §19.3, §25.1',
      {
        header,
      },
    );
  }
  if (nameAddr.tag !== undefined && nameAddr.tag !== tag) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `${option} carries the tag "${nameAddr.tag}", and the tag option says "${tag}"`,
      'RFC 3261 §19.3',
      { header, advice: 'give the tag once' },
    );
  }
  const params = new Map(nameAddr.params);
  params.set('tag', tag);
  return formatNameAddr({ ...nameAddr, params, tag });
}

/**
 * An integer option within a range.
 * @throws ComposeError INVALID_OPTION
 * @internal
 */
export function readInteger(
  value: unknown,
  min: number,
  max: number,
  option: string,
  source: string,
  subject: string,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw composeError(
      'INVALID_OPTION',
      subject,
      `${option} is ${String(value)}, not an integer from ${min} to ${max}`,
      source,
    );
  }
  return value;
}
