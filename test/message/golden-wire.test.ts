/**
 * Wire goldens of buildResponse: one request, one code, fixed options (a fixed To tag), and the
 * exact bytes serialize writes, checked in as test/fixtures/message/<name>.wire. A golden
 * changes only with UPDATE_GOLDEN=1 and a reviewed diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type BuildResponseOptions,
  buildResponse,
  serialize,
  validate,
} from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';

const FIXTURES = new URL('../fixtures/message/', import.meta.url);
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

function request(lines: readonly string[], body = ''): string {
  return `${lines.join('\r\n')}\r\nContent-Length: ${new TextEncoder().encode(body).byteLength}\r\n\r\n${body}`;
}

const INVITE = request(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP proxy.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1, SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKnashds8;received=192.0.2.101',
    'Max-Forwards: 69',
    'Record-Route: <sip:proxy.atlanta.example.com;lr>',
    'To: Bob <sip:bob@biloxi.example.com>',
    'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Timestamp: 54.03',
    'Supported: 100rel, timer',
    'Contact: <sip:alice@pc33.atlanta.example.com>',
    'Content-Type: application/sdp',
  ],
  'v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.example.com\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
);

const OPTIONS = request([
  'OPTIONS sip:carol@chicago.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877',
  'Max-Forwards: 70',
  'To: <sip:carol@chicago.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 63104 OPTIONS',
  'Accept: application/sdp',
]);

const REGISTER = request([
  'REGISTER sips:ss2.biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/TLS client.biloxi.example.com:5061;branch=z9hG4bKnashds7',
  'Max-Forwards: 70',
  'From: Bob <sips:bob@biloxi.example.com>;tag=a73kszlfl',
  'To: Bob <sips:bob@biloxi.example.com>',
  'Call-ID: 1j9FpLxk3uxtm8tn@biloxi.example.com',
  'CSeq: 2 REGISTER',
  'Contact: <sips:bob@client.biloxi.example.com>',
  'Authorization: Digest username="bob", realm="atlanta.example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sips:ss2.biloxi.example.com", response="dfe56131d1958046689d83306477ecc"',
]);

const REGISTER_FAST = request([
  'REGISTER sip:registrar.biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Bob <sip:bob@biloxi.example.com>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:bob@192.0.2.4>',
  'Expires: 60',
]);

const BYE_WITH_REQUIRE = request([
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK74bf9',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.example.com>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl',
  'Call-ID: 3848276298220188511@atlanta.example.com',
  'CSeq: 1 INVITE',
  'Require: foo, precondition',
  'Proxy-Require: bar',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
]);

interface GoldenCase {
  readonly name: string;
  readonly request: string;
  readonly code: number;
  readonly options: BuildResponseOptions;
}

const TAG = 'a6c85cf';
const CASES: readonly GoldenCase[] = [
  { name: '100-trying-timestamp', request: INVITE, code: 100, options: { timestampDelay: 0.25 } },
  {
    name: '180-ringing-early-dialog',
    request: INVITE,
    code: 180,
    options: { toTag: TAG, contact: '<sip:bob@192.0.2.4>' },
  },
  {
    name: '200-ok-invite',
    request: INVITE,
    code: 200,
    options: {
      toTag: TAG,
      contact: '<sip:bob@192.0.2.4>',
      allow: ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE'],
      supported: ['100rel'],
      contentType: 'application/sdp',
      body: 'v=0\r\no=bob 2808844564 2808844564 IN IP4 192.0.2.4\r\ns=-\r\nc=IN IP4 192.0.2.4\r\nt=0 0\r\nm=audio 3456 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n',
    },
  },
  {
    name: '200-ok-options',
    request: OPTIONS,
    code: 200,
    options: {
      toTag: TAG,
      allow: ['INVITE', 'ACK', 'CANCEL', 'OPTIONS', 'BYE'],
      supported: [],
      headers: { Accept: 'application/sdp', 'Accept-Encoding': 'gzip', 'Accept-Language': 'en' },
    },
  },
  {
    name: '200-ok-register',
    request: REGISTER,
    code: 200,
    options: {
      toTag: TAG,
      contact: '<sips:bob@client.biloxi.example.com>;expires=3600',
      headers: { Date: 'Sat, 13 Nov 2010 23:29:00 GMT' },
    },
  },
  {
    name: '401-unauthorized',
    request: REGISTER_FAST,
    code: 401,
    options: {
      toTag: TAG,
      headers: {
        'WWW-Authenticate':
          'Digest realm="atlanta.example.com", qop="auth", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", opaque="", stale=FALSE, algorithm=MD5',
      },
    },
  },
  {
    name: '405-method-not-allowed',
    request: OPTIONS,
    code: 405,
    options: { toTag: TAG, allow: ['INVITE', 'ACK', 'CANCEL', 'BYE'] },
  },
  {
    name: '420-bad-extension',
    request: BYE_WITH_REQUIRE,
    code: 420,
    options: { toTag: TAG, supported: ['100rel', 'precondition'] },
  },
  {
    name: '421-extension-required',
    request: INVITE,
    code: 421,
    options: { toTag: TAG, headers: { Require: 'precondition' } },
  },
  {
    name: '423-interval-too-brief',
    request: REGISTER_FAST,
    code: 423,
    options: { toTag: TAG, headers: { 'Min-Expires': '3600' } },
  },
  {
    name: '486-busy-here',
    request: INVITE,
    code: 486,
    options: { toTag: TAG, headers: { 'Retry-After': '120' } },
  },
  { name: '603-decline', request: INVITE, code: 603, options: { toTag: TAG, reason: 'Decline' } },
];

describe('buildResponse wire goldens', () => {
  it.each(CASES.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const parsed = parseMessage(entry.request);
    if (parsed.type !== 'request') throw new Error('golden requests must be requests');
    const { response } = buildResponse(parsed, entry.code, entry.options);
    expect(
      validate(response, { request: parsed }).filter((issue) => issue.severity === 'MUST'),
    ).toEqual([]);
    const bytes = serialize(response);
    const file = new URL(`${entry.name}.wire`, FIXTURES);
    if (UPDATE) writeFileSync(fileURLToPath(file), bytes);
    if (!existsSync(file))
      throw new Error(
        `Missing golden ${fileURLToPath(file)}: run with UPDATE_GOLDEN=1 and review the diff`,
      );
    expect(new TextDecoder().decode(bytes)).toBe(new TextDecoder().decode(readFileSync(file)));
    expect(Buffer.compare(Buffer.from(bytes), readFileSync(file))).toBe(0);
  });
});
