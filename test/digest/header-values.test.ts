import { describe, expect, it } from 'vitest';
import {
  formatDigestChallenge,
  formatDigestCredentials,
  parseDigestChallenge,
  parseDigestCredentials,
} from '../../src/digest/index.js';
import { codeAt, failure } from '../message/fields/helpers.js';

describe('parseDigestChallenge', () => {
  it('reads an RFC 3261 §22.4-style challenge', () => {
    const challenge = parseDigestChallenge(
      'Digest realm="atlanta.com", domain="sip:boxesbybob.com", qop="auth,auth-int", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    );
    expect(challenge).toMatchObject({
      realm: 'atlanta.com',
      nonce: 'f84f1cec41e6cbe5aea9c8e88d359',
      opaque: '',
      algorithm: 'MD5',
      qop: ['auth', 'auth-int'],
      stale: false,
      domain: 'sip:boxesbybob.com',
    });
  });

  it('defaults algorithm to MD5 and qop to none, and reads stale=TRUE', () => {
    const challenge = parseDigestChallenge('digest nonce="n", realm="r", stale=TRUE');
    expect(challenge.algorithm).toBe('MD5');
    expect(challenge.qop).toEqual([]);
    expect(challenge.stale).toBe(true);
    expect(challenge.opaque).toBeUndefined();
  });

  it('keeps an unknown algorithm as received', () => {
    expect(parseDigestChallenge('Digest realm="r", nonce="n", algorithm=SHA-1').algorithm).toBe(
      'SHA-1',
    );
  });

  it.each([
    ['Basic realm="r"', 0],
    ['Digest nonce="n"', 16],
    ['Digest realm="r"', 16],
    ['Digest realm="r", nonce="n", stale=maybe', 35],
  ])('rejects %j with INVALID_CHALLENGE at %i', (value, offset) => {
    expect(codeAt(() => parseDigestChallenge(value))).toEqual(['INVALID_CHALLENGE', offset]);
  });

  it('says which parameter is missing', () => {
    expect(failure(() => parseDigestChallenge('Digest nonce="n"')).message).toMatchInlineSnapshot(
      `"Invalid Digest challenge at character 16: expected a realm parameter, found the end of the value"`,
    );
  });
});

const CREDENTIALS =
  'Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="sip:bob@biloxi.com", qop=auth, nc=0000000A, cnonce="0a4f113b", response="6629FAE49393A05397450978507C4EF1", opaque="5ccc069c403ebaf9f0171e9517f40e41"';

describe('parseDigestCredentials', () => {
  it('reads every field, nc as a number and the response in lower case', () => {
    expect(parseDigestCredentials(CREDENTIALS)).toMatchObject({
      username: 'bob',
      realm: 'biloxi.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: 'sip:bob@biloxi.com',
      response: '6629fae49393a05397450978507c4ef1',
      algorithm: 'MD5',
      cnonce: '0a4f113b',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      qop: 'auth',
      nc: 10,
    });
  });

  it('accepts a quoted qop, as some clients send it', () => {
    expect(parseDigestCredentials(CREDENTIALS.replace('qop=auth', 'qop="auth"')).qop).toBe('auth');
  });

  it.each([
    ['not Digest', CREDENTIALS.replace('Digest', 'Basic')],
    ['no username', CREDENTIALS.replace('username="bob", ', '')],
    ['no uri', CREDENTIALS.replace('uri="sip:bob@biloxi.com", ', '')],
    ['no response', CREDENTIALS.replace(/, response="\w+"/, '')],
    ['a non-hex response', CREDENTIALS.replace('response="6629', 'response="zz29')],
    ['an nc of 7 digits', CREDENTIALS.replace('nc=0000000A', 'nc=000000A')],
    ['an nc that is not hex', CREDENTIALS.replace('nc=0000000A', 'nc=0000000G')],
    ['qop without nc', CREDENTIALS.replace('nc=0000000A, ', '')],
    ['qop without cnonce', CREDENTIALS.replace('cnonce="0a4f113b", ', '')],
  ])('rejects credentials with %s (INVALID_CREDENTIALS)', (_, value) => {
    expect(failure(() => parseDigestCredentials(value)).code).toBe('INVALID_CREDENTIALS');
  });
});

describe('formatDigestChallenge and formatDigestCredentials', () => {
  it('write what the parsers read back', () => {
    const challenge = formatDigestChallenge({
      realm: 'atlanta "east"',
      nonce: 'n1',
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      opaque: 'o',
      stale: true,
      domain: 'sip:a.com sip:b.com',
    });
    expect(challenge).toBe(
      'Digest realm="atlanta \\"east\\"", domain="sip:a.com sip:b.com", nonce="n1", opaque="o", stale=true, algorithm=SHA-256, qop="auth,auth-int"',
    );
    expect(parseDigestChallenge(challenge)).toMatchObject({
      realm: 'atlanta "east"',
      qop: ['auth', 'auth-int'],
      stale: true,
    });
    const credentials = formatDigestCredentials({
      username: 'bob',
      realm: 'r',
      nonce: 'n',
      uri: 'sip:r',
      response: 'abcdef',
      algorithm: 'MD5-sess',
      cnonce: 'c',
      qop: 'auth',
      nc: 300,
    });
    expect(credentials).toBe(
      'Digest username="bob", realm="r", nonce="n", uri="sip:r", response="abcdef", algorithm=MD5-sess, cnonce="c", qop=auth, nc=0000012c',
    );
    expect(parseDigestCredentials(credentials).nc).toBe(300);
  });

  it('refuse CR and LF with INVALID_QUOTED_STRING', () => {
    expect(
      failure(() =>
        formatDigestChallenge({ realm: 'a\r\nX: y', nonce: 'n', algorithm: 'MD5', qop: [] }),
      ).code,
    ).toBe('INVALID_QUOTED_STRING');
  });
});
