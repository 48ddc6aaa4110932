import { describe, expect, it } from 'vitest';
import { StatusCode } from '../../src/codes/index.js';
import {
  BuildError,
  type BuildResponseOptions,
  buildResponse,
  type ResponseHeaderInput,
  type SipRequest,
  serializeToString,
  validate,
} from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';
import { fieldValues, INVITE_HEADERS, makeRequest } from './support.js';

const INVITE = makeRequest('INVITE');
const CONTACT = '<sip:bob@192.0.2.4>';

function buildError(request: SipRequest, code: number, options?: BuildResponseOptions): BuildError {
  try {
    buildResponse(request, code, options);
  } catch (error) {
    if (error instanceof BuildError) return error;
    throw error;
  }
  throw new Error(`expected buildResponse(${code}) to throw a BuildError`);
}

function names(request: SipRequest, code: number, options?: BuildResponseOptions): string[] {
  return buildResponse(request, code, options).response.headers.map((field) => field.name);
}

describe('buildResponse copies what RFC 3261 §8.2.6.2 says to copy', () => {
  const request = makeRequest('INVITE', [
    [
      'Via',
      'SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com;branch=z9hG4bK2',
    ],
    ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1'],
    ['Max-Forwards', '70'],
    ['To', '"Bob" <sip:bob@biloxi.example.com>;x=1'],
    ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
    ['Call-ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
    ['CSeq', '314159 INVITE'],
    ['Route', '<sip:p1.example.com;lr>'],
    ['Authorization', 'Digest username="a"'],
    ['Subject', 'hi'],
  ]);
  const { response } = buildResponse(request, 486, { toTag: 't1' });

  it('copies every Via field in order, comma-combined fields as they are', () => {
    expect(fieldValues(response.headers, 'Via')).toEqual([
      'SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com;branch=z9hG4bK2',
      'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1',
    ]);
  });

  it('copies From, Call-ID and CSeq exactly', () => {
    expect(fieldValues(response.headers, 'From')).toEqual([
      'Alice <sip:alice@atlanta.example.com>;tag=1928301774',
    ]);
    expect(fieldValues(response.headers, 'Call-ID')).toEqual([
      'a84b4c76e66710@pc33.atlanta.example.com',
    ]);
    expect(fieldValues(response.headers, 'CSeq')).toEqual(['314159 INVITE']);
  });

  it('adds the tag to the request To, keeping its display name and parameters', () => {
    expect(fieldValues(response.headers, 'To')).toEqual([
      '"Bob" <sip:bob@biloxi.example.com>;x=1;tag=t1',
    ]);
  });

  it('never copies Max-Forwards, Route, Authorization or Subject', () => {
    expect(response.headers.map((field) => field.name)).toEqual([
      'Via',
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
    ]);
  });

  it('uses the table phrase, SIP/2.0 and an empty body', () => {
    expect([
      response.type,
      response.version,
      response.status,
      response.reason,
      response.body.byteLength,
    ]).toEqual(['response', 'SIP/2.0', 486, 'Busy Here', 0]);
  });

  it('writes the wire form with Content-Length 0', () => {
    expect(serializeToString(response)).toBe(
      [
        'SIP/2.0 486 Busy Here',
        'Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com;branch=z9hG4bK2',
        'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1',
        'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
        'To: "Bob" <sip:bob@biloxi.example.com>;x=1;tag=t1',
        'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
        'CSeq: 314159 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('returns a frozen response', () => {
    expect(Object.isFrozen(response)).toBe(true);
    expect(Object.isFrozen(response.headers)).toBe(true);
  });

  it('answers a parsed request directly', () => {
    const parsed = parseMessage(
      'OPTIONS sip:carol@chicago.example.com SIP/2.0\r\nv: SIP/2.0/UDP a.example.com;branch=z9hG4bKx\r\nMax-Forwards: 70\r\nt: <sip:carol@chicago.example.com>\r\nf: <sip:alice@atlanta.example.com>;tag=1\r\ni: abc\r\nCSeq: 63104 OPTIONS\r\nl: 0\r\n\r\n',
    );
    if (parsed.type !== 'request') throw new Error('expected a request');
    const { response: built } = buildResponse(parsed, 200, {
      toTag: 'z',
      allow: ['INVITE', 'ACK', 'CANCEL', 'OPTIONS'],
    });
    expect(serializeToString(built)).toBe(
      [
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKx',
        'From: <sip:alice@atlanta.example.com>;tag=1',
        'To: <sip:carol@chicago.example.com>;tag=z',
        'Call-ID: abc',
        'CSeq: 63104 OPTIONS',
        'Allow: INVITE, ACK, CANCEL, OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });
});

describe('buildResponse and the To tag (RFC 3261 §8.2.6.2, §19.3)', () => {
  it('adds a 64-bit tag as 16 hex digits when no toTag is given, and exposes it', () => {
    const built = buildResponse(INVITE, 486);
    const to = fieldValues(built.response.headers, 'To')[0];
    expect(to).toMatch(/^Bob <sip:bob@biloxi\.example\.com>;tag=[0-9a-f]{16}$/);
    expect(to).toBe(`Bob <sip:bob@biloxi.example.com>;tag=${built.toTag}`);
  });

  it('gives every response to one request the same tag (RFC 3261 §8.2.6.2)', () => {
    const contact = { contact: CONTACT };
    const tags = new Set(
      [180, 183, 200, 486, 603].map((code) => buildResponse(INVITE, code, contact).toTag),
    );
    expect(tags.size).toBe(1);
    expect([...tags][0]).toMatch(/^[0-9a-f]{16}$/);
  });

  it('adds no tag to a 100', () => {
    expect(fieldValues(buildResponse(INVITE, 100).response.headers, 'To')).toEqual([
      'Bob <sip:bob@biloxi.example.com>',
    ]);
  });

  it('adds options.toTag to a 100 when asked, with a SHOULD NOT warning for INVITE (RFC 3261 §17.2.1)', () => {
    const { response, warnings } = buildResponse(INVITE, 100, { toTag: 'abc' });
    expect(fieldValues(response.headers, 'To')).toEqual([
      'Bob <sip:bob@biloxi.example.com>;tag=abc',
    ]);
    // No Timestamp in the request, so the add-the-delay rule (§8.2.6.1) does not apply.
    expect(warnings.map((warning) => [warning.code, warning.severity, warning.source])).toEqual([
      ['HEADER_RULE_VIOLATED', 'SHOULD', 'RFC 3261 §17.2.1'],
    ]);
  });

  it('keeps the tag of an in-dialog request', () => {
    const request = makeRequest('BYE', [
      ...INVITE_HEADERS.filter(([name]) => name !== 'To'),
      ['To', '<sip:bob@b.example.com>;tag=known'],
    ]);
    expect(fieldValues(buildResponse(request, 200).response.headers, 'To')).toEqual([
      '<sip:bob@b.example.com>;tag=known',
    ]);
    expect(
      fieldValues(buildResponse(request, 200, { toTag: 'known' }).response.headers, 'To'),
    ).toEqual(['<sip:bob@b.example.com>;tag=known']);
  });

  it('refuses a toTag that differs from the request tag', () => {
    const request = makeRequest('BYE', [
      ...INVITE_HEADERS.filter(([name]) => name !== 'To'),
      ['To', '<sip:bob@b.example.com>;tag=known'],
    ]);
    const error = buildError(request, 200, { toTag: 'other' });
    expect([error.code, error.header, error.source]).toEqual([
      'TO_TAG_CONFLICT',
      'To',
      'RFC 3261 §8.2.6.2',
    ]);
  });

  it.each([[''], ['a b'], ['a;b'], ['x\r\nVia: y'], ['é']])(
    'refuses the toTag %j, which is not a token',
    (toTag) => {
      expect(buildError(INVITE, 486, { toTag }).code).toBe('INVALID_OPTION');
    },
  );
});

describe('buildResponse, 100 Trying and Timestamp (RFC 3261 §8.2.6.1)', () => {
  const request = makeRequest('INVITE', undefined, [['Timestamp', '54.03']]);

  it('copies the Timestamp into a 100', () => {
    expect(fieldValues(buildResponse(request, 100).response.headers, 'Timestamp')).toEqual([
      '54.03',
    ]);
  });

  it('appends the delay in seconds', () => {
    expect(
      fieldValues(
        buildResponse(request, 100, { timestampDelay: 0.25 }).response.headers,
        'Timestamp',
      ),
    ).toEqual(['54.03 0.25']);
    expect(
      fieldValues(buildResponse(request, 100, { timestampDelay: 2 }).response.headers, 'Timestamp'),
    ).toEqual(['54.03 2']);
    expect(
      fieldValues(
        buildResponse(request, 100, { timestampDelay: 1e-7 }).response.headers,
        'Timestamp',
      ),
    ).toEqual(['54.03 0']);
  });

  it('does not copy it into other responses', () => {
    expect(fieldValues(buildResponse(request, 486).response.headers, 'Timestamp')).toEqual([]);
  });

  it('ignores the delay when the request has no Timestamp', () => {
    expect(names(INVITE, 100, { timestampDelay: 1 })).not.toContain('Timestamp');
  });

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'refuses the delay %s',
    (timestampDelay) => {
      expect(buildError(request, 100, { timestampDelay }).code).toBe('INVALID_OPTION');
    },
  );

  it('refuses a delay on a response other than 100', () => {
    expect(buildError(request, 180, { timestampDelay: 1, contact: CONTACT }).code).toBe(
      'INVALID_OPTION',
    );
  });

  it('refuses a second Timestamp from options.headers on a 100', () => {
    expect(buildError(request, 100, { headers: { Timestamp: '1' } }).code).toBe(
      'CONFLICTING_OPTIONS',
    );
  });
});

describe('buildResponse and Record-Route (RFC 3261 §12.1.1)', () => {
  const request = makeRequest('INVITE', undefined, [
    ['Record-Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>'],
    ['Record-Route', '<sip:p3.example.com;lr>'],
  ]);
  const rr = ['<sip:p1.example.com;lr>, <sip:p2.example.com;lr>', '<sip:p3.example.com;lr>'];

  it('copies every Record-Route field into a 180 (early dialog)', () => {
    expect(
      fieldValues(
        buildResponse(request, 180, { contact: CONTACT }).response.headers,
        'Record-Route',
      ),
    ).toEqual(rr);
  });

  it('copies them into a 200 to INVITE', () => {
    expect(
      fieldValues(
        buildResponse(request, 200, { contact: CONTACT }).response.headers,
        'Record-Route',
      ),
    ).toEqual(rr);
  });

  it('copies them into a 200 to SUBSCRIBE', () => {
    const subscribe = makeRequest('SUBSCRIBE', undefined, [
      ['Record-Route', '<sip:p1.example.com;lr>'],
    ]);
    expect(
      fieldValues(
        buildResponse(subscribe, 200, { headers: { Expires: '600' } }).response.headers,
        'Record-Route',
      ),
    ).toEqual(['<sip:p1.example.com;lr>']);
  });

  it('does not copy them into a 100, a failure or a 200 to REGISTER', () => {
    expect(names(request, 100)).not.toContain('Record-Route');
    expect(names(request, 486)).not.toContain('Record-Route');
    const register = makeRequest('REGISTER', undefined, [
      ['Record-Route', '<sip:p1.example.com;lr>'],
    ]);
    expect(names(register, 200)).not.toContain('Record-Route');
  });

  it('refuses Record-Route in options.headers', () => {
    const error = buildError(INVITE, 486, {
      headers: { 'record-route': '<sip:x>' } as ResponseHeaderInput,
    });
    expect([error.code, error.header]).toEqual(['MANAGED_HEADER', 'Record-Route']);
  });
});

describe('buildResponse enforces the MUST rules of the table', () => {
  it.each([
    [405, 'Allow', "RFC 3261 §8.2.1, §21.4.6, §20.5; Table 2 ('m')"],
    [420, 'Unsupported', undefined],
    [421, 'Require', undefined],
    [401, 'WWW-Authenticate', undefined],
    [407, 'Proxy-Authenticate', undefined],
    [422, 'Min-SE', undefined],
    [423, 'Min-Expires', undefined],
    [424, 'Geolocation-Error', undefined],
    [425, 'AlertMsg-Error', undefined],
    [469, 'Recv-Info', undefined],
    [494, 'Security-Server', undefined],
    [305, 'Contact', undefined],
    [200, 'Contact', undefined],
    [180, 'Contact', undefined],
    [183, 'Contact', undefined],
    [199, 'Reason', undefined],
  ])('rejects a %i without %s', (code, header, source) => {
    const error = buildError(INVITE, code);
    expect([error.code, error.statusCode, error.header]).toEqual([
      'MISSING_REQUIRED_HEADER',
      code,
      header,
    ]);
    expect(error.rule?.header).toBe(header);
    expect(error.rule?.level).toBe('MUST');
    expect(error.source).toBe(error.rule?.source);
    if (source !== undefined) expect(error.source).toBe(source);
  });

  it('names the option to pass', () => {
    expect(buildError(INVITE, 405).message).toMatchInlineSnapshot(
      `"Cannot build 405 Method Not Allowed: an Allow header is required (RFC 3261 §8.2.1, §21.4.6, §20.5; Table 2 ('m')); pass options.allow or options.headers.Allow"`,
    );
    expect(buildError(INVITE, 401).message).toMatchInlineSnapshot(
      `"Cannot build 401 Unauthorized: a WWW-Authenticate header is required (RFC 3261 §22.2; Table 3 ('m')); pass options.headers['WWW-Authenticate']"`,
    );
  });

  it.each([
    [200, 'SUBSCRIBE', 'Expires'],
    [200, 'PUBLISH', 'Expires'],
    [204, 'SUBSCRIBE', 'Expires'],
    [200, 'UPDATE', 'Contact'],
    [489, 'PUBLISH', 'Allow-Events'],
  ])('rejects a %i to %s without %s', (code, method, header) => {
    const error = buildError(makeRequest(method), code);
    expect([error.code, error.header]).toEqual(['MISSING_REQUIRED_HEADER', header]);
  });

  it('builds a 405 with options.allow', () => {
    const { response, warnings } = buildResponse(INVITE, 405, {
      allow: ['INVITE', 'ACK', 'CANCEL', 'BYE'],
    });
    expect(fieldValues(response.headers, 'Allow')).toEqual(['INVITE, ACK, CANCEL, BYE']);
    expect(warnings).toEqual([]);
  });

  it('builds a 405 with options.headers.Allow', () => {
    expect(
      fieldValues(
        buildResponse(INVITE, 405, { headers: { Allow: 'INVITE, ACK, CANCEL' } }).response.headers,
        'Allow',
      ),
    ).toEqual(['INVITE, ACK, CANCEL']);
  });

  it('refuses Contact in a 200 to MESSAGE (MUST NOT)', () => {
    const error = buildError(makeRequest('MESSAGE'), 200, { contact: CONTACT });
    expect([error.code, error.header, error.rule?.level]).toEqual([
      'FORBIDDEN_HEADER',
      'Contact',
      'MUST NOT',
    ]);
    expect(error.message).toContain('leave Contact out (options.contact)');
  });

  it('refuses Recv-Info in a 200 when the request had none (MUST NOT)', () => {
    expect(buildError(makeRequest('INFO'), 200, { headers: { 'Recv-Info': 'x' } }).code).toBe(
      'FORBIDDEN_HEADER',
    );
  });

  it('refuses the 199 option-tag in the Supported of a 199', () => {
    const error = buildError(INVITE, 199, {
      headers: { Reason: 'SIP;cause=486' },
      supported: ['199', 'timer'],
    });
    expect([error.code, error.header, error.rule?.level]).toEqual([
      'HEADER_RULE_VIOLATED',
      'Supported',
      'MUST NOT',
    ]);
  });

  it('requires an expires parameter on every Contact of a 200 to REGISTER', () => {
    const error = buildError(makeRequest('REGISTER'), 200, {
      contact: ['<sip:a@h>;expires=60', '<sip:b@h>'],
    });
    expect([error.code, error.header]).toEqual(['HEADER_RULE_VIOLATED', 'Contact']);
    expect(error.message).toContain('add ;expires=… to every value of options.contact');
  });

  it('requires Require: timer when the response makes the UAC refresh (RFC 4028 §9)', () => {
    const error = buildError(makeRequest('INVITE', undefined, [['Supported', 'timer']]), 200, {
      contact: CONTACT,
      headers: { 'Session-Expires': '1800;refresher=uac' },
    });
    expect([error.code, error.header]).toEqual(['HEADER_RULE_VIOLATED', 'Require']);
  });

  it('enforces a policy rule once the caller decides the policy', () => {
    const request = makeRequest('REGISTER', undefined, [['Supported', 'sec-agree']]);
    const error = buildError(request, 421, {
      headers: { Require: 'sec-agree' },
      policies: { secAgreeRequired: true },
    });
    expect([error.code, error.header]).toEqual(['MISSING_REQUIRED_HEADER', 'Security-Server']);
  });
});

describe('buildResponse returns SHOULD rules and undecidable rules as warnings', () => {
  it('warns that a 200 to OPTIONS lacks Allow, Accept, Accept-Encoding, Accept-Language and Supported', () => {
    const { warnings } = buildResponse(makeRequest('OPTIONS'), 200, { toTag: 'a' });
    expect(
      warnings
        .filter((warning) => warning.code === 'MISSING_REQUIRED_HEADER')
        .map((warning) => warning.header),
    ).toEqual(['Allow', 'Accept', 'Accept-Encoding', 'Accept-Language', 'Supported']);
    const decided = warnings.filter((warning) => warning.code !== 'UNDECIDABLE_RULE');
    expect(new Set(decided.map((warning) => warning.severity))).toEqual(new Set(['SHOULD']));
  });

  it('reports a policy-dependent MUST rule as UNDECIDABLE_RULE, not an error', () => {
    const { warnings } = buildResponse(makeRequest('REGISTER'), 421, {
      headers: { Require: 'sec-agree' },
    });
    expect(warnings.map((warning) => [warning.code, warning.severity, warning.header])).toEqual([
      ['UNDECIDABLE_RULE', 'MUST', 'Security-Server'],
    ]);
    expect(warnings[0]?.rule?.when).toEqual([{ kind: 'policy', policy: 'secAgreeRequired' }]);
  });

  it('drops an undecidable rule the response already meets', () => {
    const { warnings } = buildResponse(makeRequest('REGISTER'), 421, {
      headers: { Require: 'sec-agree', 'Security-Server': 'digest' },
    });
    expect(warnings).toEqual([]);
  });

  it('is quiet when every rule is met', () => {
    const request = makeRequest('INVITE', undefined, [['Supported', '100rel']]);
    const { warnings } = buildResponse(request, 200, {
      contact: CONTACT,
      allow: ['INVITE', 'ACK', 'CANCEL', 'BYE'],
      supported: ['100rel'],
      headers: { 'Allow-Events': 'dialog' },
      policies: { sessionTimerInUse: false },
    });
    expect(warnings).toEqual([]);
  });
});

describe('buildResponse for a 420 (RFC 3261 §8.2.2.3)', () => {
  const request = makeRequest('INVITE', undefined, [
    ['Require', 'foo, 100rel'],
    ['Require', 'bar'],
    ['Proxy-Require', 'baz, 100rel'],
  ]);

  it('lists exactly the Require option-tags not in options.supported', () => {
    const { response } = buildResponse(request, 420, { supported: ['100rel', 'timer'] });
    expect(fieldValues(response.headers, 'Unsupported')).toEqual(['foo, bar']);
    expect(fieldValues(response.headers, 'Supported')).toEqual(['100rel, timer']);
  });

  it('compares option-tags case-insensitively, as tokens (RFC 3261 §7.3.1)', () => {
    const mixed = makeRequest('INVITE', undefined, [['Require', 'Foo, 100REL, Bar, foo']]);
    const { response } = buildResponse(mixed, 420, { supported: ['100rel', 'BAR'] });
    expect(fieldValues(response.headers, 'Unsupported')).toEqual(['Foo']);
  });

  it('lists the Proxy-Require option-tags for a proxy (RFC 3261 §16.3)', () => {
    const { response } = buildResponse(request, 420, { supported: ['100rel'], role: 'proxy' });
    expect(fieldValues(response.headers, 'Unsupported')).toEqual(['baz']);
  });

  it('refuses a 420 when every required option-tag is supported', () => {
    const error = buildError(request, 420, { supported: ['foo', 'bar', '100rel'] });
    expect([error.code, error.header, error.source]).toEqual([
      'NO_UNSUPPORTED_OPTION_TAGS',
      'Unsupported',
      'RFC 3261 §8.2.2.3',
    ]);
  });

  it('refuses a 420 to a request without Require', () => {
    expect(buildError(INVITE, 420, { supported: [] }).code).toBe('NO_UNSUPPORTED_OPTION_TAGS');
  });

  it('refuses Unsupported given twice', () => {
    expect(buildError(request, 420, { supported: [], headers: { Unsupported: 'foo' } }).code).toBe(
      'CONFLICTING_OPTIONS',
    );
  });

  it('takes Unsupported from options.headers', () => {
    expect(
      fieldValues(
        buildResponse(request, 420, { headers: { Unsupported: 'foo' } }).response.headers,
        'Unsupported',
      ),
    ).toEqual(['foo']);
  });
});

describe('buildResponse sends a provisional response reliably (RFC 3262 §3)', () => {
  const request = makeRequest('INVITE', undefined, [['Supported', '100rel, timer']]);

  it('adds Require: 100rel and needs RSeq', () => {
    const error = buildError(request, 183, { reliable: true, contact: CONTACT });
    expect([error.code, error.header]).toEqual(['MISSING_REQUIRED_HEADER', 'RSeq']);
    const { response, warnings } = buildResponse(request, 183, {
      reliable: true,
      contact: CONTACT,
      headers: { RSeq: '1' },
    });
    expect(fieldValues(response.headers, 'Require')).toEqual(['100rel']);
    expect(fieldValues(response.headers, 'RSeq')).toEqual(['1']);
    expect(warnings).toEqual([]);
  });

  it('does not add a second 100rel when options.headers.Require lists it', () => {
    const { response } = buildResponse(request, 183, {
      reliable: true,
      contact: CONTACT,
      headers: { RSeq: '1', Require: '100rel' },
    });
    expect(fieldValues(response.headers, 'Require')).toEqual(['100rel']);
  });

  it('refuses when the request did not offer 100rel', () => {
    const error = buildError(INVITE, 183, {
      reliable: true,
      contact: CONTACT,
      headers: { RSeq: '1' },
    });
    expect([error.code, error.header, error.source]).toEqual([
      'EXTENSION_NOT_SUPPORTED',
      'Require',
      'RFC 3262 §3; RFC 3261 §8.2.4',
    ]);
  });

  it.each([[100], [200]])('refuses to send a %i reliably', (code) => {
    expect(buildError(request, code, { reliable: true, contact: CONTACT }).code).toBe(
      'INVALID_OPTION',
    );
  });
});

describe('buildResponse refuses extensions the request did not offer (RFC 3261 §8.2.4)', () => {
  it('refuses a Require option-tag absent from the request Supported and Require', () => {
    const error = buildError(INVITE, 486, { headers: { Require: 'timer' } });
    expect([error.code, error.header]).toEqual(['EXTENSION_NOT_SUPPORTED', 'Require']);
  });

  it('allows the needed extension in a 421', () => {
    expect(
      fieldValues(
        buildResponse(INVITE, 421, { headers: { Require: 'timer' } }).response.headers,
        'Require',
      ),
    ).toEqual(['timer']);
  });
});

describe('buildResponse with SIPS (RFC 3261 §12.1.1)', () => {
  const sips = makeRequest('INVITE', undefined, [], 'sips:bob@biloxi.example.com');

  it('refuses a sip: Contact in a 200 to a sips: request', () => {
    const error = buildError(sips, 200, { contact: '<sip:bob@192.0.2.4>' });
    expect([error.code, error.header, error.source]).toEqual([
      'CONTACT_NOT_SIPS',
      'Contact',
      'RFC 3261 §12.1.1',
    ]);
  });

  it('accepts a sips: Contact', () => {
    expect(
      fieldValues(
        buildResponse(sips, 200, { contact: '<sips:bob@192.0.2.4>' }).response.headers,
        'Contact',
      ),
    ).toEqual(['<sips:bob@192.0.2.4>']);
  });

  it('follows the top Record-Route when it is sips', () => {
    const request = makeRequest('INVITE', undefined, [
      ['Record-Route', '<sips:p1.example.com;lr>'],
    ]);
    expect(buildError(request, 200, { contact: CONTACT }).code).toBe('CONTACT_NOT_SIPS');
  });

  it('does not apply to a response that creates no dialog', () => {
    expect(
      fieldValues(buildResponse(sips, 302, { contact: CONTACT }).response.headers, 'Contact'),
    ).toEqual([CONTACT]);
  });
});

describe('buildResponse status codes and reason phrases', () => {
  it.each([[99], [700], [1000], [200.5], [Number.NaN], [-486]])('refuses the code %s', (code) => {
    const error = buildError(INVITE, code);
    expect([error.code, error.statusCode, error.source]).toEqual([
      'INVALID_STATUS_CODE',
      code,
      'RFC 3261 §7.2',
    ]);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('says why a code is invalid', () => {
    expect(buildError(INVITE, 700).message).toMatchInlineSnapshot(
      `"Cannot build a 700 response: the status code must be an integer from 100 to 699 (RFC 3261 §7.2)"`,
    );
  });

  it('needs options.reason for an unregistered code', () => {
    const error = buildError(INVITE, 499);
    expect(error.code).toBe('MISSING_REASON_PHRASE');
    expect(error.message).toMatchInlineSnapshot(
      `"Cannot build a 499 response: 499 is not a registered code, so there is no phrase to send (it is handled as 400) (RFC 3261 §21, §8.1.3.2); pass options.reason"`,
    );
  });

  it('builds an unregistered code with the caller phrase and the rules of its class default', () => {
    const { response } = buildResponse(INVITE, 499, { reason: 'Custom Refusal' });
    expect([response.status, response.reason]).toEqual([499, 'Custom Refusal']);
    expect(buildError(INVITE, 299, { reason: 'Fine' }).header).toBe('Contact');
  });

  it('uses options.reason over the table phrase', () => {
    expect(buildResponse(INVITE, StatusCode.BUSY_HERE, { reason: 'Occupé' }).response.reason).toBe(
      'Occupé',
    );
  });

  it('refuses a reason phrase with CR or LF', () => {
    expect(buildError(INVITE, 486, { reason: 'Busy\r\nVia: x' }).code).toBe('INVALID_OPTION');
  });
});

describe('buildResponse options.headers', () => {
  it('adds fields after the copied ones, in order, one per array element, canonical names', () => {
    const { response } = buildResponse(INVITE, 486, {
      toTag: 't',
      headers: { 'retry-after': '60', Warning: ['399 a "x"', '399 b "y"'], 'X-Trace': 'abc' },
    });
    expect(response.headers.slice(5)).toEqual([
      { name: 'Retry-After', value: '60' },
      { name: 'Warning', value: '399 a "x"' },
      { name: 'Warning', value: '399 b "y"' },
      { name: 'X-Trace', value: 'abc' },
    ]);
  });

  it('types the copied and request-only headers as never', () => {
    // @ts-expect-error Via is copied from the request
    expect(buildError(INVITE, 486, { headers: { Via: 'x' } }).code).toBe('MANAGED_HEADER');
    // @ts-expect-error Max-Forwards belongs in requests only
    expect(buildError(INVITE, 486, { headers: { 'Max-Forwards': '70' } }).code).toBe(
      'REQUEST_ONLY_HEADER',
    );
  });

  it('trims surrounding whitespace of values', () => {
    expect(
      fieldValues(
        buildResponse(INVITE, 486, { headers: { 'Retry-After': '  60 ' } }).response.headers,
        'Retry-After',
      ),
    ).toEqual(['60']);
  });

  it.each([['Via'], ['From'], ['To'], ['Call-ID'], ['CSeq'], ['Content-Length'], ['l'], ['v']])(
    'refuses %s, which the builder copies or computes',
    (name) => {
      expect(
        buildError(INVITE, 486, { headers: { [name]: 'x' } as ResponseHeaderInput }).code,
      ).toBe('MANAGED_HEADER');
    },
  );

  it.each([
    ['Max-Forwards'],
    ['Route'],
    ['Proxy-Require'],
    ['Authorization'],
    ['Proxy-Authorization'],
    ['Priority'],
    ['Subject'],
    ['In-Reply-To'],
  ])('refuses %s, a request-only header', (name) => {
    const error = buildError(INVITE, 486, { headers: { [name]: 'x' } as ResponseHeaderInput });
    expect([error.code, error.header]).toEqual(['REQUEST_ONLY_HEADER', name]);
  });

  it.each([['X Bad'], [''], ['X:Y'], ['X\r\nY']])('refuses the header name %j', (name) => {
    expect(buildError(INVITE, 486, { headers: { [name]: 'x' } }).code).toBe('INVALID_OPTION');
  });

  it.each([['a\r\nVia: injected'], ['a\nb'], ['a\rb'], ['\x00']])(
    'refuses the value %j',
    (value) => {
      const error = buildError(INVITE, 486, { headers: { 'X-Note': value } });
      expect([error.code, error.header]).toEqual(['INVALID_OPTION', 'X-Note']);
      expect(error.cause).toMatchObject({ code: 'INVALID_HEADER_VALUE' });
    },
  );

  it('refuses several values for a single-valued header', () => {
    expect(buildError(INVITE, 486, { headers: { 'Retry-After': ['1', '2'] } }).code).toBe(
      'INVALID_OPTION',
    );
  });

  it('refuses a header given by an option and by options.headers', () => {
    expect(buildError(INVITE, 405, { allow: ['INVITE'], headers: { Allow: 'INVITE' } }).code).toBe(
      'CONFLICTING_OPTIONS',
    );
    expect(buildError(INVITE, 302, { contact: CONTACT, headers: { Contact: CONTACT } }).code).toBe(
      'CONFLICTING_OPTIONS',
    );
  });
});

describe('buildResponse body and helpers', () => {
  it('encodes a string body as UTF-8 and adds Content-Type', () => {
    const { response } = buildResponse(INVITE, 488, {
      body: 'é',
      contentType: 'text/plain',
      headers: { Warning: '399 x "y"' },
    });
    expect([...response.body]).toEqual([0xc3, 0xa9]);
    expect(fieldValues(response.headers, 'Content-Type')).toEqual(['text/plain']);
    expect(serializeToString(response)).toContain('Content-Length: 2\r\n\r\né');
  });

  it('refuses a non-empty body without Content-Type (RFC 3261 §7.4.1)', () => {
    const error = buildError(INVITE, 486, { body: 'x' });
    expect([error.code, error.header, error.source]).toEqual([
      'MISSING_CONTENT_TYPE',
      'Content-Type',
      'RFC 3261 §7.4.1',
    ]);
  });

  it('accepts Content-Type from options.headers', () => {
    expect(
      buildResponse(INVITE, 486, {
        body: new Uint8Array([1]),
        headers: { 'Content-Type': 'application/octet-stream' },
      }).response.body,
    ).toEqual(new Uint8Array([1]));
  });

  it('refuses a malformed content type', () => {
    expect(buildError(INVITE, 486, { body: 'x', contentType: 'text' }).code).toBe('INVALID_OPTION');
  });

  it('refuses a malformed contact', () => {
    expect(buildError(INVITE, 302, { contact: '<sip:a@b' }).code).toBe('INVALID_OPTION');
  });

  it('refuses a method of options.allow that is not a token', () => {
    expect(buildError(INVITE, 405, { allow: ['INVITE', 'BAD METHOD'] }).code).toBe(
      'INVALID_OPTION',
    );
  });

  it('warns when options.allow lists INVITE without ACK or CANCEL (RFC 3261 §20.5)', () => {
    const { warnings } = buildResponse(INVITE, 405, { allow: ['INVITE', 'BYE'] });
    expect(warnings.map((warning) => [warning.code, warning.header, warning.message])).toEqual([
      [
        'ALLOW_OMITS_METHOD',
        'Allow',
        'Allow lists INVITE but not ACK or CANCEL; list every method the UA understands, ACK and CANCEL included (RFC 3261 §20.5)',
      ],
    ]);
  });
});

describe('buildResponse and defective requests', () => {
  it('refuses something that is not a request', () => {
    expect(buildError({ type: 'response' } as unknown as SipRequest, 200).code).toBe(
      'INVALID_REQUEST',
    );
  });

  it('builds a 400 to a request missing mandatory headers, with warnings', () => {
    const request = makeRequest('INVITE', [
      ['Via', 'SIP/2.0/UDP a;branch=z9hG4bK1'],
      ['CSeq', '1 INVITE'],
    ]);
    const { response, warnings } = buildResponse(request, 400);
    expect(response.headers.map((field) => field.name)).toEqual(['Via', 'CSeq']);
    expect(warnings.map((warning) => [warning.code, warning.header])).toEqual([
      ['MISSING_MANDATORY_HEADER', 'To'],
      ['MISSING_MANDATORY_HEADER', 'From'],
      ['MISSING_MANDATORY_HEADER', 'Call-ID'],
    ]);
  });

  it('copies the first of repeated single-valued headers, with a warning', () => {
    const request = makeRequest('INVITE', undefined, [['Call-ID', 'second']]);
    const { response, warnings } = buildResponse(request, 400, { toTag: 'x' });
    expect(fieldValues(response.headers, 'Call-ID')).toEqual([
      'a84b4c76e66710@pc33.atlanta.example.com',
    ]);
    expect(warnings.map((warning) => [warning.code, warning.header])).toEqual([
      ['REPEATED_SINGLE_HEADER', 'Call-ID'],
    ]);
  });

  it('copies a To that does not parse without adding a tag, with a warning', () => {
    const request = makeRequest('INVITE', [
      ...INVITE_HEADERS.filter(([name]) => name !== 'To'),
      ['To', '"Bob <sip:bob@b>'],
    ]);
    const { response, warnings } = buildResponse(request, 400);
    expect(fieldValues(response.headers, 'To')).toEqual(['"Bob <sip:bob@b>']);
    expect(warnings.map((warning) => [warning.code, warning.header])).toEqual([
      ['INVALID_HEADER_VALUE', 'To'],
    ]);
  });
});

describe('buildResponse agrees with validate', () => {
  it('builds a 200 to INVITE that validate accepts against its request', () => {
    const request = makeRequest('INVITE', undefined, [
      ['Record-Route', '<sip:p1.example.com;lr>'],
      ['Supported', 'timer'],
    ]);
    const { response, warnings } = buildResponse(request, 200, { contact: CONTACT, toTag: 'q' });
    const issues = validate(response, { request });
    expect(issues.map((issue) => issue.code)).toEqual(
      warnings.filter((w) => w.code !== 'UNDECIDABLE_RULE').map((w) => w.code),
    );
    expect(issues.every((issue) => issue.severity === 'SHOULD')).toBe(true);
  });
});

describe('buildResponse owns its bytes', () => {
  it('copies a Uint8Array body', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const { response } = buildResponse(INVITE, 486, {
      body: bytes,
      contentType: 'application/octet-stream',
    });
    bytes[0] = 9;
    expect([...response.body]).toEqual([1, 2, 3]);
  });
});

describe('buildResponse option checks kept between builds', () => {
  const CONTACT = '<sip:bob@192.0.2.4>';
  it('gives the same response and warnings on every build with the same options', () => {
    const options: BuildResponseOptions = {
      toTag: 'a',
      contact: ` ${CONTACT} `,
      body: 'v=0\r\n',
      contentType: 'application/sdp',
      headers: { Server: ' s/1 ', 'x-extra': 'y' },
    };
    const first = buildResponse(INVITE, 200, options);
    for (let i = 0; i < 3; i++) {
      const again = buildResponse(INVITE, 200, options);
      expect(again.response.headers).toEqual(first.response.headers);
      expect(again.warnings).toEqual(first.warnings);
      expect(again.response.body).toEqual(first.response.body);
    }
    expect(fieldValues(first.response.headers, 'Contact')).toEqual([CONTACT]);
    expect(fieldValues(first.response.headers, 'Server')).toEqual(['s/1']);
  });

  it('gives every response its own body bytes, even from the same string', () => {
    const options: BuildResponseOptions = { toTag: 'a', body: 'hello', contentType: 'text/plain' };
    const one = buildResponse(INVITE, 486, options).response.body;
    const two = buildResponse(INVITE, 486, options).response.body;
    expect(one).not.toBe(two);
    (one as Uint8Array)[0] = 0x48;
    expect(new TextDecoder().decode(two)).toBe('hello');
    expect(buildResponse(INVITE, 486, { toTag: 'a', body: '' }).response.body.byteLength).toBe(0);
  });

  it('still rejects a bad value after a good one, every time', () => {
    buildResponse(INVITE, 200, { toTag: 'a', contact: CONTACT });
    for (let i = 0; i < 2; i++) {
      expect(buildError(INVITE, 200, { toTag: 'a', contact: '<sip:bob@' }).code).toBe(
        'INVALID_OPTION',
      );
      expect(
        buildError(INVITE, 486, { toTag: 'a', body: 'x', contentType: 'application/' }).code,
      ).toBe('INVALID_OPTION');
      expect(buildError(INVITE, 486, { toTag: 'a', headers: { Server: 'a\r\nb' } }).code).toBe(
        'INVALID_OPTION',
      );
    }
  });
});
