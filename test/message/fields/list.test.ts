import { describe, expect, it } from 'vitest';
import { splitHeaderList } from '../../../src/message/fields/list.js';
import { failure } from './helpers.js';

describe('splitHeaderList', () => {
  it('splits on top-level commas and trims each element', () => {
    expect(splitHeaderList('a, b ,\tc')).toEqual(['a', 'b', 'c']);
  });

  it('keeps commas inside quoted strings, angle brackets and comments', () => {
    expect(
      splitHeaderList('"Doe, John" <sip:j@a.com>, <sip:x,y@b.com>;q=1, c (x, (y, z)) d'),
    ).toEqual(['"Doe, John" <sip:j@a.com>', '<sip:x,y@b.com>;q=1', 'c (x, (y, z)) d']);
  });

  it('honours backslash escapes inside quoted strings and comments', () => {
    expect(splitHeaderList('"a\\", b", c')).toEqual(['"a\\", b"', 'c']);
    expect(splitHeaderList('(a\\), b), c')).toEqual(['(a\\), b)', 'c']);
  });

  it('returns the wsinv Via list as two values', () => {
    // RFC 4475 §3.1.1.1, after unfolding
    expect(
      splitHeaderList(
        'SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8  , SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239',
      ),
    ).toEqual([
      'SIP  / 2.0  / TCP     spindle.example.com   ; branch  =   z9hG4bK9ikj8',
      'SIP  /    2.0   / UDP  192.168.255.111   ; branch= z9hG4bK30239',
    ]);
  });

  it('returns an empty list for an empty or blank value', () => {
    expect(splitHeaderList('')).toEqual([]);
    expect(splitHeaderList(' \t ')).toEqual([]);
  });

  it('keeps a lone "*" and a single value as one element', () => {
    expect(splitHeaderList('*')).toEqual(['*']);
    expect(splitHeaderList('<sip:a@b>')).toEqual(['<sip:a@b>']);
  });

  it('rejects an empty element with its offset', () => {
    const error = failure(() => splitHeaderList('a,, b'));
    expect(error.code).toBe('INVALID_HEADER_VALUE');
    expect(error.offset).toBe(2);
    expect(failure(() => splitHeaderList('a, ')).offset).toBe(3);
    expect(failure(() => splitHeaderList(',a')).offset).toBe(0);
  });

  it('rejects the badinv01 Via and Contact lists (RFC 4475 §3.1.2.1)', () => {
    expect(failure(() => splitHeaderList('SIP/2.0/UDP 192.0.2.15;;,;,,')).code).toBe(
      'INVALID_HEADER_VALUE',
    );
  });

  it('rejects an unclosed quoted string at its opening quote', () => {
    const error = failure(() => splitHeaderList('a, "Mr. J. User <sip:j.user@example.com>'));
    expect(error.code).toBe('INVALID_QUOTED_STRING');
    expect(error.offset).toBe(3);
  });

  it('rejects an unclosed "<" and an unclosed comment', () => {
    const bracket = failure(() => splitHeaderList('<sip:a@b, c'));
    expect([bracket.code, bracket.offset]).toEqual(['INVALID_HEADER_VALUE', 0]);
    const comment = failure(() => splitHeaderList('a (b, (c)'));
    expect([comment.code, comment.offset]).toEqual(['INVALID_HEADER_VALUE', 2]);
  });

  it('says what was expected and what was found', () => {
    expect(failure(() => splitHeaderList('a,,b')).message).toMatchInlineSnapshot(
      `"Empty element in header list at character 2: expected a value between commas (RFC 3261 §7.3.1), found ",b""`,
    );
  });
});
