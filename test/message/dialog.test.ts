import { describe, expect, it } from 'vitest';
import {
  createsDialog,
  createsEarlyDialog,
  methodsMissingFromAllow,
  nonSipsContacts,
  readCSeqMethod,
  readToTag,
  requiresSipsContact,
  unofferedExtensions,
} from '../../src/message/dialog.js';
import type { SipResponse } from '../../src/message/index.js';
import { INVITE_HEADERS, makeRequest } from './support.js';

function response(pairs: readonly (readonly [string, string])[]): SipResponse {
  return {
    type: 'response',
    version: 'SIP/2.0',
    status: 200,
    reason: 'OK',
    headers: pairs.map(([name, value]) => ({ name, value })),
    body: new Uint8Array(0),
  };
}

describe('createsEarlyDialog', () => {
  it('is true for 101–199 with a To tag to INVITE', () => {
    expect([101, 180, 183, 199].map((code) => createsEarlyDialog('INVITE', code, true))).toEqual([
      true,
      true,
      true,
      true,
    ]);
  });

  it('is false for 100, for other methods, for final responses and without a tag', () => {
    expect(createsEarlyDialog('INVITE', 100, true)).toBe(false);
    expect(createsEarlyDialog('SUBSCRIBE', 180, true)).toBe(false);
    expect(createsEarlyDialog('INVITE', 200, true)).toBe(false);
    expect(createsEarlyDialog('INVITE', 180, false)).toBe(false);
  });

  it('is unknown when the method or the tag is', () => {
    expect(createsEarlyDialog(undefined, 180, true)).toBeUndefined();
    expect(createsEarlyDialog('INVITE', 180, undefined)).toBeUndefined();
  });
});

describe('createsDialog', () => {
  it.each([
    ['INVITE', 200, true],
    ['SUBSCRIBE', 202, true],
    ['REFER', 200, true],
    ['OPTIONS', 200, false],
    ['REGISTER', 200, false],
    ['INVITE', 486, false],
    ['INVITE', 302, false],
  ])('%s %i → %s', (method, code, expected) => {
    expect(createsDialog(method, code, true)).toBe(expected);
  });

  it('follows createsEarlyDialog for 1xx', () => {
    expect(createsDialog('INVITE', 180, true)).toBe(true);
    expect(createsDialog('INVITE', 180, false)).toBe(false);
  });
});

describe('readToTag and readCSeqMethod', () => {
  it('reads the tag, its absence, and gives up on a missing or malformed To', () => {
    expect(readToTag(response([['t', '<sip:b@h>;tag=x1']]))).toEqual({ tag: 'x1' });
    expect(readToTag(response([['To', '<sip:b@h>']]))).toEqual({ tag: undefined });
    expect(readToTag(response([]))).toBeUndefined();
    expect(readToTag(response([['To', '<sip:b@h']]))).toBeUndefined();
  });

  it('reads the CSeq method', () => {
    expect(readCSeqMethod(response([['CSeq', '4711 INVITE']]))).toBe('INVITE');
    expect(readCSeqMethod(response([['CSeq', 'INVITE']]))).toBeUndefined();
    expect(readCSeqMethod(response([]))).toBeUndefined();
  });
});

describe('requiresSipsContact (RFC 3261 §12.1.1)', () => {
  it('is true for a sips: Request-URI, any case', () => {
    expect(requiresSipsContact(makeRequest('INVITE', undefined, [], 'SIPS:bob@b'))).toBe(true);
  });

  it('follows the top Record-Route over the Contact', () => {
    expect(
      requiresSipsContact(
        makeRequest('INVITE', undefined, [['Record-Route', '<sips:p1;lr>, <sip:p2;lr>']]),
      ),
    ).toBe(true);
    expect(
      requiresSipsContact(
        makeRequest('INVITE', undefined, [['Record-Route', '<sip:p1;lr>, <sips:p2;lr>']]),
      ),
    ).toBe(false);
  });

  it('follows the Contact when there is no Record-Route', () => {
    const headers = INVITE_HEADERS.map(([name, value]): readonly [string, string] =>
      name === 'Contact' ? [name, '<sips:alice@pc33.atlanta.example.com>'] : [name, value],
    );
    expect(requiresSipsContact(makeRequest('INVITE', headers))).toBe(true);
    expect(requiresSipsContact(makeRequest('INVITE'))).toBe(false);
  });

  it('lists the Contact values that are not sips:', () => {
    expect(
      nonSipsContacts(
        response([
          ['Contact', '<sips:a@h>, <sip:b@h>'],
          ['m', 'SIPS:c@h'],
        ]),
      ),
    ).toEqual(['<sip:b@h>']);
  });
});

describe('methodsMissingFromAllow (RFC 3261 §20.5)', () => {
  it('asks for ACK and CANCEL when INVITE is listed', () => {
    expect(methodsMissingFromAllow(['INVITE'])).toEqual(['ACK', 'CANCEL']);
    expect(methodsMissingFromAllow(['INVITE', 'CANCEL'])).toEqual(['ACK']);
    expect(methodsMissingFromAllow(['INVITE', 'ACK', 'CANCEL'])).toEqual([]);
  });

  it('asks for nothing without INVITE', () => {
    expect(methodsMissingFromAllow(['MESSAGE', 'OPTIONS'])).toEqual([]);
  });
});

describe('unofferedExtensions (RFC 3261 §8.2.4)', () => {
  const request = makeRequest('INVITE', undefined, [
    ['Supported', 'timer'],
    ['Require', '100rel'],
  ]);

  it('lists Require option-tags the request neither supported nor required', () => {
    expect(
      unofferedExtensions(request, 200, response([['Require', 'timer, 100rel, gruu']])),
    ).toEqual(['gruu']);
  });

  it('makes an exception of 421 and 494', () => {
    expect(unofferedExtensions(request, 421, response([['Require', 'gruu']]))).toEqual([]);
    expect(unofferedExtensions(request, 494, response([['Require', 'sec-agree']]))).toEqual([]);
  });
});
