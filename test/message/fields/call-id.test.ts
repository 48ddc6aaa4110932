import { describe, expect, it } from 'vitest';
import { parseCallId } from '../../../src/message/fields/call-id.js';
import { codeAt } from './helpers.js';

describe('parseCallId', () => {
  it('returns the value as written, trimmed', () => {
    expect(parseCallId(' a84b4c76e66710@pc33.atlanta.com ')).toBe(
      'a84b4c76e66710@pc33.atlanta.com',
    );
    expect(parseCallId('f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toBe(
      'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
    );
  });

  it('accepts every word character (RFC 4475 §3.1.1.2)', () => {
    const callId = 'intmeth.word%ZK-!.*_+\'@word`~)(><:\\/"][?}{';
    expect(parseCallId(callId)).toBe(callId);
  });

  it('rejects empty parts, a second "@" and non-word characters', () => {
    expect(codeAt(() => parseCallId(''))).toEqual(['INVALID_HEADER_VALUE', 0]);
    expect(codeAt(() => parseCallId('@a'))).toEqual(['INVALID_HEADER_VALUE', 0]);
    expect(codeAt(() => parseCallId('a@'))).toEqual(['INVALID_HEADER_VALUE', 2]);
    expect(codeAt(() => parseCallId('a@b@c'))).toEqual(['INVALID_HEADER_VALUE', 3]);
    expect(codeAt(() => parseCallId('a b'))).toEqual(['INVALID_HEADER_VALUE', 1]);
    expect(codeAt(() => parseCallId('a;b'))).toEqual(['INVALID_HEADER_VALUE', 1]);
    expect(codeAt(() => parseCallId('abc,def'))).toEqual(['INVALID_HEADER_VALUE', 3]);
    expect(codeAt(() => parseCallId('é'))).toEqual(['INVALID_HEADER_VALUE', 0]);
  });
});
