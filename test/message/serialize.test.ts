import { describe, expect, it } from 'vitest';
import {
  type HeaderField,
  SerializeError,
  type SipRequest,
  type SipResponse,
  serialize,
  serializeToString,
} from '../../src/message/index.js';

const decoder = new TextDecoder();

function response(
  headers: readonly HeaderField[],
  overrides: Partial<SipResponse> = {},
): SipResponse {
  return {
    type: 'response',
    version: 'SIP/2.0',
    status: 486,
    reason: 'Busy Here',
    headers,
    body: new Uint8Array(0),
    ...overrides,
  };
}

function request(headers: readonly HeaderField[], overrides: Partial<SipRequest> = {}): SipRequest {
  return {
    type: 'request',
    method: 'OPTIONS',
    uri: 'sip:carol@chicago.example.com',
    version: 'SIP/2.0',
    headers,
    body: new Uint8Array(0),
    ...overrides,
  };
}

function thrown(action: () => unknown): SerializeError {
  try {
    action();
  } catch (error) {
    if (error instanceof SerializeError) return error;
    throw error;
  }
  throw new Error('expected a SerializeError');
}

describe('serialize', () => {
  it('writes a status line, one line per field, Content-Length and the empty line', () => {
    const text = serializeToString(
      response([
        { name: 'Via', value: 'SIP/2.0/UDP a.example.com;branch=z9hG4bK1' },
        { name: 'Call-ID', value: 'x@y' },
      ]),
    );
    expect(text).toBe(
      'SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nCall-ID: x@y\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('writes a request line', () => {
    expect(serializeToString(request([]))).toBe(
      'OPTIONS sip:carol@chicago.example.com SIP/2.0\r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('keeps the SP before an empty reason phrase', () => {
    expect(serializeToString(response([], { status: 100, reason: '' }))).toBe(
      'SIP/2.0 100 \r\nContent-Length: 0\r\n\r\n',
    );
  });

  it('writes the version in upper case', () => {
    expect(serializeToString(response([], { version: 'sip/2.0' })).slice(0, 8)).toBe('SIP/2.0 ');
  });

  it('writes canonical header names', () => {
    const text = serializeToString(
      response([
        { name: 'v', value: 'SIP/2.0/UDP a' },
        { name: 'call-id', value: 'c' },
        { name: 'CSEQ', value: '1 INVITE' },
        { name: 'X-Custom', value: 'kept' },
      ]),
    );
    expect(text.split('\r\n').slice(1, 5)).toEqual([
      'Via: SIP/2.0/UDP a',
      'Call-ID: c',
      'CSeq: 1 INVITE',
      'X-Custom: kept',
    ]);
  });

  it('writes compact names when asked, canonical ones where there is none', () => {
    const text = serializeToString(
      response(
        [
          { name: 'Via', value: 'SIP/2.0/UDP a' },
          { name: 'CSeq', value: '1 INVITE' },
          { name: 'Content-Type', value: 'text/plain' },
        ],
        { body: new TextEncoder().encode('hi') },
      ),
      { compact: true },
    );
    expect(text).toBe(
      'SIP/2.0 486 Busy Here\r\nv: SIP/2.0/UDP a\r\nCSeq: 1 INVITE\r\nc: text/plain\r\nl: 2\r\n\r\nhi',
    );
  });

  it('drops every Content-Length field and writes the body byte count', () => {
    const body = new TextEncoder().encode('héllo'); // 6 bytes, 5 characters
    const text = serializeToString(
      response(
        [
          { name: 'Content-Length', value: '999' },
          { name: 'Content-Type', value: 'text/plain' },
          { name: 'l', value: '1' },
        ],
        { body },
      ),
    );
    expect(text).toBe(
      'SIP/2.0 486 Busy Here\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n\r\nhéllo',
    );
  });

  it('appends the body bytes unchanged, NUL and bare CR included', () => {
    const body = new Uint8Array([0x00, 0x0d, 0x41, 0xff]);
    const bytes = serialize(
      response([{ name: 'Content-Type', value: 'application/octet-stream' }], { body }),
    );
    expect([...bytes.slice(-4)]).toEqual([0x00, 0x0d, 0x41, 0xff]);
    expect(decoder.decode(bytes)).toContain('Content-Length: 4\r\n\r\n');
  });

  it('encodes UTF-8 in reason phrases and values', () => {
    const bytes = serialize(response([{ name: 'Subject', value: 'ça' }], { reason: 'Occupé' }));
    expect([...bytes.slice(0, 23)]).toEqual([
      ...new TextEncoder().encode('SIP/2.0 486 Occupé\r\nSu'),
    ]);
  });

  it('writes an empty value as "Name: "', () => {
    expect(serializeToString(response([{ name: 'Supported', value: '' }]))).toContain(
      '\r\nSupported: \r\n',
    );
  });

  it('accepts a control character escaped by a quoted-pair inside a quoted string', () => {
    const value = '"BEL:\\\x07 NUL:\\\x00" <sip:a@b>';
    expect(serializeToString(response([{ name: 'To', value }]))).toContain(`\r\nTo: ${value}\r\n`);
  });
});

describe('serialize refuses what would change the message', () => {
  it.each([
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['CRLF and a second header', 'a\r\nVia: evil'],
    ['NUL outside a quoted-pair', 'a\x00b'],
    ['BEL', 'a\x07'],
    ['DEL', 'a\x7f'],
    ['leading whitespace', ' a'],
    ['trailing whitespace', 'a\t'],
    ['a lone surrogate', 'a\ud800b'],
    ['an escaped CR inside quotes', '"a\\\rb"'],
  ])('rejects a header value with %s', (_what, value) => {
    const error = thrown(() => serialize(response([{ name: 'Subject', value }])));
    expect(error.code).toBe('INVALID_HEADER_VALUE');
    expect(error.part).toBe('headerValue');
    expect(error.header).toBe('Subject');
  });

  it('gives the index of the offending character', () => {
    expect(thrown(() => serialize(response([{ name: 'Subject', value: 'ab\r\ncd' }]))).index).toBe(
      2,
    );
  });

  it.each([[''], ['Bad Name'], ['Via:'], ['X\r\nY'], ['Ünicode']])(
    'rejects the header name %j',
    (name) => {
      const error = thrown(() => serialize(response([{ name, value: 'x' }])));
      expect(error.code).toBe('INVALID_HEADER_NAME');
      expect(error.part).toBe('headerName');
    },
  );

  it.each([['OK\r\nVia: x'], ['OK\n'], ['\x00'], ['a\x1b[31m']])(
    'rejects the reason phrase %j',
    (reason) => {
      expect(thrown(() => serialize(response([], { reason }))).code).toBe('INVALID_REASON_PHRASE');
    },
  );

  it('accepts HTAB in a reason phrase', () => {
    expect(serializeToString(response([], { reason: 'Busy\tHere' }))).toMatch(
      /^SIP\/2\.0 486 Busy\tHere\r\n/,
    );
  });

  it.each([[99], [700], [200.5], [Number.NaN], [-200]])('rejects the status code %s', (status) => {
    const error = thrown(() => serialize(response([], { status })));
    expect(error.code).toBe('INVALID_STATUS_CODE');
    expect(error.part).toBe('status');
  });

  it.each([[''], ['INV ITE'], ['INVITE\r\n'], ['REGISTER;x']])(
    'rejects the method %j',
    (method) => {
      expect(thrown(() => serialize(request([], { method }))).code).toBe('INVALID_METHOD');
    },
  );

  it.each([
    [''],
    ['sip:'],
    ['sip'],
    ['1sip:a'],
    ['sip:a b'],
    ['sip:a\r\nVia: x'],
    ['sip:\x00'],
    ['<sip:a@b>'],
    ['sip:é'],
    ['sip:a"b'],
  ])('rejects the Request-URI %j', (uri) => {
    expect(thrown(() => serialize(request([], { uri }))).code).toBe('INVALID_REQUEST_URI');
  });

  it.each([
    ['nobodyKnowsThisScheme:totallyopaquecontent'],
    ['sips:user%40example.com@b;lr?h=v'],
    ['tel:+1-201-555-0123'],
  ])('accepts the Request-URI %j', (uri) => {
    expect(serializeToString(request([], { uri }))).toBe(
      `OPTIONS ${uri} SIP/2.0\r\nContent-Length: 0\r\n\r\n`,
    );
  });

  it.each([['SIP/2.0\r\n'], ['HTTP/1.1'], ['SIP/2'], ['']])('rejects the version %j', (version) => {
    expect(thrown(() => serialize(request([], { version }))).code).toBe('INVALID_VERSION');
  });

  it('says what was found and where', () => {
    expect(
      thrown(() => serialize(response([{ name: 'Subject', value: 'hi\r\nVia: x' }]))).message,
    ).toMatchInlineSnapshot(
      `"Cannot serialize header value of Subject at character 2: expected a value without CR, LF, control characters outside a quoted-pair, or surrounding whitespace (RFC 3261 §7.3.1, §25.1), found "hi\\x0d\\x0aVia: x""`,
    );
  });
});
