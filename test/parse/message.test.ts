import { describe, expect, it } from 'vitest';
import { parseUri } from '../../src/message/fields/index.js';
import {
  type ParsedMessage,
  ParsedRequest,
  ParsedResponse,
  parseMessage,
} from '../../src/parse/index.js';
import { bytes, chunk, concatBytes, latin1 } from '../helpers/bytes.js';
import { errorAt, runStream } from './support.js';

const INVITE = [
  'INVITE sips:%61lice@[2001:db8::1]:5061;transport=tcp;lr SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.com:5060;branch=z9hG4bK776;received=192.0.2.1;rport=5061, sip / 2.0 / tcp [2001:DB8::9]:5070;branch=z9hG4bK2;maddr=224.2.0.1;ttl=16',
  'v: SIP/2.0/TLS proxy.example.com;branch=z9hG4bK3;rport',
  'From: "Alice \\"A\\" Liddell" <sip:alice@atlanta.com>;tag=1928301774',
  'To: Bob <sip:bob@biloxi.com>',
  'Contact: <sip:alice@pc33.atlanta.com>;expires=3600, "Second, Two" <sips:a2@h2>;q=0.5',
  'm: sip:third@h3;expires=10',
  'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
  'Route: <sip:p3.example.com;lr>',
  'Record-Route: <sip:rr1.example.com;lr>',
  'Reply-To: Bob <sip:bob@biloxi.com>',
  'CSeq: 2147483647 INVITE',
  'Call-ID: a84b4c76e66710@pc33.atlanta.com',
  'Max-Forwards: 70',
  'Content-Type: Application/SDP; charset=UTF-8',
  'Expires: 4294967295',
  'Require: 100rel, timer',
  'Supported: path',
  'k: gruu',
  'Unsupported: foo',
  'Allow: INVITE, ACK , CANCEL',
  'Allow: BYE',
  'Content-Length: 5',
  '',
  'v=0\r\n',
].join('\r\n');

function request(text: string): ParsedRequest {
  const message = parseMessage(text);
  if (!(message instanceof ParsedRequest)) throw new Error('expected a request');
  return message;
}

/** A request with the given header lines (Content-Length 0 added). */
function withHeaders(...lines: string[]): ParsedRequest {
  return request(
    `OPTIONS sip:a@b SIP/2.0\r\n${lines.map((line) => `${line}\r\n`).join('')}l: 0\r\n\r\n`,
  );
}

describe('a parsed request', () => {
  const message = request(INVITE);

  it('is a SipRequest with start line, headers and body', () => {
    expect(message).toBeInstanceOf(ParsedRequest);
    expect([message.type, message.method, message.uri, message.version]).toEqual([
      'request',
      'INVITE',
      'sips:%61lice@[2001:db8::1]:5061;transport=tcp;lr',
      'SIP/2.0',
    ]);
    expect(message.headers).toHaveLength(22);
    expect(message.headers[1]).toEqual({
      name: 'Via',
      value: 'SIP/2.0/TLS proxy.example.com;branch=z9hG4bK3;rport',
    });
    expect(new TextDecoder().decode(message.body)).toBe('v=0\r\n');
  });

  it('via: every value across fields and commas, with branch, received, rport, maddr, ttl', () => {
    expect(message.via).toEqual([
      {
        protocolName: 'SIP',
        protocolVersion: '2.0',
        transport: 'UDP',
        host: 'pc33.atlanta.com',
        port: 5060,
        params: new Map([
          ['branch', 'z9hG4bK776'],
          ['received', '192.0.2.1'],
          ['rport', '5061'],
        ]),
        branch: 'z9hG4bK776',
        received: '192.0.2.1',
        rport: 5061,
      },
      {
        protocolName: 'SIP',
        protocolVersion: '2.0',
        transport: 'TCP',
        host: '[2001:db8::9]',
        port: 5070,
        params: new Map([
          ['branch', 'z9hG4bK2'],
          ['maddr', '224.2.0.1'],
          ['ttl', '16'],
        ]),
        branch: 'z9hG4bK2',
        maddr: '224.2.0.1',
        ttl: 16,
      },
      {
        protocolName: 'SIP',
        protocolVersion: '2.0',
        transport: 'TLS',
        host: 'proxy.example.com',
        params: new Map([
          ['branch', 'z9hG4bK3'],
          ['rport', undefined],
        ]),
        branch: 'z9hG4bK3',
        rport: true,
      },
    ]);
  });

  it('from / to: display name with quoted-pairs resolved, URI, tag', () => {
    expect(message.from).toMatchObject({
      wildcard: false,
      displayName: 'Alice "A" Liddell',
      uri: { kind: 'sip', user: 'alice', host: 'atlanta.com' },
      uriText: 'sip:alice@atlanta.com',
      params: new Map([['tag', '1928301774']]),
      tag: '1928301774',
    });
    expect(message.to).toMatchObject({
      wildcard: false,
      displayName: 'Bob',
      uriText: 'sip:bob@biloxi.com',
      params: new Map(),
    });
  });

  it('contact: every value across fields (compact m) and top-level commas only', () => {
    expect(
      message.contact.map((value) =>
        value.wildcard ? '*' : [value.displayName, value.uriText, [...value.params]],
      ),
    ).toEqual([
      [undefined, 'sip:alice@pc33.atlanta.com', [['expires', '3600']]],
      ['Second, Two', 'sips:a2@h2', [['q', '0.5']]],
      [undefined, 'sip:third@h3', [['expires', '10']]],
    ]);
  });

  it('route / recordRoute / replyTo: every value in order', () => {
    expect(message.route.map((value) => !value.wildcard && value.uriText)).toEqual([
      'sip:p1.example.com;lr',
      'sip:p2.example.com;lr',
      'sip:p3.example.com;lr',
    ]);
    expect(message.recordRoute.map((value) => !value.wildcard && value.uriText)).toEqual([
      'sip:rr1.example.com;lr',
    ]);
    expect(message.replyTo.map((value) => !value.wildcard && value.displayName)).toEqual(['Bob']);
  });

  it('cseq, callId, maxForwards, contentLength, contentType, expires', () => {
    expect(message.cseq).toEqual({ seq: 2147483647, method: 'INVITE' });
    expect(message.callId).toBe('a84b4c76e66710@pc33.atlanta.com');
    expect(message.maxForwards).toBe(70);
    expect(message.contentLength).toBe(5);
    expect(message.contentType).toEqual({
      type: 'application',
      subtype: 'sdp',
      params: new Map([['charset', 'UTF-8']]),
    });
    expect(message.expires).toBe(4294967295);
  });

  it('require / supported / unsupported / allow: tokens across fields (compact k)', () => {
    expect(message.require).toEqual(['100rel', 'timer']);
    expect(message.supported).toEqual(['path', 'gruu']);
    expect(message.unsupported).toEqual(['foo']);
    expect(message.allow).toEqual(['INVITE', 'ACK', 'CANCEL', 'BYE']);
  });

  it('requestUri: the SIPS URI with %HH unescaped once, IPv6 host, port and params', () => {
    const uri = message.requestUri;
    expect(uri).toMatchObject({
      kind: 'sip',
      scheme: 'sips',
      user: 'alice',
      host: '[2001:db8::1]',
      port: 5061,
    });
    expect(uri.kind === 'sip' && [...uri.params]).toEqual([
      ['transport', 'tcp'],
      ['lr', undefined],
    ]);
  });

  it('computes each typed value once and caches it', () => {
    expect(message.via).toBe(message.via);
    expect(message.from).toBe(message.from);
    expect(message.contact).toBe(message.contact);
    expect(message.cseq).toBe(message.cseq);
    expect(message.requestUri).toBe(message.requestUri);
    expect(message.headers).toBe(message.headers);
  });
});

describe('a parsed response', () => {
  it('is a SipResponse with version, status, reason and the same accessors', () => {
    const message = parseMessage(
      'SIP/2.0 486 Busy Here\r\nCSeq: 1 INVITE\r\nt: <sip:b@c>;tag=x\r\nl: 0\r\n\r\n',
    );
    expect(message).toBeInstanceOf(ParsedResponse);
    if (!(message instanceof ParsedResponse)) return;
    expect([message.type, message.version, message.status, message.reason]).toEqual([
      'response',
      'SIP/2.0',
      486,
      'Busy Here',
    ]);
    expect(message.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(message.to?.wildcard === false && message.to.tag).toBe('x');
  });
});

describe('headers', () => {
  const decoder = new TextDecoder();
  const head = latin1('OPTIONS sip:a@b SIP/2.0\r\nSubject: odd \xff byte\r\nX: a\r\n');
  const cases: [string, Uint8Array][] = [
    ['ASCII', bytes`X-Long: ${'v'.repeat(40)}\r\nY: 1`],
    ['an odd byte (one U+FFFD each)', latin1('X: \xfe\x80 z\r\nY: 1')],
    ['UTF-8', bytes`X: Всё хорошо\r\nY: 1`],
  ];

  it.each(cases)(
    'decodes each value alone, with %s, whichever path scanned the lines',
    (_, tail) => {
      const input = concatBytes(head, tail, bytes`\r\nl: 0\r\n\r\n`);
      // The fast path takes CRLF lines only: bare LF lines all go the general path, which
      // leaves no hint about bytes, and so do lines cut by a chunk.
      const lfOnly = input.filter((byte) => byte !== 13);
      const runs = [
        parseMessage(input),
        parseMessage(lfOnly, { allowBareLf: true }),
        ...runStream(chunk(input, 3)).messages,
      ];
      for (const message of runs) {
        const expected = message.headers.map((_header, index) => {
          const field = message.rawHeader(index) ?? new Uint8Array(0);
          const text = decoder.decode(field);
          return text.slice(text.indexOf(':') + 1).trim();
        });
        expect(message.headers.map((header) => header.value)).toEqual(expected);
      }
      expect(runs[0]?.headers).toEqual(runs[1]?.headers);
    },
  );
});

describe('accessors of absent headers', () => {
  const message = withHeaders();

  it('are undefined for single values and empty for lists', () => {
    expect([message.from, message.to, message.cseq, message.callId, message.maxForwards]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([message.contentType, message.expires]).toEqual([undefined, undefined]);
    expect([
      message.via,
      message.contact,
      message.route,
      message.recordRoute,
      message.replyTo,
    ]).toEqual([[], [], [], [], []]);
    expect([message.require, message.supported, message.unsupported, message.allow]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(message.contentLength).toBe(0);
  });
});

describe('accessor values at the edges', () => {
  it('Contact: * is one wildcard value (RFC 3261 §10.2.2)', () => {
    expect(withHeaders('Contact: *').contact).toEqual([{ wildcard: true }]);
  });

  it('CSeq takes 0 to 2^31 - 1 (RFC 3261 §8.1.1.5)', () => {
    expect(withHeaders('CSeq: 0 OPTIONS').cseq).toEqual({ seq: 0, method: 'OPTIONS' });
    expect(withHeaders('CSeq: 0009 INVITE').cseq).toEqual({ seq: 9, method: 'INVITE' });
    // "CSeq: " value at 25 + 6
    expect(errorAt(() => withHeaders('CSeq: 2147483648 OPTIONS').cseq)).toBe(
      'NUMBER_OUT_OF_RANGE@31',
    );
    expect(errorAt(() => withHeaders('CSeq: 36893488147419103232 OPTIONS').cseq)).toBe(
      'NUMBER_OUT_OF_RANGE@31',
    );
  });

  it('Max-Forwards takes 0 to 255 (RFC 3261 §20.22), leading zeros allowed', () => {
    expect(withHeaders('Max-Forwards: 0').maxForwards).toBe(0);
    expect(withHeaders('Max-Forwards: 255').maxForwards).toBe(255);
    expect(withHeaders('Max-Forwards: 0068').maxForwards).toBe(68);
    // "Max-Forwards: " value at 25 + 14
    expect(errorAt(() => withHeaders('Max-Forwards: 256').maxForwards)).toBe(
      'NUMBER_OUT_OF_RANGE@39',
    );
    expect(errorAt(() => withHeaders('Max-Forwards: 7x').maxForwards)).toBe('INVALID_NUMBER@40');
  });

  it('Expires takes 0 to 2^32 - 1 (RFC 3261 §20.19)', () => {
    expect(withHeaders('Expires: 0').expires).toBe(0);
    // "Expires: " value at 25 + 9
    expect(errorAt(() => withHeaders('Expires: 4294967296').expires)).toBe(
      'NUMBER_OUT_OF_RANGE@34',
    );
  });

  it('Call-ID is the value as received, compact form i included', () => {
    expect(withHeaders('i: f81d4fae-7dec@foo.bar.com').callId).toBe('f81d4fae-7dec@foo.bar.com');
  });

  it('reads the first field of a single-valued header that repeats', () => {
    const message = withHeaders(
      'From: <sip:one@a>;tag=1',
      'From: <sip:two@a>;tag=2',
      'Max-Forwards: 1',
      'Max-Forwards: 2',
    );
    expect([message.from?.wildcard === false && message.from.tag, message.maxForwards]).toEqual([
      '1',
      1,
    ]);
  });

  it('Content-Length is the first field as written', () => {
    expect(parseMessage('OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\nl: 3\r\n\r\nabc').contentLength).toBe(
      2,
    );
  });

  it('requestUri keeps other schemes opaque', () => {
    expect(request('OPTIONS tel:+1-201-555-0123 SIP/2.0\r\n\r\n').requestUri).toEqual({
      kind: 'opaque',
      scheme: 'tel',
      raw: 'tel:+1-201-555-0123',
    });
  });

  it('requestUri unescapes %HH exactly once (RFC 4475 §3.1.1.3 esc01)', () => {
    const uri = request(
      'OPTIONS sip:sips%3Auser%40example.com@example.net;n%61me=v%61lue%25%34%31 SIP/2.0\r\n\r\n',
    ).requestUri;
    expect(uri.kind === 'sip' && [uri.user, uri.params.get('name')]).toEqual([
      'sips:user@example.com',
      'value%41',
    ]);
    expect(parseUri('sip:%75se%72@example.com')).toMatchObject({ user: 'user' });
  });
});

describe('accessor errors', () => {
  /** 33 bytes: the second message of each stream starts at 33. */
  const FIRST = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n';

  function second(...lines: string[]): ParsedMessage {
    const text = `${FIRST}OPTIONS sip:a@b SIP/2.0\r\n${lines.map((line) => `${line}\r\n`).join('')}l: 0\r\n\r\n`;
    const run = runStream([bytes`${text}`]);
    const message = run.messages[1];
    if (message === undefined) throw new Error(`expected two messages, got ${run.error?.code}`);
    return message;
  }

  it('carry the absolute stream offset of the bad character', () => {
    // the field starts at 33 + 25; "To: " value at 62; "<sip:a@b>;;": the second ";" at 62 + 10
    expect(errorAt(() => second('To: <sip:a@b>;;').to)).toBe('INVALID_PARAMETER@72');
    // "Max-Forwards: " value at 33 + 25 + 14
    expect(errorAt(() => second('Max-Forwards: 300').maxForwards)).toBe('NUMBER_OUT_OF_RANGE@72');
  });

  it('count the bytes of raw UTF-8 before the error, not the characters', () => {
    // "To: " value at 62: '"' 62, Ñ 63-64, a n d, ú 68-69, '"' 70, SP, <sip:a@b> 72-80, ';' 81, "tag" 82
    expect(errorAt(() => second('To: "Ñandú" <sip:a@b>;tag').to)).toBe('INVALID_PARAMETER@82');
  });

  it('count folded line endings as the bytes they were', () => {
    // "Via: " value at 63; "SIP/2.0/UDP h;branch=1," 63-85, CRLF SP 86-88, "SIP/2.0/UDP h2;ttl=" 89-107
    expect(
      errorAt(() => second('Via: SIP/2.0/UDP h;branch=1,', ' SIP/2.0/UDP h2;ttl=256').via),
    ).toBe('NUMBER_OUT_OF_RANGE@108');
  });

  it('point into the right field and the right list element', () => {
    // the second Route field starts at 33 + 25 + 22 = 80, its value at 87; the second element
    // "<sip:@>" at 87 + 12, where a user is missing before "@" at 99 + 5
    expect(errorAt(() => second('Route: <sip:p1@a;lr>', 'Route: <sip:p2@a>, <sip:@>').route)).toBe(
      'INVALID_URI@104',
    );
  });

  it('name the header and both offsets in the message', () => {
    const error = (() => {
      try {
        second('CSeq: x OPTIONS').cseq;
      } catch (caught) {
        return caught as Error;
      }
      return undefined;
    })();
    expect(error?.message).toBe(
      'Invalid CSeq at character 0: expected a sequence number, found "x OPTIONS" (CSeq value at byte 64; error at byte 64)',
    );
    expect(error?.cause).toMatchObject({ code: 'INVALID_CSEQ', offset: 0 });
  });

  it('requestUri: INVALID_URI at the stream offset, INVALID_REQUEST_URI for ?headers (RFC 3261 §19.1.1)', () => {
    const run = runStream([
      bytes`${FIRST}OPTIONS sip:a@b:99999 SIP/2.0\r\nl: 0\r\n\r\nOPTIONS sip:a@b?Route=x SIP/2.0\r\nl: 0\r\n\r\n`,
    ]);
    const [, badPort, headers] = run.messages;
    // the Request-URI starts at 33 + 8; the port at + 8
    expect(errorAt(() => badPort?.type === 'request' && badPort.requestUri)).toBe(
      'NUMBER_OUT_OF_RANGE@49',
    );
    // the third message starts at 33 + 39 = 72; its "?" at 72 + 15
    expect(errorAt(() => headers?.type === 'request' && headers.requestUri)).toBe(
      'INVALID_REQUEST_URI@87',
    );
  });
});
