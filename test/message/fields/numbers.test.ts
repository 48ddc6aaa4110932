import { describe, expect, it } from 'vitest';
import {
  DELTA_SECONDS_MAX,
  parseContentLength,
  parseDecimal,
  parseExpires,
  parseMaxForwards,
  parseRetryAfter,
} from '../../../src/message/fields/numbers.js';
import { codeAt, failure } from './helpers.js';

describe('parseDecimal', () => {
  it('reads digits exactly, with leading zeros and surrounding whitespace', () => {
    expect(parseDecimal('0068', 255, 'Max-Forwards')).toBe(68);
    expect(parseDecimal(' 7 ', 255, 'Max-Forwards')).toBe(7);
    expect(parseDecimal('0', 0, 'x')).toBe(0);
    expect(parseDecimal('9007199254740991', Number.MAX_SAFE_INTEGER, 'x')).toBe(
      Number.MAX_SAFE_INTEGER,
    );
  });

  it('rejects values above max by digit count first, without precision loss', () => {
    expect(codeAt(() => parseDecimal('256', 255, 'Max-Forwards'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      0,
    ]);
    expect(codeAt(() => parseDecimal('9007199254740992', Number.MAX_SAFE_INTEGER, 'x'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      0,
    ]);
    expect(codeAt(() => parseDecimal(` ${'9'.repeat(1000)}`, 255, 'x'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      1,
    ]);
  });

  it('rejects signs, empty values and trailing text (RFC 4475 §3.1.2.3)', () => {
    expect(codeAt(() => parseDecimal('-999', 1e9, 'Content-Length'))).toEqual([
      'INVALID_NUMBER',
      0,
    ]);
    expect(codeAt(() => parseDecimal('', 1e9, 'x'))).toEqual(['INVALID_NUMBER', 0]);
    expect(codeAt(() => parseDecimal('five', 1e9, 'x'))).toEqual(['INVALID_NUMBER', 0]);
    expect(codeAt(() => parseDecimal('1 2', 1e9, 'x'))).toEqual(['INVALID_NUMBER', 1]);
    expect(codeAt(() => parseDecimal('+1', 1e9, 'x'))).toEqual(['INVALID_NUMBER', 0]);
    expect(codeAt(() => parseDecimal('1.5', 1e9, 'x'))).toEqual(['INVALID_NUMBER', 1]);
    expect(codeAt(() => parseDecimal('１', 1e9, 'x'))).toEqual(['INVALID_NUMBER', 0]);
  });

  it('names the number in its message', () => {
    expect(failure(() => parseDecimal('300', 255, 'Max-Forwards')).message).toMatchInlineSnapshot(
      `"Max-Forwards out of range at character 0: expected a number from 0 to 255, found "300""`,
    );
  });
});

describe('parseMaxForwards', () => {
  it('accepts 0 to 255 (RFC 3261 §20.22, RFC 4475 §3.3.11)', () => {
    expect(parseMaxForwards('0')).toBe(0);
    expect(parseMaxForwards('255')).toBe(255);
    expect(codeAt(() => parseMaxForwards('300'))).toEqual(['NUMBER_OUT_OF_RANGE', 0]);
  });
});

describe('parseContentLength', () => {
  it('reads any safe integer and rejects negatives', () => {
    expect(parseContentLength('150')).toBe(150);
    expect(parseContentLength('0')).toBe(0);
    expect(codeAt(() => parseContentLength('-999'))).toEqual(['INVALID_NUMBER', 0]);
  });
});

describe('parseExpires', () => {
  it('accepts 0 to 2^32-1 and rejects more (RFC 4475 §3.1.2.4)', () => {
    expect(parseExpires('4294967295')).toBe(DELTA_SECONDS_MAX);
    expect(codeAt(() => parseExpires('4294967296'))).toEqual(['NUMBER_OUT_OF_RANGE', 0]);
    expect(codeAt(() => parseExpires(`1${'0'.repeat(104)}`))).toEqual(['NUMBER_OUT_OF_RANGE', 0]);
    expect(codeAt(() => parseExpires('280297596632815'))).toEqual(['NUMBER_OUT_OF_RANGE', 0]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds alone', () => {
    expect(parseRetryAfter('120')).toEqual({ seconds: 120, params: new Map() });
  });

  it('reads a comment and parameters (RFC 3261 §20.33)', () => {
    const value = parseRetryAfter("18000 (I'm in a (long) meeting) ;duration=3600;x=y");
    expect({ ...value, params: [...value.params] }).toEqual({
      seconds: 18000,
      comment: "I'm in a (long) meeting",
      duration: 3600,
      params: [
        ['duration', '3600'],
        ['x', 'y'],
      ],
    });
  });

  it('rejects an overlarge value (RFC 4475 §3.1.2.5)', () => {
    expect(codeAt(() => parseRetryAfter('949302838503028349304023988'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      0,
    ]);
    expect(codeAt(() => parseRetryAfter('1;duration=99999999999'))).toEqual([
      'NUMBER_OUT_OF_RANGE',
      11,
    ]);
  });

  it('rejects a bad duration, a bad comment or trailing text', () => {
    expect(codeAt(() => parseRetryAfter('1;duration'))).toEqual(['INVALID_NUMBER', 2]);
    expect(codeAt(() => parseRetryAfter('1;duration=1a'))).toEqual(['INVALID_NUMBER', 12]);
    expect(codeAt(() => parseRetryAfter('1 (open'))).toEqual(['INVALID_HEADER_VALUE', 2]);
    expect(codeAt(() => parseRetryAfter('1 (a\x00)'))).toEqual(['INVALID_HEADER_VALUE', 4]);
    expect(codeAt(() => parseRetryAfter('1 x'))).toEqual(['INVALID_NUMBER', 2]);
    expect(codeAt(() => parseRetryAfter('1 (a) x'))).toEqual(['INVALID_PARAMETER', 6]);
  });
});
