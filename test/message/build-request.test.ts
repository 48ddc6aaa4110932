import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  ComposeError,
  getHeader,
  parseDatagram,
  parseNameAddr,
  parseVia,
  serialize,
  serializeToString,
  validate,
} from '../../src/index.js';

const VIA = { transport: 'UDP', host: 'pc33.atlanta.example.com', port: 5060 } as const;
const FIXED = {
  via: VIA,
  branch: 'z9hG4bK776asdhds',
  fromTag: '1928301774',
  callId: 'a84b4c76e66710@pc33.atlanta.example.com',
} as const;

function composeCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ComposeError) return error.code;
    throw error;
  }
  return undefined;
}

function mustIssues(message: Parameters<typeof validate>[0]): string[] {
  return validate(message)
    .filter((issue) => issue.severity === 'MUST')
    .map((issue) => issue.code);
}

describe('buildRequest', () => {
  it('writes the mandatory headers of RFC 3261 §8.1.1 in order', () => {
    const invite = buildRequest('INVITE', 'sip:bob@biloxi.example.com', {
      ...FIXED,
      from: 'Alice <sip:alice@atlanta.example.com>',
      to: 'Bob <sip:bob@biloxi.example.com>',
      cseq: 314159,
      contact: '<sip:alice@pc33.atlanta.example.com>',
    });
    expect(serializeToString(invite)).toBe(
      [
        'INVITE sip:bob@biloxi.example.com SIP/2.0',
        'Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds',
        'Max-Forwards: 70',
        'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
        'To: Bob <sip:bob@biloxi.example.com>',
        'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
        'CSeq: 314159 INVITE',
        'Contact: <sip:alice@pc33.atlanta.example.com>',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(mustIssues(invite)).toEqual([]);
    expect(Object.isFrozen(invite) && Object.isFrozen(invite.headers)).toBe(true);
  });

  it('draws a z9hG4bK branch, a tag and a Call-ID when none is given', () => {
    const a = buildRequest('OPTIONS', 'sip:bob@biloxi.example.com', { via: VIA });
    const b = buildRequest('OPTIONS', 'sip:bob@biloxi.example.com', { via: VIA });
    const branch = (request: typeof a): string | undefined =>
      parseVia(getHeader(request, 'Via') ?? '').branch;
    const tag = (request: typeof a): string | undefined => {
      const from = parseNameAddr(getHeader(request, 'From') ?? '');
      return from.wildcard ? undefined : from.tag;
    };
    expect(branch(a)).toMatch(/^z9hG4bK[0-9a-f]{16}$/);
    expect(tag(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(getHeader(a, 'Call-ID')).toMatch(/^[0-9a-f]{32}$/);
    expect(branch(a)).not.toBe(branch(b));
    expect(tag(a)).not.toBe(tag(b));
    expect(getHeader(a, 'Call-ID')).not.toBe(getHeader(b, 'Call-ID'));
  });

  it('defaults From to the anonymous URI and To to the Request-URI (RFC 3261 §8.1.1.2-3)', () => {
    const request = buildRequest('OPTIONS', 'sip:bob@biloxi.example.com', FIXED);
    expect(getHeader(request, 'From')).toBe(
      'Anonymous <sip:anonymous@anonymous.invalid>;tag=1928301774',
    );
    expect(getHeader(request, 'To')).toBe('<sip:bob@biloxi.example.com>');
    expect(getHeader(request, 'CSeq')).toBe('1 OPTIONS');
  });

  it('keeps the tag of options.from, adds rport and Route in order', () => {
    const request = buildRequest('MESSAGE', 'sip:bob@biloxi.example.com', {
      via: { ...VIA, transport: 'tcp', rport: true },
      branch: 'z9hG4bKx',
      from: '<sip:alice@atlanta.example.com>;tag=abc',
      route: ['<sip:p1.example.com;lr>', 'sip:p2.example.com'],
      body: 'hello',
      contentType: 'text/plain',
    });
    expect(getHeader(request, 'Via')).toBe(
      'SIP/2.0/TCP pc33.atlanta.example.com:5060;branch=z9hG4bKx;rport',
    );
    expect(getHeader(request, 'From')).toBe('<sip:alice@atlanta.example.com>;tag=abc');
    expect(request.headers.filter((field) => field.name === 'Route').map((f) => f.value)).toEqual([
      '<sip:p1.example.com;lr>',
      '<sip:p2.example.com>',
    ]);
    expect(new TextDecoder().decode(request.body)).toBe('hello');
    expect(getHeader(request, 'Content-Type')).toBe('text/plain');
    expect(mustIssues(request)).toEqual([]);
  });

  it('accepts extra headers by compact or odd-case names and writes them canonically', () => {
    const request = buildRequest('SUBSCRIBE', 'sip:bob@biloxi.example.com', {
      ...FIXED,
      contact: '<sip:alice@pc33.atlanta.example.com>',
      headers: { o: 'presence', EXPIRES: '600', 'X-Custom': ['a', 'b'] },
    });
    expect(request.headers.slice(7).map((field) => `${field.name}: ${field.value}`)).toEqual([
      'Event: presence',
      'Expires: 600',
      'X-Custom: a',
      'X-Custom: b',
    ]);
  });

  it('parses back to the same fields', () => {
    const request = buildRequest('INVITE', 'sips:bob@[2001:db8::1]:5061', {
      ...FIXED,
      via: { transport: 'TLS', host: '[2001:db8::9]', port: 5061 },
      contact: '<sips:alice@[2001:db8::9]:5061>',
      body: new Uint8Array([1, 2, 3]),
      contentType: 'application/octet-stream',
    });
    const parsed = parseDatagram(serialize(request));
    expect(parsed.type === 'request' && parsed.uri).toBe(request.uri);
    expect(parsed.headers.map((field) => [field.name, field.value])).toEqual([
      ...request.headers.map((field) => [field.name, field.value]),
      ['Content-Length', '3'],
    ]);
    expect([...parsed.body]).toEqual([1, 2, 3]);
  });

  it('refuses a method that is not a token', () => {
    expect(composeCode(() => buildRequest('IN VITE', 'sip:b@example.com', FIXED))).toBe(
      'INVALID_METHOD',
    );
  });

  it('refuses a Request-URI that does not parse or carries a headers part', () => {
    expect(composeCode(() => buildRequest('OPTIONS', 'bob@example.com', FIXED))).toBe(
      'INVALID_REQUEST_URI',
    );
    expect(composeCode(() => buildRequest('OPTIONS', 'sip:b@example.com?Subject=x', FIXED))).toBe(
      'INVALID_REQUEST_URI',
    );
  });

  it('refuses a REGISTER whose Request-URI has a user part (RFC 3261 §10.2)', () => {
    expect(composeCode(() => buildRequest('REGISTER', 'sip:alice@example.com', FIXED))).toBe(
      'REQUEST_URI_HAS_USER',
    );
    const register = buildRequest('REGISTER', 'sip:example.com', {
      ...FIXED,
      to: '<sip:alice@example.com>',
      contact: '*',
      headers: { Expires: '0' },
    });
    expect(mustIssues(register)).toEqual([]);
  });

  it('asks for the headers the method table requires, naming the option', () => {
    const cases: [string, string][] = [
      ['INVITE', 'Contact'],
      ['SUBSCRIBE', 'Event'],
      ['PUBLISH', 'Event'],
      ['REFER', 'Refer-To'],
      ['PRACK', 'RAck'],
    ];
    for (const [method, header] of cases) {
      try {
        buildRequest(method, 'sip:b@example.com', {
          ...FIXED,
          ...(header !== 'Contact' && { contact: '<sip:a@example.com>' }),
        });
        expect.unreachable(`${method} without ${header}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ComposeError);
        expect((error as ComposeError).code).toBe('MISSING_REQUIRED_HEADER');
        expect((error as ComposeError).header).toBe(header);
      }
    }
    expect(() =>
      buildRequest('NOTIFY', 'sip:b@example.com', {
        ...FIXED,
        contact: '<sip:a@example.com>',
        headers: { Event: 'presence' },
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build NOTIFY request: a Subscription-State header is required (RFC 6665 §4.1.3); pass options.headers['Subscription-State']]`,
    );
  });

  it('refuses managed headers in options.headers and names the option to use', () => {
    expect(() =>
      buildRequest('OPTIONS', 'sip:b@example.com', { ...FIXED, headers: { i: 'x@y' } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build OPTIONS request: Call-ID is written by the builder, not taken from options.headers (RFC 3261 §8.1.1, §20.14); set it through options.callId]`,
    );
    for (const name of ['Via', 'max-forwards', 'f', 't', 'CSeq', 'm', 'Route', 'c', 'l']) {
      expect(
        composeCode(() =>
          buildRequest('OPTIONS', 'sip:b@example.com', { ...FIXED, headers: { [name]: 'x' } }),
        ),
      ).toBe('MANAGED_HEADER');
    }
  });

  it('refuses unusable options with INVALID_OPTION', () => {
    const bad: Record<string, unknown>[] = [
      { branch: 'abc' },
      { via: { host: 'bad host' } },
      { via: { host: 'example.com', port: 70000 } },
      { from: 'not a uri' },
      { fromTag: 'a b' },
      { from: '<sip:a@example.com>;tag=one', fromTag: 'two' },
      { to: '*' },
      { callId: 'a b' },
      { cseq: 2 ** 31 },
      { cseq: -1 },
      { maxForwards: 256 },
      { contentType: 'text' },
      { headers: { 'Bad Name': 'x' } },
      { headers: { Subject: 'a\r\nVia: injected' } },
      { headers: { Subject: ['one', 'two'] } },
    ];
    for (const options of bad) {
      expect(
        composeCode(() =>
          buildRequest('OPTIONS', 'sip:b@example.com', { ...FIXED, ...options } as never),
        ),
        JSON.stringify(options),
      ).toBe('INVALID_OPTION');
    }
    expect(composeCode(() => buildRequest('OPTIONS', 'sip:b@example.com', {} as never))).toBe(
      'INVALID_OPTION',
    );
  });

  it('refuses a body without Content-Type (RFC 3261 §7.4.1)', () => {
    expect(
      composeCode(() => buildRequest('MESSAGE', 'sip:b@example.com', { ...FIXED, body: 'hi' })),
    ).toBe('MISSING_CONTENT_TYPE');
  });
});
