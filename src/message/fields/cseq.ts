import { DIGIT, skipClass, skipWhitespace, TOKEN, trimEnd } from './charset.js';
import { fieldError } from './errors.js';
import { readDigits } from './numbers.js';

/** A CSeq value (RFC 3261 §20.16). */
export interface CSeq {
  /** Sequence number, 0 to 2^31-1 (RFC 3261 §8.1.1.5). */
  readonly seq: number;
  /** Method token, case-sensitive. */
  readonly method: string;
}

/**
 * RFC 3261 §8.1.1.5: the sequence number MUST be less than 2^31.
 * @internal
 */
export const CSEQ_MAX = 2147483647;

/**
 * Parses a CSeq value: `1*DIGIT LWS Method` (RFC 3261 §20.16, §25.1).
 * @param value - the field value, e.g. `4711 INVITE`
 * @returns the number and the method
 * @throws ParseError INVALID_CSEQ when malformed; NUMBER_OUT_OF_RANGE when the number is
 * 2^31 or more (RFC 4475 §3.1.2.4)
 * @example parseCSeq('0009 INVITE') // { seq: 9, method: 'INVITE' }
 */
export function parseCSeq(value: string): CSeq {
  const end = trimEnd(value, 0, value.length);
  const start = skipWhitespace(value, 0, end);
  const digitsEnd = skipClass(value, start, end, DIGIT);
  if (digitsEnd === start) {
    throw fieldError('INVALID_CSEQ', value, start, 'Invalid CSeq', 'a sequence number');
  }
  readDigits(value, start, digitsEnd, CSEQ_MAX, 'CSeq number');
  const methodStart = skipWhitespace(value, digitsEnd, end);
  if (methodStart === digitsEnd) {
    throw fieldError(
      'INVALID_CSEQ',
      value,
      digitsEnd,
      'Invalid CSeq',
      'whitespace between number and method',
    );
  }
  const methodEnd = skipClass(value, methodStart, end, TOKEN);
  if (methodEnd === methodStart || methodEnd !== end) {
    throw fieldError('INVALID_CSEQ', value, methodEnd, 'Invalid CSeq', 'a method (a token) last');
  }
  return { seq: Number(value.slice(start, digitsEnd)), method: value.slice(methodStart, end) };
}
