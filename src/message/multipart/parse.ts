import { escapeForMessage } from '../../errors.js';
import { ParseError } from '../../parse/errors.js';
import { isClass, TOKEN } from '../fields/charset.js';
import { type ContentDisposition, parseContentDisposition } from '../fields/content-disposition.js';
import { type ContentType, parseContentType } from '../fields/content-type.js';
import type { HeaderField } from '../types.js';
import { checkBoundary, indexOfBytes } from './boundary.js';
import { multipartError } from './errors.js';

/** A parsed multipart body (RFC 2046 §5.1). Byte arrays are copies: the input may be reused. */
export interface MultipartBody {
  /** The multipart subtype, lower-cased: `mixed`, `alternative`, `related` … */
  readonly subtype: string;
  /** The boundary parameter of the Content-Type. */
  readonly boundary: string;
  /** Bytes before the first delimiter (to be ignored, RFC 2046 §5.1.1). */
  readonly preamble: Uint8Array;
  /** The body parts, in order. */
  readonly parts: readonly MultipartPart[];
  /** Bytes after the close delimiter's line (to be ignored). */
  readonly epilogue: Uint8Array;
}

/** One body part (RFC 2046 §5.1.1, RFC 5621 §3). */
export interface MultipartPart {
  /** Its header fields in order, names as received, values unfolded and trimmed. */
  readonly headers: readonly HeaderField[];
  /** Its body bytes, exactly as between the blank line and the next delimiter's CRLF. */
  readonly body: Uint8Array;
  /** Its Content-Type, parsed; undefined when absent (RFC 2046 §5.1: then text/plain). */
  readonly contentType: ContentType | undefined;
  /** Its Content-Disposition, parsed (RFC 5621 §3.2: handling=required / optional). */
  readonly contentDisposition: ContentDisposition | undefined;
  /** Its Content-ID without the angle brackets (RFC 2045 §7), for cid: URLs. */
  readonly contentId: string | undefined;
  /** The parsed parts when the part is itself multipart/* (RFC 5621 §3.1: nesting). */
  readonly multipart: MultipartBody | undefined;
  /** Byte offset of the part's first byte (after its delimiter line) in the outermost body. */
  readonly offset: number;
}

/** Options of parseMultipart. */
export interface ParseMultipartOptions {
  /** How deep multipart parts may nest inside this body. @defaultValue 8 */
  readonly maxDepth?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A delimiter line: where it starts (its CRLF, or 0) and where what follows it begins. */
interface Delimiter {
  readonly start: number;
  readonly after: number;
  readonly close: boolean;
}

/**
 * Parses a multipart body (RFC 2046 §5.1, RFC 5621): finds the delimiters of the boundary
 * given in the Content-Type, splits preamble, parts and epilogue, reads each part's header
 * fields (Content-Type, Content-Disposition with handling, Content-ID) and parses nested
 * multipart parts. Binary-safe: a part body is bytes, never decoded.
 * @param body - the message body
 * @param contentType - the message's Content-Type, as a string or parsed
 * @param options - nesting limit
 * @returns preamble, parts and epilogue
 * @throws MultipartError NOT_MULTIPART, MISSING_BOUNDARY, INVALID_BOUNDARY for the
 * Content-Type; MISSING_DELIMITER, MISSING_CLOSE_DELIMITER, NO_PARTS, MISSING_BLANK_LINE,
 * INVALID_PART_HEADER, NESTING_TOO_DEEP with the byte offset for the body
 * @example
 * ```ts
 * const { parts } = parseMultipart(body, 'multipart/mixed;boundary=unique-boundary-1');
 * parts[0]?.contentType?.subtype // 'sdp'
 * ```
 */
export function parseMultipart(
  body: Uint8Array,
  contentType: string | ContentType,
  options: ParseMultipartOptions = {},
): MultipartBody {
  return parseAt(body, 0, body.length, contentType, options.maxDepth ?? 8, 0);
}

function parseAt(
  bytes: Uint8Array,
  from: number,
  to: number,
  contentType: string | ContentType,
  depthLeft: number,
  base: number,
): MultipartBody {
  const type = readType(contentType);
  const boundary = type.params.get('boundary');
  if (boundary === undefined) {
    throw multipartError(
      'MISSING_BOUNDARY',
      'Missing boundary',
      `a multipart Content-Type needs a boundary parameter (RFC 2046 §5.1.1), found "${escapeForMessage(typeText(contentType))}"`,
    );
  }
  checkBoundary(boundary);
  const dashBoundary = encoder.encode(`--${boundary}`);
  const body = bytes.subarray(from, to);
  const first = findDelimiter(body, dashBoundary, 0);
  if (first === undefined) {
    throw multipartError(
      'MISSING_DELIMITER',
      'Missing delimiter',
      `expected a line "--${escapeForMessage(boundary)}" starting the first part (RFC 2046 §5.1.1)`,
      base,
    );
  }
  if (first.close) {
    throw multipartError(
      'NO_PARTS',
      'No parts',
      'expected at least one body part before the close delimiter (RFC 2046 §5.1.1)',
      base + first.start,
    );
  }
  const parts: MultipartPart[] = [];
  let previous = first;
  for (;;) {
    const next = findDelimiter(body, dashBoundary, previous.after);
    if (next === undefined) {
      throw multipartError(
        'MISSING_CLOSE_DELIMITER',
        'Missing close delimiter',
        `expected "--${escapeForMessage(boundary)}--" after the last part (RFC 2046 §5.1.1)`,
        base + body.length,
        parts.length,
      );
    }
    parts.push(parsePart(body, previous.after, next.start, base, parts.length, depthLeft));
    if (next.close) {
      return {
        subtype: type.subtype,
        boundary,
        preamble: body.slice(0, first.start),
        parts,
        epilogue: body.slice(next.after),
      };
    }
    previous = next;
  }
}

function readType(contentType: string | ContentType): ContentType {
  let type: ContentType;
  try {
    type = typeof contentType === 'string' ? parseContentType(contentType) : contentType;
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw multipartError(
      'NOT_MULTIPART',
      'Not a multipart Content-Type',
      `expected multipart/<subtype>;boundary=… (${error.message})`,
      undefined,
      undefined,
      error,
    );
  }
  if (type.type !== 'multipart') {
    throw multipartError(
      'NOT_MULTIPART',
      'Not a multipart Content-Type',
      `expected multipart/<subtype>, found ${type.type}/${type.subtype}`,
    );
  }
  return type;
}

function typeText(contentType: string | ContentType): string {
  return typeof contentType === 'string'
    ? contentType
    : `${contentType.type}/${contentType.subtype}`;
}

/**
 * The next delimiter at or after `from`: `--boundary` at the very start of the body, or
 * CRLF `--boundary`, followed by `--` (close delimiter) or by transport padding and CRLF
 * (RFC 2046 §5.1.1). A boundary string followed by anything else is part content.
 */
function findDelimiter(
  body: Uint8Array,
  dashBoundary: Uint8Array,
  from: number,
): Delimiter | undefined {
  if (from === 0 && startsWith(body, dashBoundary, 0)) {
    const after = delimiterEnd(body, dashBoundary.length);
    if (after !== undefined) return { start: 0, ...after };
  }
  const crlfBoundary = new Uint8Array(dashBoundary.length + 2);
  crlfBoundary.set([CR, LF]);
  crlfBoundary.set(dashBoundary, 2);
  for (let i = indexOfBytes(body, crlfBoundary, from); i !== -1; ) {
    const after = delimiterEnd(body, i + crlfBoundary.length);
    if (after !== undefined) return { start: i, ...after };
    i = indexOfBytes(body, crlfBoundary, i + 1);
  }
  return undefined;
}

/** After `--boundary` at `index`: `--` and padding (close), or padding CRLF; else undefined. */
function delimiterEnd(
  body: Uint8Array,
  index: number,
): { after: number; close: boolean } | undefined {
  let i = index;
  const close = body[i] === DASH && body[i + 1] === DASH;
  if (close) i += 2;
  // RFC 2046 §5.1.1: transport-padding := *LWSP-char, to be ignored
  while (body[i] === 0x20 || body[i] === 0x09) i++;
  if (body[i] === CR && body[i + 1] === LF) return { after: i + 2, close };
  // the close delimiter may end the body without a CRLF (no epilogue)
  if (close && i === body.length) return { after: i, close };
  // after a close delimiter, anything else starts the epilogue
  if (close) return { after: index + 2, close };
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array, at: number): boolean {
  if (at + prefix.length > bytes.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

function parsePart(
  body: Uint8Array,
  start: number,
  end: number,
  base: number,
  index: number,
  depthLeft: number,
): MultipartPart {
  // RFC 2046 §5.1.1: body-part := MIME-part-headers [CRLF *OCTET]; a part without header
  // fields starts with the blank line; an empty part is empty
  let headerEnd = start;
  let bodyStart = end;
  if (start < end) {
    if (body[start] === CR && body[start + 1] === LF) {
      bodyStart = start + 2;
    } else {
      const blank = indexOfBytes(body.subarray(0, end), BLANK_LINE, start);
      if (blank === -1) {
        throw multipartError(
          'MISSING_BLANK_LINE',
          'Missing blank line',
          'expected an empty line (CRLF CRLF) between the part header fields and its body (RFC 2046 §5.1.1)',
          base + end,
          index,
        );
      }
      headerEnd = blank + 2;
      bodyStart = blank + 4;
    }
  }
  const { headers, offsets } = readHeaders(body, start, headerEnd, base, index);
  let contentType: ContentType | undefined;
  let contentDisposition: ContentDisposition | undefined;
  let contentId: string | undefined;
  for (const [i, field] of headers.entries()) {
    const name = field.name.toLowerCase();
    const offset = offsets[i] ?? base + start;
    if (name === 'content-type') {
      contentType = readField(field, parseContentType, offset, index);
    } else if (name === 'content-disposition') {
      contentDisposition = readField(field, parseContentDisposition, offset, index);
    } else if (name === 'content-id') {
      // RFC 2045 §7: id := msg-id, "<" addr-spec ">"
      contentId = /^<(.*)>$/.exec(field.value)?.[1] ?? field.value;
    }
  }
  let multipart: MultipartBody | undefined;
  if (contentType?.type === 'multipart') {
    if (depthLeft <= 0) {
      throw multipartError(
        'NESTING_TOO_DEEP',
        'Multipart nested too deeply',
        'raise options.maxDepth to parse deeper nesting',
        base + bodyStart,
        index,
      );
    }
    multipart = parseAt(body, bodyStart, end, contentType, depthLeft - 1, base + bodyStart);
  }
  return {
    headers,
    body: body.slice(bodyStart, end),
    contentType,
    contentDisposition,
    contentId,
    multipart,
    offset: base + start,
  };
}

const BLANK_LINE = new Uint8Array([CR, LF, CR, LF]);

/**
 * Header fields between `start` and `end` (which ends with CRLF), unfolded (RFC 5322 §2.2.3),
 * with the absolute offset of each.
 */
function readHeaders(
  body: Uint8Array,
  start: number,
  end: number,
  base: number,
  index: number,
): { headers: HeaderField[]; offsets: number[] } {
  const fields: HeaderField[] = [];
  const offsets: number[] = [];
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = lineStart;
    // a field runs to a CRLF not followed by SP or HTAB (folding)
    for (;;) {
      lineEnd = indexOfBytes(body.subarray(0, end), CRLF, lineEnd);
      if (lineEnd === -1) lineEnd = end;
      const next = body[lineEnd + 2];
      if (lineEnd + 2 < end && (next === 0x20 || next === 0x09)) lineEnd += 2;
      else break;
    }
    const line = decoder.decode(body.subarray(lineStart, lineEnd)).replace(/\r\n[ \t]/g, ' ');
    const colon = line.indexOf(':');
    let nameOk = colon > 0;
    for (let i = 0; nameOk && i < colon; i++) nameOk = isClass(line, i, TOKEN);
    if (!nameOk || /[\r\n]/.test(line)) {
      throw multipartError(
        'INVALID_PART_HEADER',
        'Invalid part header field',
        `expected name ":" value with a token name and no bare CR or LF, found "${escapeForMessage(line)}"`,
        base + lineStart,
        index,
      );
    }
    fields.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    offsets.push(base + lineStart);
    lineStart = lineEnd + 2;
  }
  return { headers: fields, offsets };
}

const CRLF = new Uint8Array([CR, LF]);

function readField<T>(
  field: HeaderField,
  parse: (value: string) => T,
  offset: number,
  index: number,
): T {
  try {
    return parse(field.value);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw multipartError(
      'INVALID_PART_HEADER',
      `Invalid part ${field.name}`,
      error.message,
      offset,
      index,
      error,
    );
  }
}
