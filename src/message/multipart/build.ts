import { escapeForMessage } from '../../errors.js';
import { isToken } from '../fields/params.js';
import type { HeaderField } from '../types.js';
import { checkBoundary, generateBoundary, indexOfBytes } from './boundary.js';
import { multipartError } from './errors.js';

/** One part to build (RFC 2046 §5.1.1, RFC 5621 §3). */
export interface MultipartPartInput {
  /** Its Content-Type, e.g. `application/sdp` or `application/isup;version=itu-t92+`. */
  readonly contentType: string;
  /** Its body: bytes as they are, or text encoded as UTF-8. */
  readonly body: Uint8Array | string;
  /** Its Content-Disposition, e.g. `signal;handling=optional` (RFC 5621 §3.2). @defaultValue none */
  readonly contentDisposition?: string;
  /** Its Content-ID without angle brackets, referenced as `cid:` (RFC 2392). @defaultValue none */
  readonly contentId?: string;
  /** More header fields, written after the three above. @defaultValue none */
  readonly headers?: readonly HeaderField[];
}

/** Options of buildMultipart. */
export interface BuildMultipartOptions {
  /** The boundary; it must not occur in any part. @defaultValue `sipwire-` and 24 random hex digits */
  readonly boundary?: string;
  /** The multipart subtype. @defaultValue `'mixed'` */
  readonly subtype?: string;
  /** Bytes before the first delimiter, ignored by receivers. @defaultValue none */
  readonly preamble?: Uint8Array | string;
  /** Bytes after the close delimiter, ignored by receivers. @defaultValue none */
  readonly epilogue?: Uint8Array | string;
}

/** What buildMultipart returns. */
export interface BuiltMultipart {
  /** The body bytes. */
  readonly body: Uint8Array;
  /** The Content-Type to send with it: `multipart/mixed;boundary=…`. */
  readonly contentType: string;
  /** The boundary used. */
  readonly boundary: string;
}

const encoder = new TextEncoder();
const CRLF = encoder.encode('\r\n');

/**
 * Builds a multipart body (RFC 2046 §5.1, RFC 5621): each part with its header fields, a
 * blank line and its bytes, every delimiter preceded by CRLF, then the close delimiter. A
 * boundary is generated unless given; either way it never occurs in a part. A nested
 * multipart is built first and passed as a part (its contentType and body).
 * @param parts - the parts, at least one
 * @param options - boundary, subtype, preamble, epilogue
 * @returns the body and its Content-Type
 * @throws MultipartError NO_PARTS for an empty list; INVALID_BOUNDARY for a boundary or
 * subtype RFC 2046 forbids; BOUNDARY_IN_PART when the given boundary occurs in a part (or in
 * the preamble or epilogue); INVALID_PART_HEADER for a header name that is not a token or a
 * value holding CR or LF
 * @example
 * ```ts
 * const { body, contentType } = buildMultipart([
 *   { contentType: 'application/sdp', body: sdp },
 *   { contentType: 'application/isup;version=itu-t92+', body: isup, contentDisposition: 'signal;handling=optional' },
 * ]);
 * ```
 */
export function buildMultipart(
  parts: readonly MultipartPartInput[],
  options: BuildMultipartOptions = {},
): BuiltMultipart {
  if (parts.length === 0) {
    throw multipartError('NO_PARTS', 'No parts', 'pass at least one part (RFC 2046 §5.1.1)');
  }
  const subtype = options.subtype ?? 'mixed';
  if (!isToken(subtype)) {
    throw multipartError(
      'INVALID_BOUNDARY',
      'Invalid multipart subtype',
      `expected a token, found "${escapeForMessage(subtype)}"`,
    );
  }
  const encoded = parts.map((part, index) => ({
    head: encoder.encode(partHead(part, index)),
    body: typeof part.body === 'string' ? encoder.encode(part.body) : part.body,
  }));
  const preamble = bytesOf(options.preamble);
  const epilogue = bytesOf(options.epilogue);
  const given = options.boundary;
  if (given !== undefined) checkBoundary(given);
  let boundary = given ?? generateBoundary();
  for (;;) {
    const dashBoundary = encoder.encode(`--${boundary}`);
    // RFC 2046 §5.1.1: the boundary delimiter must not appear inside any encapsulated part
    const clash = [
      preamble,
      epilogue,
      ...encoded.flatMap((part) => [part.head, part.body]),
    ].findIndex((bytes) => indexOfBytes(bytes, dashBoundary, 0) !== -1);
    if (clash === -1) break;
    if (given !== undefined) {
      const partIndex = clash < 2 ? undefined : Math.floor((clash - 2) / 2);
      throw multipartError(
        'BOUNDARY_IN_PART',
        'Boundary occurs in the content',
        `"--${escapeForMessage(given)}" is inside ${partIndex === undefined ? 'the preamble or epilogue' : 'a part'}; choose another boundary or leave options.boundary out to generate one`,
        undefined,
        partIndex,
      );
    }
    boundary = generateBoundary();
  }
  const chunks: Uint8Array[] = [];
  // RFC 2046 §5.1.1: the CRLF before a delimiter belongs to the delimiter
  if (preamble.length > 0) chunks.push(preamble, CRLF);
  for (const [index, part] of encoded.entries()) {
    chunks.push(
      encoder.encode(`${index === 0 ? '' : '\r\n'}--${boundary}\r\n`),
      part.head,
      part.body,
    );
  }
  chunks.push(encoder.encode(`\r\n--${boundary}--\r\n`), epilogue);
  const body = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  // RFC 2046 §5.1.1: quote the boundary when it is not a token (it may hold ' ( ) , / : = ? SP)
  const parameter = isToken(boundary) ? boundary : `"${boundary}"`;
  return { body, contentType: `multipart/${subtype};boundary=${parameter}`, boundary };
}

/** The part's header section with its blank line. */
function partHead(part: MultipartPartInput, index: number): string {
  const fields: HeaderField[] = [{ name: 'Content-Type', value: part.contentType }];
  if (part.contentDisposition !== undefined) {
    fields.push({ name: 'Content-Disposition', value: part.contentDisposition });
  }
  if (part.contentId !== undefined)
    fields.push({ name: 'Content-ID', value: `<${part.contentId}>` });
  fields.push(...(part.headers ?? []));
  let head = '';
  for (const field of fields) {
    if (!isToken(field.name) || /[\r\n]/.test(field.value) || field.value.trim() !== field.value) {
      throw multipartError(
        'INVALID_PART_HEADER',
        'Invalid part header field',
        `expected a token name and a value without CR, LF or surrounding whitespace, found "${escapeForMessage(`${field.name}: ${field.value}`)}"`,
        undefined,
        index,
      );
    }
    head += `${field.name}: ${field.value}\r\n`;
  }
  return `${head}\r\n`;
}

function bytesOf(value: Uint8Array | string | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  return typeof value === 'string' ? encoder.encode(value) : value;
}
