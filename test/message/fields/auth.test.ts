import { describe, expect, it } from 'vitest';
import { parseChallenge, parseCredentials } from '../../../src/message/fields/auth.js';
import { codeAt, failure } from './helpers.js';

describe('parseChallenge', () => {
  it('splits the scheme and the comma-separated auth-params (RFC 3261 §25.1)', () => {
    const challenge = parseChallenge(
      'Digest realm="atlanta.com",domain="sip:ss1.carrier.com", qop="auth",\tnonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    );
    expect(challenge.scheme).toBe('Digest');
    expect([...challenge.params]).toEqual([
      ['realm', 'atlanta.com'],
      ['domain', 'sip:ss1.carrier.com'],
      ['qop', 'auth'],
      ['nonce', 'f84f1cec41e6cbe5aea9c8e88d359'],
      ['opaque', ''],
      ['stale', 'FALSE'],
      ['algorithm', 'MD5'],
    ]);
  });

  it('lower-cases names, unquotes values and allows whitespace around "=" and ","', () => {
    const challenge = parseChallenge('  digest  Realm = "a \\"b\\"" ,  NONCE=xyz  ');
    expect(challenge.scheme).toBe('digest');
    expect([...challenge.params]).toEqual([
      ['realm', 'a "b"'],
      ['nonce', 'xyz'],
    ]);
  });

  it('accepts a scheme without parameters', () => {
    expect(parseChallenge('Digest').params.size).toBe(0);
  });

  it.each([
    ['', 0],
    ['"Digest" realm="a"', 0],
    ['Digest,realm="a"', 6],
    ['Digest realm', 12],
    ['Digest realm="a" nonce="b"', 17],
    ['Digest realm="a",, nonce="b"', 17],
    ['Digest realm=', 13],
    ['Digest realm=a;b', 14],
    ['Digest realm="a", realm="b"', 18],
  ])('rejects %j with INVALID_CHALLENGE at %i', (value, offset) => {
    expect(codeAt(() => parseChallenge(value))).toEqual(['INVALID_CHALLENGE', offset]);
  });

  it('reports a bad quoted string with INVALID_QUOTED_STRING', () => {
    expect(codeAt(() => parseChallenge('Digest realm="abc'))).toEqual([
      'INVALID_QUOTED_STRING',
      13,
    ]);
  });

  it('says what was expected', () => {
    expect(
      failure(() => parseChallenge('Digest realm="a", realm="b"')).message,
    ).toMatchInlineSnapshot(
      `"Duplicate auth-param "realm" at character 18: expected each auth-param once (RFC 7616 §3.3, §3.4), found "realm=\\"b\\"""`,
    );
  });
});

describe('parseCredentials', () => {
  it('reads token and quoted values alike', () => {
    const credentials = parseCredentials(
      'Digest username="bob", realm="biloxi.com", nonce="dcd98b", uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae4"',
    );
    expect(credentials.params.get('nc')).toBe('00000001');
    expect(credentials.params.get('uri')).toBe('sip:bob@biloxi.com');
  });

  it('rejects malformed values with INVALID_CREDENTIALS', () => {
    expect(codeAt(() => parseCredentials('Digest username'))).toEqual(['INVALID_CREDENTIALS', 15]);
  });
});
