import { escapeForMessage, SipError } from '../errors.js';

/** Every StatusCodeError code. Stable: once released a code is never renamed or reused. */
export const STATUS_CODE_ERROR_CODES = ['INVALID_STATUS_CODE'] as const;

/** A stable status-code error code. */
export type StatusCodeErrorCode = (typeof STATUS_CODE_ERROR_CODES)[number];

/**
 * Thrown by the status-code lookups for a value that is not a SIP status code: anything but
 * an integer from 100 to 699 (RFC 3261 §7.2: three digits, the first from 1 to 6).
 */
export class StatusCodeError extends SipError {
  override readonly name = 'StatusCodeError';
  readonly code: StatusCodeErrorCode;
  /** The rejected value, exactly as passed. */
  readonly value: unknown;

  constructor(value: unknown, options?: { cause?: unknown }) {
    super(describeInvalidStatusCode(value), options);
    this.code = 'INVALID_STATUS_CODE';
    this.value = value;
  }
}

/**
 * Builds the one-sentence message for an invalid status code, showing the value and its type
 * when it is not a number.
 * @internal
 */
export function describeInvalidStatusCode(value: unknown): string {
  return `Invalid status code ${showValue(value)}: expected an integer from 100 to 699`;
}

function showValue(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return `"${escapeForMessage(value)}" (a string)`;
    case 'bigint':
      return `${value}n (a bigint)`;
    case 'boolean':
      return `${value} (a boolean)`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return '(a symbol)';
    case 'function':
      return '(a function)';
    default:
      if (value === null) return 'null';
      return Array.isArray(value) ? '(an array)' : '(an object)';
  }
}
