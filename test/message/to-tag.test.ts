import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { halfSipHash } from '../../src/message/half-siphash.js';
import { buildResponse, createTagKey, type SipRequest, toTagFor } from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';
import { makeRequest } from './support.js';

describe('halfSipHash', () => {
  // The reference implementation's HalfSipHash-2-4 32-bit vectors: key 00 01 … 07, input the
  // first n bytes of 00 01 02 …, output as a little-endian word.
  const VECTORS_32 = [
    0x5b9f35a9, 0xb85a4727, 0x03a662fa, 0x04e7fe8a, 0x89466e2a, 0x69b6fac5, 0x23fc6358, 0xc563cf8b,
    0x8f84b8d0,
  ];
  const input = Uint8Array.from({ length: 64 }, (_, i) => i);

  it('gives the reference 32-bit outputs', () => {
    VECTORS_32.forEach((expected, length) => {
      expect(halfSipHash(0x03020100, 0x07060504, input, length, 1)[0]).toBe(expected);
    });
  });

  it('gives a 64-bit output whose words differ from each other and from the 32-bit one', () => {
    const [low, high] = halfSipHash(0x03020100, 0x07060504, input, 8, 2);
    expect(low).not.toBe(high);
    expect(low).not.toBe(VECTORS_32[8]);
  });
});

function invite(branch: string, fromTag = '1928301774', callId = 'c1@h', cseq = 1): SipRequest {
  return makeRequest('INVITE', [
    ['Via', `SIP/2.0/UDP pc33.example.com;branch=${branch}`],
    ['Max-Forwards', '70'],
    ['To', '<sip:bob@example.com>'],
    ['From', `<sip:alice@example.com>;tag=${fromTag}`],
    ['Call-ID', callId],
    ['CSeq', `${cseq} INVITE`],
    ['Contact', '<sip:alice@pc33.example.com>'],
  ]);
}

function wire(request: SipRequest): string {
  const lines = [`${request.method} ${request.uri} SIP/2.0`];
  for (const field of request.headers) lines.push(`${field.name}: ${field.value}`);
  return `${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`;
}

describe('toTagFor', () => {
  const key = createTagKey(new TextEncoder().encode('a shared secret'));

  it('is 16 hex digits, the same for the same request and key', () => {
    const tag = toTagFor(invite('z9hG4bK1'), key);
    expect(tag).toMatch(/^[0-9a-f]{16}$/);
    expect(toTagFor(invite('z9hG4bK1'), key)).toBe(tag);
  });

  it('is the same from the parser and from plain data', () => {
    const request = invite('z9hG4bKp');
    const parsed = parseMessage(wire(request));
    if (parsed.type !== 'request') throw new Error('expected a request');
    expect(toTagFor(parsed, key)).toBe(toTagFor(request, key));
  });

  it('changes with each part of the identity', () => {
    const base = toTagFor(invite('z9hG4bK1'), key);
    expect(toTagFor(invite('z9hG4bK2'), key)).not.toBe(base);
    expect(toTagFor(invite('z9hG4bK1', 'other'), key)).not.toBe(base);
    expect(toTagFor(invite('z9hG4bK1', '1928301774', 'c2@h'), key)).not.toBe(base);
    expect(toTagFor(invite('z9hG4bK1', '1928301774', 'c1@h', 2), key)).not.toBe(base);
  });

  it('gives a CANCEL the tag of the INVITE it cancels (RFC 3261 §9.2)', () => {
    const request = invite('z9hG4bKc');
    const cancel: SipRequest = {
      ...request,
      method: 'CANCEL',
      headers: request.headers
        .filter((field) => field.name !== 'Contact')
        .map((field) => (field.name === 'CSeq' ? { name: 'CSeq', value: '1 CANCEL' } : field)),
    };
    expect(toTagFor(cancel, key)).toBe(toTagFor(request, key));
    const forInvite = buildResponse(request, 487, { tagKey: key }).toTag;
    expect(buildResponse(cancel, 200, { tagKey: key }).toTag).toBe(forInvite);
  });

  it('depends on the key; keys made from one secret agree', () => {
    const request = invite('z9hG4bK1');
    const again = createTagKey(new TextEncoder().encode('a shared secret'));
    expect(toTagFor(request, again)).toBe(toTagFor(request, key));
    expect(toTagFor(request, createTagKey())).not.toBe(toTagFor(request, key));
    expect(toTagFor(request, createTagKey(new Uint8Array(8)))).not.toBe(toTagFor(request, key));
  });

  it('refuses a secret shorter than 8 bytes', () => {
    expect(() => createTagKey(new Uint8Array(7))).toThrow(RangeError);
  });

  it('gives 10^5 distinct requests 10^5 distinct tags', () => {
    const tags = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      tags.add(toTagFor(invite(`z9hG4bK${i.toString(36)}`, `f${i % 97}`, `c${i}@h`, i), key));
    }
    expect(tags.size).toBe(100_000);
  });

  it('encodes non-ASCII text one-to-one', () => {
    // "é" (U+00E9) must not collide with the bytes 0xFF 0xE9 0x00 written as ASCII
    const a = toTagFor(invite('z9hG4bK1', 'é'), key);
    const b = toTagFor(invite('z9hG4bK1', '\u00ff\u00e9'), key);
    expect(a).not.toBe(b);
  });

  const token = fc.stringMatching(/^[\w.!%*+`'~-]{1,20}$/);
  test.prop([token, token])(
    'two requests that differ in their branch get different tags',
    (left, right) => {
      fc.pre(left !== right);
      expect(toTagFor(invite(left), key)).not.toBe(toTagFor(invite(right), key));
    },
  );
});
