import { describe, expect, it } from 'vitest';
import { parseQuotedString, quoteString } from '../../../src/message/fields/quoted.js';
import { codeAt, failure } from './helpers.js';

describe('parseQuotedString', () => {
  it('returns the content with quoted-pairs resolved', () => {
    expect(parseQuotedString('"J Rosenberg \\\\\\""')).toBe('J Rosenberg \\"');
    expect(parseQuotedString('""')).toBe('');
    expect(parseQuotedString('"a\tb c"')).toBe('a\tb c');
  });

  it('accepts escaped NUL, BEL and DEL (RFC 4475 §3.1.1.2)', () => {
    expect(parseQuotedString('"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f"')).toBe(
      'BEL:\x07 NUL:\x00 DEL:\x7f',
    );
  });

  it('keeps UTF-8 text as is', () => {
    expect(parseQuotedString('"Всем привет"')).toBe('Всем привет');
  });

  it('leaves a literal "%" alone (RFC 4475 §3.1.1.5)', () => {
    expect(parseQuotedString('"%Z%45"')).toBe('%Z%45');
  });

  it('rejects an unterminated string at its opening quote', () => {
    expect(codeAt(() => parseQuotedString('"Mr. J. User <sip:j@example.com>'))).toEqual([
      'INVALID_QUOTED_STRING',
      0,
    ]);
    expect(codeAt(() => parseQuotedString('"ab\\"'))).toEqual(['INVALID_QUOTED_STRING', 0]);
  });

  it('rejects raw control characters and escaped CR, LF or non-ASCII', () => {
    expect(codeAt(() => parseQuotedString('"a\x00"'))).toEqual(['INVALID_QUOTED_STRING', 2]);
    expect(codeAt(() => parseQuotedString('"a\x7f"'))).toEqual(['INVALID_QUOTED_STRING', 2]);
    expect(codeAt(() => parseQuotedString('"a\\\r"'))).toEqual(['INVALID_QUOTED_STRING', 3]);
    expect(codeAt(() => parseQuotedString('"a\\é"'))).toEqual(['INVALID_QUOTED_STRING', 3]);
  });

  it('rejects text before the opening or after the closing quote', () => {
    expect(codeAt(() => parseQuotedString('a"b"'))).toEqual(['INVALID_QUOTED_STRING', 0]);
    expect(codeAt(() => parseQuotedString('"b" '))).toEqual(['INVALID_QUOTED_STRING', 3]);
  });

  it('says what was wrong, where and what was found', () => {
    expect(failure(() => parseQuotedString('"abc')).message).toMatchInlineSnapshot(
      `"Unterminated quoted string at character 0: expected a closing '"', found "\\"abc""`,
    );
  });
});

describe('quoteString', () => {
  it('escapes quotes, backslashes and control characters', () => {
    expect(quoteString('a "b" \\ \x00')).toBe('"a \\"b\\" \\\\ \\\x00"');
    expect(quoteString('')).toBe('""');
  });

  it('refuses CR and LF, which no quoted-pair can hold', () => {
    expect(codeAt(() => quoteString('a\r\nVia: x'))).toEqual(['INVALID_QUOTED_STRING', 1]);
  });
});
