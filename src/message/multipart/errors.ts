import { SipError } from '../../errors.js';

/**
 * Every MultipartError code. Stable: once released a code is never renamed or reused.
 */
export const MULTIPART_ERROR_CODES = [
  'NOT_MULTIPART',
  'MISSING_BOUNDARY',
  'INVALID_BOUNDARY',
  'MISSING_DELIMITER',
  'MISSING_CLOSE_DELIMITER',
  'MISSING_BLANK_LINE',
  'INVALID_PART_HEADER',
  'NO_PARTS',
  'NESTING_TOO_DEEP',
  'BOUNDARY_IN_PART',
] as const;

/** A stable multipart error code. */
export type MultipartErrorCode = (typeof MULTIPART_ERROR_CODES)[number];

/**
 * A multipart body (RFC 2046 §5.1, RFC 5621) that cannot be parsed, or parts that cannot be
 * built into one.
 */
export class MultipartError extends SipError {
  /** Always `MultipartError`. */
  override readonly name = 'MultipartError';
  /** The stable code of the condition. */
  readonly code: MultipartErrorCode;
  /**
   * Byte offset of the problem from the start of the outermost body given to parseMultipart;
   * undefined when the problem is not in the body (the Content-Type, or buildMultipart's input).
   */
  readonly offset: number | undefined;
  /** Index of the part at fault (in its own multipart), when there is one. */
  readonly partIndex: number | undefined;

  constructor(
    code: MultipartErrorCode,
    message: string,
    offset?: number,
    partIndex?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.offset = offset;
    this.partIndex = partIndex;
  }
}

/**
 * Builds a MultipartError whose message says what was wrong, where, and what was expected:
 * `Missing blank line at byte 40 (part 0): expected …`.
 * @internal
 */
export function multipartError(
  code: MultipartErrorCode,
  summary: string,
  expected: string,
  offset?: number,
  partIndex?: number,
  cause?: unknown,
): MultipartError {
  const where = offset === undefined ? '' : ` at byte ${offset}`;
  const part = partIndex === undefined ? '' : ` (part ${partIndex})`;
  return new MultipartError(
    code,
    `${summary}${where}${part}: ${expected}`,
    offset,
    partIndex,
    cause === undefined ? undefined : { cause },
  );
}
