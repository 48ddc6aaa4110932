import { describe, expect, it } from 'vitest';
import { getHeader, getHeaders, getHeaderValues, hasHeader } from '../../src/message/headers.js';
import type { SipRequest } from '../../src/message/types.js';
import { ParseError } from '../../src/parse/errors.js';

const request: SipRequest = {
  type: 'request',
  method: 'INVITE',
  uri: 'sip:bob@biloxi.com',
  version: 'SIP/2.0',
  headers: [
    { name: 'Via', value: 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com' },
    { name: 'v', value: 'SIP/2.0/UDP c.example.com;branch=z9hG4bK3' },
    { name: 'To', value: '"Watson, Thomas" <sip:t.watson@example.org>' },
    { name: 'Call-ID', value: 'a84b4c76e66710' },
    { name: 'm', value: '"Doe, J" <sip:j@a.com>;q=0.7, <sip:k@b.com>' },
    { name: 'CONTACT', value: '*' },
    { name: 'WWW-Authenticate', value: 'Digest realm="a", nonce="b"' },
    { name: 'X-Custom', value: 'a, b' },
    { name: 'x-custom', value: 'c' },
    { name: 'Supported', value: '' },
    { name: 'Allow', value: 'INVITE, ACK' },
  ],
  body: new Uint8Array(0),
};

describe('getHeader', () => {
  it('returns the first field value, matching case-insensitively', () => {
    expect(getHeader(request, 'call-id')).toBe('a84b4c76e66710');
    expect(getHeader(request, 'CALL-ID')).toBe('a84b4c76e66710');
  });

  it('treats compact and long forms as the same header', () => {
    expect(getHeader(request, 'i')).toBe('a84b4c76e66710');
    expect(getHeader(request, 'contact')).toBe('"Doe, J" <sip:j@a.com>;q=0.7, <sip:k@b.com>');
    expect(getHeader(request, 'V')).toBe(
      'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com',
    );
  });

  it('returns undefined for an absent header', () => {
    expect(getHeader(request, 'Max-Forwards')).toBeUndefined();
    expect(getHeader(request, 'X-Missing')).toBeUndefined();
  });

  it('matches unknown headers case-insensitively', () => {
    expect(getHeader(request, 'X-CUSTOM')).toBe('a, b');
  });
});

describe('getHeaders', () => {
  it('returns every field of the header in order, as stored', () => {
    expect(getHeaders(request, 'via')).toEqual([
      {
        name: 'Via',
        value: 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/TCP b.example.com',
      },
      { name: 'v', value: 'SIP/2.0/UDP c.example.com;branch=z9hG4bK3' },
    ]);
    expect(getHeaders(request, 'x-custom')).toEqual([
      { name: 'X-Custom', value: 'a, b' },
      { name: 'x-custom', value: 'c' },
    ]);
    expect(getHeaders(request, 'Route')).toEqual([]);
  });
});

describe('getHeaderValues', () => {
  it('splits every field of a list header on top-level commas, in order', () => {
    expect(getHeaderValues(request, 'v')).toEqual([
      'SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
      'SIP/2.0/TCP b.example.com',
      'SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
    ]);
    expect(getHeaderValues(request, 'Contact')).toEqual([
      '"Doe, J" <sip:j@a.com>;q=0.7',
      '<sip:k@b.com>',
      '*',
    ]);
    expect(getHeaderValues(request, 'allow')).toEqual(['INVITE', 'ACK']);
  });

  it('gives no values for an empty list field (RFC 3261 §20.37)', () => {
    expect(getHeaderValues(request, 'k')).toEqual([]);
  });

  it('keeps single, never-combined and unknown headers whole', () => {
    expect(getHeaderValues(request, 't')).toEqual(['"Watson, Thomas" <sip:t.watson@example.org>']);
    expect(getHeaderValues(request, 'www-authenticate')).toEqual(['Digest realm="a", nonce="b"']);
    expect(getHeaderValues(request, 'X-Custom')).toEqual(['a, b', 'c']);
  });

  it('throws ParseError for a list field with an empty element (RFC 4475 §3.1.2.1)', () => {
    const bad: SipRequest = {
      ...request,
      headers: [{ name: 'Via', value: 'SIP/2.0/UDP 192.0.2.15;;,;,,' }],
    };
    expect(() => getHeaderValues(bad, 'Via')).toThrow(ParseError);
  });
});

describe('hasHeader', () => {
  it('tells whether any field of the header is present', () => {
    expect(hasHeader(request, 'f')).toBe(false);
    expect(hasHeader(request, 'm')).toBe(true);
    expect(hasHeader(request, 'Supported')).toBe(true);
    expect(hasHeader(request, 'x-custom')).toBe(true);
  });
});
