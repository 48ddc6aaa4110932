/**
 * serialize: round trip through the parser, and injection-proofing. Arbitrary text in any
 * part a caller controls either makes serialize (or buildResponse) throw its typed error, or
 * gives bytes that parse back to exactly the intended fields: never a second header, never a
 * second message.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  BuildError,
  buildResponse,
  canonicalHeaderName,
  type HeaderField,
  SerializeError,
  type SipMessage,
  type SipResponse,
  serialize,
} from '../../src/message/index.js';
import { parseDatagram } from '../../src/parse/index.js';
import { requestArbitrary } from '../arbitraries/requests.js';
import { makeRequest } from '../message/support.js';

/** Text a caller might pass, rich in the characters that matter on the wire. */
const hostileText: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '\r',
        '\n',
        '\r\n',
        '\0',
        '\t',
        ' ',
        '"',
        '\\',
        ':',
        ';',
        ',',
        '<',
        '>',
        '\x7f',
        '\x1b',
        '%',
      ),
    },
    { weight: 3, arbitrary: fc.constantFrom('a', 'B', '7', '-', '.') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '\r\nVia: SIP/2.0/UDP evil',
        '\r\n\r\nINVITE sip:x SIP/2.0',
        '\ud800',
        '\udc00',
        'é',
        '😀',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
  ),
  maxLength: 24,
});

/** What a parser must report for a message: its start line, its fields (canonical names, no Content-Length) and body. */
function fieldsOf(message: SipMessage): unknown {
  const headers = message.headers
    .filter((field) => canonicalHeaderName(field.name) !== 'Content-Length')
    .map((field) => ({ name: canonicalHeaderName(field.name), value: field.value }));
  const start =
    message.type === 'request'
      ? { method: message.method, uri: message.uri, version: message.version.toUpperCase() }
      : { status: message.status, reason: message.reason, version: message.version.toUpperCase() };
  return { type: message.type, ...start, headers, body: [...message.body] };
}

/** serialize throws SerializeError, or its bytes parse back to exactly the same message. */
function roundTripsOrRefuses(message: SipMessage): void {
  let bytes: Uint8Array;
  try {
    bytes = serialize(message);
  } catch (error) {
    expect(error).toBeInstanceOf(SerializeError);
    return;
  }
  expect(fieldsOf(parseDatagram(bytes))).toEqual(fieldsOf(message));
}

const BASE: readonly HeaderField[] = [
  { name: 'Via', value: 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1' },
  { name: 'From', value: '<sip:a@a.example.com>;tag=1' },
  { name: 'To', value: '<sip:b@b.example.com>;tag=2' },
  { name: 'Call-ID', value: 'c1' },
  { name: 'CSeq', value: '1 INVITE' },
];

function response(overrides: Partial<SipResponse>): SipResponse {
  return {
    type: 'response',
    version: 'SIP/2.0',
    status: 486,
    reason: 'Busy Here',
    headers: BASE,
    body: new Uint8Array(0),
    ...overrides,
  };
}

describe('serialize round trip', () => {
  test.prop([requestArbitrary], { numRuns: 200 })(
    'a request parses back to the same fields',
    (request) => {
      expect(fieldsOf(parseDatagram(serialize(request)))).toEqual(fieldsOf(request));
    },
  );

  test.prop([requestArbitrary], { numRuns: 100 })(
    'compact names parse back to the same fields',
    (request) => {
      expect(fieldsOf(parseDatagram(serialize(request, { compact: true })))).toEqual(
        fieldsOf(request),
      );
    },
  );

  test.prop([fc.uint8Array({ maxLength: 64 })], { numRuns: 100 })(
    'any body bytes come back unchanged, counted by Content-Length',
    (body) => {
      const message = response({
        headers: [...BASE, { name: 'Content-Type', value: 'application/octet-stream' }],
        body,
      });
      const parsed = parseDatagram(serialize(message));
      expect([...parsed.body]).toEqual([...body]);
      expect(
        parsed.headers
          .filter((field) => field.name === 'Content-Length')
          .map((field) => field.value),
      ).toEqual([String(body.byteLength)]);
    },
  );
});

describe('serialize cannot be made to write another header or message', () => {
  test.prop([hostileText], { numRuns: 300 })('in a header value', (value) => {
    roundTripsOrRefuses(response({ headers: [...BASE, { name: 'X-Note', value }] }));
  });

  test.prop([hostileText], { numRuns: 300 })('in a header name', (name) => {
    roundTripsOrRefuses(response({ headers: [...BASE, { name, value: 'x' }] }));
  });

  test.prop([hostileText], { numRuns: 300 })('in a reason phrase', (reason) => {
    roundTripsOrRefuses(response({ reason }));
  });

  test.prop([hostileText], { numRuns: 200 })('in a method', (method) => {
    roundTripsOrRefuses({ ...makeRequest('INVITE'), method });
  });

  test.prop([hostileText], { numRuns: 200 })('in a Request-URI', (uri) => {
    roundTripsOrRefuses({ ...makeRequest('INVITE'), uri: `sip:${uri}` });
  });

  test.prop([fc.integer({ min: -1000, max: 2000 })], { numRuns: 200 })(
    'in a status code',
    (status) => {
      roundTripsOrRefuses(response({ status }));
    },
  );
});

describe('buildResponse options cannot inject either', () => {
  const request = makeRequest('INVITE');

  /** buildResponse throws BuildError, or the response round-trips exactly. */
  function buildsSafely(options: Parameters<typeof buildResponse>[2]): void {
    let built: SipResponse;
    try {
      built = buildResponse(request, 486, options).response;
    } catch (error) {
      expect(error).toBeInstanceOf(BuildError);
      return;
    }
    expect(fieldsOf(parseDatagram(serialize(built)))).toEqual(fieldsOf(built));
  }

  test.prop([hostileText], { numRuns: 200 })('through options.reason', (reason) =>
    buildsSafely({ reason }),
  );
  test.prop([hostileText], { numRuns: 200 })('through options.toTag', (toTag) =>
    buildsSafely({ toTag }),
  );
  test.prop([hostileText], { numRuns: 200 })('through options.contact', (contact) =>
    buildsSafely({ contact }),
  );
  test.prop([hostileText], { numRuns: 200 })('through options.contentType', (contentType) =>
    buildsSafely({ contentType, body: 'x' }),
  );
  test.prop([hostileText], { numRuns: 200 })('through a header value', (value) =>
    buildsSafely({ headers: { 'X-Note': value } }),
  );
  test.prop([hostileText], { numRuns: 200 })('through a header name', (name) =>
    buildsSafely({ headers: { [name]: 'x' } }),
  );
  test.prop([fc.array(hostileText, { maxLength: 3 })], { numRuns: 200 })(
    'through options.allow',
    (allow) => buildsSafely({ allow }),
  );
});
