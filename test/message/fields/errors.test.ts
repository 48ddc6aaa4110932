import { describe, expect, it } from 'vitest';
import { fieldError } from '../../../src/message/fields/errors.js';
import { ParseError } from '../../../src/parse/errors.js';

describe('fieldError', () => {
  it('builds a ParseError with the code, the offset and the STYLE §4 sentence', () => {
    const error = fieldError(
      'INVALID_VIA',
      'SIP/2.0 x',
      8,
      'Invalid Via',
      '"/" in the sent-protocol',
    );
    expect(error).toBeInstanceOf(ParseError);
    expect([error.code, error.offset]).toEqual(['INVALID_VIA', 8]);
    expect(error.message).toBe(
      'Invalid Via at character 8: expected "/" in the sent-protocol, found "x"',
    );
  });

  it('escapes what it shows and cuts it after 32 characters', () => {
    const text = `\x00"\\é${'a'.repeat(40)}`;
    expect(fieldError('INVALID_URI', text, 0, 'Invalid URI', 'a scheme').message).toBe(
      `Invalid URI at character 0: expected a scheme, found "\\x00\\"\\\\\\xe9${'a'.repeat(28)}…"`,
    );
  });

  it('says when the problem is the end of the value', () => {
    expect(fieldError('INVALID_CSEQ', '1', 1, 'Invalid CSeq', 'a method').message).toBe(
      'Invalid CSeq at character 1: expected a method, found the end of the value',
    );
  });
});
