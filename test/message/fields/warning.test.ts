import { describe, expect, it } from 'vitest';
import { parseWarning } from '../../../src/message/fields/warning.js';
import { codeAt } from './helpers.js';

describe('parseWarning (RFC 3261 §20.43)', () => {
  it('reads the code, a hostname agent and the quoted text', () => {
    expect(parseWarning('307 isi.edu "Session parameter \'foo\' not understood"')).toEqual({
      code: 307,
      agent: 'isi.edu',
      text: "Session parameter 'foo' not understood",
    });
  });

  it('takes a hostport, an IPv6 reference with a port, or a pseudonym as the agent', () => {
    expect(parseWarning('399 host.example:5060 "x"').agent).toBe('host.example:5060');
    // port = 1*DIGIT: leading zeros are read as URI and Via ports read them
    expect(parseWarning('399 host.example:000005060 "x"').agent).toBe('host.example:000005060');
    expect(parseWarning('301 [2001:db8::1]:5060 "x"').agent).toBe('[2001:db8::1]:5060');
    expect(parseWarning('399 proxy-7 "x"').agent).toBe('proxy-7');
    expect(parseWarning('  370  10.0.0.1 \t "a \\"b\\""  ')).toEqual({
      code: 370,
      agent: '10.0.0.1',
      text: 'a "b"',
    });
  });

  it('refuses a warn-code that is not three digits (RFC 4475 §3.1.2.6 scalarlg)', () => {
    expect(codeAt(() => parseWarning('1812 overture "In Progress"'))).toEqual([
      'INVALID_HEADER_VALUE',
      0,
    ]);
    expect(codeAt(() => parseWarning('99 overture "x"'))).toEqual(['INVALID_HEADER_VALUE', 0]);
    expect(codeAt(() => parseWarning('abc overture "x"'))).toEqual(['INVALID_HEADER_VALUE', 0]);
  });

  it('refuses a missing agent or text, an unquoted text and trailing junk', () => {
    expect(codeAt(() => parseWarning('399 "no agent"'))).toEqual(['INVALID_HEADER_VALUE', 4]);
    expect(codeAt(() => parseWarning('399 host.example'))).toEqual(['INVALID_HEADER_VALUE', 16]);
    expect(codeAt(() => parseWarning('399 host.example bare'))).toEqual([
      'INVALID_HEADER_VALUE',
      17,
    ]);
    expect(codeAt(() => parseWarning('399 host.example "x" y'))).toEqual([
      'INVALID_HEADER_VALUE',
      20,
    ]);
    expect(codeAt(() => parseWarning('399 host.example "open'))).toEqual([
      'INVALID_QUOTED_STRING',
      17,
    ]);
  });

  it('refuses a bad port or host in a hostport agent', () => {
    expect(codeAt(() => parseWarning('399 host.example: "x"'))).toEqual([
      'INVALID_HEADER_VALUE',
      17,
    ]);
    expect(codeAt(() => parseWarning('399 host.example:123456 "x"'))).toEqual([
      'INVALID_HEADER_VALUE',
      17,
    ]);
    expect(codeAt(() => parseWarning('399 -bad-:5060 "x"'))).toEqual(['INVALID_HEADER_VALUE', 4]);
  });
});
