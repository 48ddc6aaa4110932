import { describe, expect, it } from 'vitest';
import {
  byteClass,
  COLON,
  CR,
  DIGITS,
  HTAB,
  LF,
  REASON_CONTROL,
  REQUEST_URI,
  SCHEME,
  SP,
  TOKEN,
  WHITESPACE,
} from '../../src/parse/charset.js';

/** The bytes a class table holds, as a string of characters (for readable failures). */
function members(table: Uint8Array): string {
  let out = '';
  table.forEach((flag, byte) => {
    if (flag === 1) out += String.fromCharCode(byte);
  });
  return out;
}

function range(from: number, to: number): string {
  let out = '';
  for (let byte = from; byte <= to; byte++) out += String.fromCharCode(byte);
  return out;
}

const UPPER = range(0x41, 0x5a);
const LOWER = range(0x61, 0x7a);
const DIGIT = range(0x30, 0x39);

describe('byte constants', () => {
  it('are the ASCII values of CR, LF, SP, HTAB and ":"', () => {
    expect([CR, LF, SP, HTAB, COLON]).toEqual([13, 10, 32, 9, 58]);
  });
});

describe('byteClass', () => {
  it('compiles characters and inclusive ranges into a 256-entry table of 0 and 1', () => {
    const table = byteClass('ab', [[0xf0, 0xf2]]);
    expect(table.length).toBe(256);
    expect(members(table)).toBe(`ab${range(0xf0, 0xf2)}`);
    expect([...new Set(table)].sort()).toEqual([0, 1]);
  });
});

describe('the RFC 3261 §25.1 classes', () => {
  it("TOKEN is alphanum and - . ! % * _ + ` ' ~", () => {
    expect(members(TOKEN)).toBe([...`!%'*+-.${DIGIT}${UPPER}_\`${LOWER}~`].sort().join(''));
    expect(members(TOKEN)).toHaveLength(72);
  });

  it('DIGITS is 0-9 and WHITESPACE is SP and HTAB', () => {
    expect(members(DIGITS)).toBe(DIGIT);
    expect(members(WHITESPACE)).toBe('\t ');
  });

  it('SCHEME is ALPHA, DIGIT, "+", "-" and "."', () => {
    expect(members(SCHEME)).toBe(`+-.${DIGIT}${UPPER}${LOWER}`);
  });

  it('REQUEST_URI is visible ASCII except the characters RFC 2396 §2.4.3 excludes', () => {
    const excluded = new Set('"<>\\^`{|}');
    expect(members(REQUEST_URI)).toBe(
      [...range(0x21, 0x7e)].filter((char) => !excluded.has(char)).join(''),
    );
  });

  it('REASON_CONTROL is every control byte but HTAB, and DEL', () => {
    expect(members(REASON_CONTROL)).toBe(`${range(0x00, 0x08)}${range(0x0a, 0x1f)}\x7f`);
  });
});
