/**
 * TransactionError: a response the transaction layer cannot send as asked, and the one
 * formatter of its messages.
 */
import { SipError } from '../errors.js';

/** Every TransactionError code. Stable: once released a code is never renamed or reused. */
export const TRANSACTION_ERROR_CODES = [
  /** The transaction already sent its final response (RFC 3261 §17.2.1, §17.2.2). */
  'FINAL_RESPONSE_SENT',
  /** The transaction has ended (its timers ran out, or the transport failed). */
  'TRANSACTION_TERMINATED',
] as const;

/** A stable transaction error code. */
export type TransactionErrorCode = (typeof TRANSACTION_ERROR_CODES)[number];

/** A response a server transaction refuses to send. Nothing is sent when it is thrown. */
export class TransactionError extends SipError {
  override readonly name = 'TransactionError';
  readonly code: TransactionErrorCode;
  /** The method of the transaction's request. */
  readonly method: string;
  /** The status code the caller asked to send. */
  readonly statusCode: number;
  /** The transaction's state when it refused. */
  readonly state: string;

  constructor(
    code: TransactionErrorCode,
    facts: { method: string; statusCode: number; state: string },
  ) {
    super(describeTransactionError(code, facts));
    this.code = code;
    this.method = facts.method;
    this.statusCode = facts.statusCode;
    this.state = facts.state;
  }
}

const PROBLEMS: Readonly<Record<TransactionErrorCode, string>> = {
  FINAL_RESPONSE_SENT:
    'a final response was already sent (RFC 3261 §17.2.1, §17.2.2); a transaction has one final response',
  TRANSACTION_TERMINATED:
    'the transaction has ended; answer within its lifetime or start a new one',
};

/**
 * The one formatter of TransactionError messages.
 * @internal
 */
export function describeTransactionError(
  code: TransactionErrorCode,
  facts: { method: string; statusCode: number; state: string },
): string {
  return `Cannot send ${facts.statusCode} to ${facts.method} in state ${facts.state}: ${PROBLEMS[code]}`;
}
