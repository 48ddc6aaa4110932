import { describe, expect, it } from 'vitest';
import {
  ALPHA,
  DIGIT,
  GEN_VALUE,
  HEADER_CHAR,
  HEX,
  HOST,
  hexValue,
  isClass,
  PARAM_CHAR,
  PASSWORD,
  SCHEME,
  skipClass,
  skipWhitespace,
  TOKEN,
  trimEnd,
  UNRESERVED,
  URIC,
  USER,
  WORD,
  WSP,
} from '../../../src/message/fields/charset.js';

/** Every code unit 0x00–0xFF in a class, as a string. */
function members(flag: number): string {
  let out = '';
  for (let code = 0; code < 256; code++) {
    const char = String.fromCharCode(code);
    if (isClass(char, 0, flag)) out += char;
  }
  return out;
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

describe('character classes (RFC 3261 §25.1)', () => {
  it('hold exactly the ABNF sets, in code order', () => {
    expect(members(ALPHA)).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(members(DIGIT)).toBe('0123456789');
    expect(members(HEX)).toBe('0123456789ABCDEFabcdef');
    expect(members(TOKEN)).toBe(
      "!%'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_`abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(UNRESERVED)).toBe(
      "!'()*-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(USER)).toBe(
      "!$&'()*+,-./0123456789;=?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(PASSWORD)).toBe(
      "!$&'()*+,-.0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(PARAM_CHAR)).toBe(
      "!$&'()*+-./0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(HEADER_CHAR)).toBe(
      "!$'()*+-./0123456789:?ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(URIC)).toBe(
      "!$&'()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(SCHEME)).toBe(`+-.${ALNUM}`);
    expect(members(WSP)).toBe('\t ');
    expect(members(HOST)).toBe(`-.${ALNUM}`);
    expect(members(GEN_VALUE)).toBe(
      "!%'*+-.0123456789:ABCDEFGHIJKLMNOPQRSTUVWXYZ[]_`abcdefghijklmnopqrstuvwxyz~",
    );
    expect(members(WORD)).toBe(
      '!"%\'()*+-./0123456789:<>?ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]_`abcdefghijklmnopqrstuvwxyz{}~',
    );
  });

  it('contain no character above 0xFF', () => {
    expect(isClass('é', 0, TOKEN)).toBe(false);
    expect(isClass('\u0161', 0, ALPHA)).toBe(false);
    expect(isClass('\u0100', 0, 0xffff)).toBe(false);
  });
});

describe('scanning helpers', () => {
  it('skipClass stops at the first non-member or at end', () => {
    expect(skipClass('abc;d', 0, 5, TOKEN)).toBe(3);
    expect(skipClass('abc', 1, 2, TOKEN)).toBe(2);
  });

  it('skipWhitespace and trimEnd skip SP and HTAB only', () => {
    expect(skipWhitespace(' \t\r a', 0, 5)).toBe(2);
    expect(trimEnd('a \t ', 0, 4)).toBe(1);
    expect(trimEnd('   ', 1, 3)).toBe(1);
  });

  it('hexValue reads both cases and refuses the rest', () => {
    expect(
      ['0', '9', 'a', 'f', 'A', 'F', 'g', '/'].map((char) => hexValue(char.charCodeAt(0))),
    ).toEqual([0, 9, 10, 15, 10, 15, -1, -1]);
  });
});
