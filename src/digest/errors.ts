import { SipError } from '../errors.js';

/**
 * Every DigestError code. Stable: once released a code is never renamed or reused. Malformed
 * header values are ParseErrors of the field grammar (INVALID_CHALLENGE, INVALID_CREDENTIALS);
 * a server's verification never throws for what a peer sent, it returns a verdict.
 */
export const DIGEST_ERROR_CODES = [
  'NO_SUPPORTED_CHALLENGE',
  'INVALID_DIGEST_OPTION',
  'CRYPTO_UNAVAILABLE',
] as const;

/** A stable digest error code. */
export type DigestErrorCode = (typeof DIGEST_ERROR_CODES)[number];

/**
 * Digest authentication cannot proceed as asked: no offered challenge is usable, an option is
 * unusable, or the platform has no Web Crypto.
 */
export class DigestError extends SipError {
  /** Always `DigestError`. */
  override readonly name = 'DigestError';
  /** The stable code of the condition. */
  readonly code: DigestErrorCode;
  /** The option at fault (`secret`, `realm` …) for INVALID_DIGEST_OPTION, else undefined. */
  readonly option: string | undefined;

  constructor(
    code: DigestErrorCode,
    message: string,
    option?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.option = option;
  }
}

/**
 * The error for an unusable option, its message naming the option and what it must be.
 * @internal
 */
export function optionError(option: string, expected: string): DigestError {
  return new DigestError(
    'INVALID_DIGEST_OPTION',
    `Invalid digest option ${option}: expected ${expected}`,
    option,
  );
}
