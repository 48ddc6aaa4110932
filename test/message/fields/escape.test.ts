import { describe, expect, it } from 'vitest';
import { USER } from '../../../src/message/fields/charset.js';
import { unescapeRange } from '../../../src/message/fields/escape.js';
import { codeAt } from './helpers.js';

const decodeUser = (text: string): string =>
  unescapeRange(text, 0, text.length, USER, 'INVALID_URI', 'user');

describe('unescapeRange', () => {
  it('decodes each escape exactly once', () => {
    expect(decodeUser('%2525')).toBe('%25');
    expect(decodeUser('a%41b%42%43c')).toBe('aAbBCc');
    expect(decodeUser('%6c%6C')).toBe('ll');
  });

  it('decodes escaped UTF-8 and keeps NUL', () => {
    expect(decodeUser('%E6%9D%B1%E4%BA%AC')).toBe('東京');
    expect(decodeUser('%00')).toBe('\x00');
  });

  it('turns invalid UTF-8 into U+FFFD rather than failing', () => {
    expect(decodeUser('a%FFb')).toBe('a\uFFFDb');
  });

  it('works on a sub-range and reports offsets in the whole string', () => {
    expect(unescapeRange('xx%41yy', 2, 5, USER, 'INVALID_URI', 'user')).toBe('A');
    expect(codeAt(() => unescapeRange('xx%4', 2, 4, USER, 'INVALID_URI', 'user'))).toEqual([
      'INVALID_URI',
      2,
    ]);
  });

  it('rejects malformed escapes and characters outside the class', () => {
    expect(codeAt(() => decodeUser('%'))).toEqual(['INVALID_URI', 0]);
    expect(codeAt(() => decodeUser('a%g1'))).toEqual(['INVALID_URI', 1]);
    expect(codeAt(() => decodeUser('a%1g'))).toEqual(['INVALID_URI', 1]);
    expect(codeAt(() => decodeUser('a@b'))).toEqual(['INVALID_URI', 1]);
    expect(codeAt(() => decodeUser('é'))).toEqual(['INVALID_URI', 0]);
  });
});
