import { describe, expect, it } from 'vitest';
import {
  buildResponse,
  type HeaderField,
  type Issue,
  type SipResponse,
  validate,
} from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';
import { INVITE_HEADERS, makeRequest } from './support.js';

function codes(issues: readonly Issue[]): string[] {
  return issues.map(
    (issue) =>
      `${issue.severity} ${issue.code}${issue.header === undefined ? '' : ` ${issue.header}`}`,
  );
}

function response(
  status: number,
  pairs: readonly (readonly [string, string])[],
  body = new Uint8Array(0),
): SipResponse {
  const headers: HeaderField[] = pairs.map(([name, value]) => ({ name, value }));
  return { type: 'response', version: 'SIP/2.0', status, reason: 'X', headers, body };
}

/** The five headers a response copies, with a tagged To, answering INVITE_HEADERS. */
const ECHO: readonly (readonly [string, string])[] = [
  ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds'],
  ['From', 'Alice <sip:alice@atlanta.example.com>;tag=1928301774'],
  ['To', 'Bob <sip:bob@biloxi.example.com>;tag=8321234356'],
  ['Call-ID', 'a84b4c76e66710@pc33.atlanta.example.com'],
  ['CSeq', '314159 INVITE'],
];

function replace(
  pairs: readonly (readonly [string, string])[],
  name: string,
  value: string | undefined,
) {
  return pairs.flatMap(([n, v]) =>
    n === name ? (value === undefined ? [] : [[n, value] as const]) : [[n, v] as const],
  );
}

describe('validate on requests', () => {
  it('accepts a well-formed INVITE', () => {
    expect(validate(makeRequest('INVITE'))).toEqual([]);
  });

  it.each([['To'], ['From'], ['CSeq'], ['Call-ID'], ['Max-Forwards'], ['Via']])(
    'flags a request without %s (RFC 3261 §8.1.1)',
    (name) => {
      const request = makeRequest(
        'INVITE',
        INVITE_HEADERS.filter(([header]) => header !== name),
      );
      const issues = validate(request);
      expect(codes(issues)).toEqual([`MUST MISSING_MANDATORY_HEADER ${name}`]);
      expect(issues[0]?.source).toBe('RFC 3261 §8.1.1');
    },
  );

  it('flags a repeated single-valued header once, however it is spelled', () => {
    const issues = validate(
      makeRequest('INVITE', undefined, [
        ['i', 'second'],
        ['call-id', 'third'],
      ]),
    );
    expect(codes(issues)).toEqual(['MUST REPEATED_SINGLE_HEADER Call-ID']);
    expect(issues[0]?.message).toBe(
      'Call-ID takes a single value but appears 3 times (RFC 3261 §7.3; RFC 4475 §3.3.8)',
    );
  });

  it('accepts repeated list headers', () => {
    expect(
      validate(
        makeRequest('INVITE', undefined, [
          ['Via', 'SIP/2.0/UDP b;branch=z9hG4bK2'],
          ['Supported', 'a'],
          ['k', 'b'],
        ]),
      ),
    ).toEqual([]);
  });

  it('flags a CSeq method that differs from the request method', () => {
    const request = makeRequest('OPTIONS', replace(INVITE_HEADERS, 'CSeq', '1 INVITE'));
    expect(codes(validate(request))).toEqual(['MUST CSEQ_METHOD_MISMATCH CSeq']);
  });

  it('compares the CSeq method case-sensitively', () => {
    expect(
      codes(validate(makeRequest('INVITE', replace(INVITE_HEADERS, 'CSeq', '1 invite')))),
    ).toEqual(['MUST CSEQ_METHOD_MISMATCH CSeq']);
  });

  it('flags a CSeq number of 2^31 (RFC 3261 §8.1.1.5)', () => {
    const issues = validate(
      makeRequest('INVITE', replace(INVITE_HEADERS, 'CSeq', '2147483648 INVITE')),
    );
    expect(codes(issues)).toEqual(['MUST CSEQ_OUT_OF_RANGE CSeq']);
    expect(issues[0]?.source).toBe('RFC 3261 §8.1.1.5');
    expect(
      validate(makeRequest('INVITE', replace(INVITE_HEADERS, 'CSeq', '2147483647 INVITE'))),
    ).toEqual([]);
  });

  it('flags Max-Forwards above 255', () => {
    expect(
      codes(validate(makeRequest('INVITE', replace(INVITE_HEADERS, 'Max-Forwards', '256')))),
    ).toEqual(['MUST MAX_FORWARDS_OUT_OF_RANGE Max-Forwards']);
    expect(validate(makeRequest('INVITE', replace(INVITE_HEADERS, 'Max-Forwards', '0')))).toEqual(
      [],
    );
  });

  it('turns a header value that does not parse into an issue', () => {
    const issues = validate(
      makeRequest('INVITE', replace(INVITE_HEADERS, 'Via', 'SIP/2.0/UDP a;;')),
    );
    expect(codes(issues)).toEqual(['MUST INVALID_HEADER_VALUE Via']);
    expect(issues[0]?.source).toBe('RFC 3261 §20.42');
    expect(issues[0]?.message).toMatch(/^Via: Invalid parameter/);
  });

  it('checks a Contact expires parameter against 0 to 2^32-1 (RFC 3261 §20.10, §20.19)', () => {
    const contact = (value: string) =>
      codes(validate(makeRequest('REGISTER', undefined, [['Contact', value]])));
    expect(contact('<sip:a@b.example>;expires=4294967295, <sip:c@d.example>;expires=0')).toEqual(
      [],
    );
    // RFC 4475 §3.1.2.4 scalar02: an element may treat it as 3600, but it is out of range
    expect(contact('<sip:a@b.example>;expires=280297596632815')).toEqual([
      'MUST INVALID_HEADER_VALUE Contact',
    ]);
    expect(contact('<sip:a@b.example>, <sip:c@d.example>;Expires=soon')).toEqual([
      'MUST INVALID_HEADER_VALUE Contact',
    ]);
    const issues = validate(
      makeRequest('REGISTER', undefined, [['Contact', '<sip:a@b.example>;expires=4294967296']]),
    );
    expect(issues[0]?.message).toMatch(
      /^Contact: Invalid Contact expires parameter at character 18/,
    );
    expect(contact('*')).toEqual([]);
  });

  it('checks each Warning value: a three-digit code, an agent, a quoted text (RFC 3261 §20.43)', () => {
    const warning = (value: string) =>
      codes(validate(makeRequest('INVITE', undefined, [['Warning', value]])));
    expect(warning('307 isi.edu "Session parameter \'foo\' not understood"')).toEqual([]);
    expect(warning('399 a.example "x", 301 [2001:db8::1]:5060 "y"')).toEqual([]);
    // RFC 4475 §3.1.2.6 scalarlg
    expect(warning('1812 overture "In Progress"')).toEqual(['MUST INVALID_HEADER_VALUE Warning']);
    expect(warning('399 a.example "x", 399 unquoted')).toEqual([
      'MUST INVALID_HEADER_VALUE Warning',
    ]);
  });

  it('flags Content-Length that disagrees with the body', () => {
    const request = {
      ...makeRequest('MESSAGE', undefined, [
        ['Content-Type', 'text/plain'],
        ['Content-Length', '5'],
      ]),
      body: new Uint8Array(3),
    };
    const issues = validate(request);
    expect(codes(issues)).toEqual(['MUST CONTENT_LENGTH_MISMATCH Content-Length']);
    expect(issues[0]?.message).toBe(
      'Content-Length says 5 but the body has 3 bytes (RFC 3261 §20.14; RFC 4475 §3.3.9)',
    );
  });

  it('does not fault a message without Content-Length', () => {
    expect(
      validate({
        ...makeRequest('MESSAGE', undefined, [['Content-Type', 'text/plain']]),
        body: new Uint8Array(3),
      }),
    ).toEqual([]);
  });

  it('flags a body without Content-Type (RFC 3261 §7.4.1)', () => {
    expect(codes(validate({ ...makeRequest('MESSAGE'), body: new Uint8Array(1) }))).toEqual([
      'MUST MISSING_CONTENT_TYPE Content-Type',
    ]);
  });

  it('flags a REGISTER whose To is not a SIP or SIPS URI', () => {
    const register = replace(INVITE_HEADERS, 'CSeq', '1 REGISTER');
    expect(
      codes(validate(makeRequest('REGISTER', replace(register, 'To', 'isbn:2983792873')))),
    ).toEqual(['MUST REGISTER_TO_NOT_SIP_URI To']);
    expect(validate(makeRequest('REGISTER', replace(register, 'To', '<SIPS:bob@b>')))).toEqual([]);
  });

  it('flags a version other than SIP/2.0', () => {
    expect(codes(validate({ ...makeRequest('INVITE'), version: 'SIP/7.0' }))).toEqual([
      'MUST UNSUPPORTED_VERSION',
    ]);
  });

  it('flags an Allow that lists INVITE without ACK and CANCEL', () => {
    expect(codes(validate(makeRequest('INVITE', undefined, [['Allow', 'INVITE, BYE']])))).toEqual([
      'MUST ALLOW_OMITS_METHOD Allow',
    ]);
  });
});

describe('validate on responses without context', () => {
  it('accepts a plain 486', () => {
    expect(validate(response(486, ECHO))).toEqual([]);
  });

  it.each([['To'], ['From'], ['CSeq'], ['Call-ID'], ['Via']])(
    'flags a response without %s (RFC 3261 §8.2.6.2)',
    (name) => {
      expect(codes(validate(response(486, replace(ECHO, name, undefined))))).toEqual([
        `MUST MISSING_MANDATORY_HEADER ${name}`,
      ]);
    },
  );

  it('does not require Max-Forwards in a response', () => {
    expect(validate(response(486, ECHO)).map((issue) => issue.header)).not.toContain(
      'Max-Forwards',
    );
  });

  it('flags a non-100 response without To tag', () => {
    expect(codes(validate(response(486, replace(ECHO, 'To', '<sip:bob@b>'))))).toEqual([
      'MUST MISSING_TO_TAG To',
    ]);
  });

  it('accepts a 100 without To tag', () => {
    expect(validate(response(100, replace(ECHO, 'To', '<sip:bob@b>')))).toEqual([]);
  });

  it('flags request-only headers with SHOULD severity', () => {
    expect(
      codes(validate(response(486, [...ECHO, ['Max-Forwards', '70'], ['Route', '<sip:x;lr>']]))),
    ).toEqual(['SHOULD REQUEST_ONLY_HEADER Max-Forwards', 'SHOULD REQUEST_ONLY_HEADER Route']);
  });

  it('flags a status code outside 100–699 and evaluates no rule', () => {
    expect(codes(validate(response(700, ECHO)))).toEqual(['MUST INVALID_STATUS_CODE']);
  });

  it('applies the table: a 405 without Allow', () => {
    const issues = validate(response(405, ECHO));
    expect(codes(issues)).toEqual(['MUST MISSING_REQUIRED_HEADER Allow']);
    expect(issues[0]?.rule?.source).toBe(issues[0]?.source);
  });

  it('applies the table by the CSeq method: a 200 to INVITE without Contact', () => {
    expect(codes(validate(response(200, ECHO)))).toEqual([
      'MUST MISSING_REQUIRED_HEADER Contact',
      'SHOULD MISSING_REQUIRED_HEADER Allow',
      'SHOULD MISSING_REQUIRED_HEADER Supported',
    ]);
  });

  it('applies MUST NOT rules: Contact in a 200 to MESSAGE', () => {
    const issues = validate(
      response(200, [...replace(ECHO, 'CSeq', '2 MESSAGE'), ['Contact', '<sip:b@h>']]),
    );
    expect(codes(issues)).toEqual(['MUST FORBIDDEN_HEADER Contact']);
  });

  it('leaves rules on unknown facts out unless asked', () => {
    expect(validate(response(421, [...ECHO, ['Require', 'sec-agree']]))).toEqual([]);
    expect(
      codes(
        validate(response(421, [...ECHO, ['Require', 'sec-agree']]), { reportUndecidable: true }),
      ),
    ).toEqual(['MUST UNDECIDABLE_RULE Security-Server']);
  });

  it('decides a policy from the context', () => {
    expect(
      codes(
        validate(response(421, [...ECHO, ['Require', 'sec-agree']]), {
          policies: { secAgreeRequired: true },
        }),
      ),
    ).toEqual(['MUST MISSING_REQUIRED_HEADER Security-Server']);
  });

  it('accepts a parsed response', () => {
    const parsed = parseMessage(
      'SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1\r\nFrom: <sip:a@a>;tag=1\r\nTo: <sip:b@b>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContact: <sip:b@192.0.2.1>\r\nContent-Length: 0\r\n\r\n',
    );
    expect(validate(parsed)).toEqual([]);
  });
});

describe('validate with context.request', () => {
  const request = makeRequest('INVITE');

  it('accepts the response buildResponse made', () => {
    const { response: built } = buildResponse(request, 486);
    expect(validate(built, { request })).toEqual([]);
  });

  it('flags a Via list that differs', () => {
    const issues = validate(
      response(486, [...ECHO, ['Via', 'SIP/2.0/UDP extra;branch=z9hG4bK9']]),
      { request },
    );
    expect(codes(issues)).toEqual(['MUST HEADER_NOT_ECHOED Via']);
    expect(issues[0]?.source).toBe('RFC 3261 §8.2.6.2');
  });

  it('accepts a top Via stamped with received and a filled rport (RFC 3261 §18.2.1, RFC 3581 §4)', () => {
    const rport = makeRequest('INVITE', [
      ...INVITE_HEADERS.filter(([name]) => name !== 'Via'),
      ['Via', 'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport'],
    ]);
    const stamped = replace(
      ECHO,
      'Via',
      'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport=5062;received=192.0.2.4',
    );
    expect(validate(response(486, stamped), { request: rport })).toEqual([]);
  });

  it.each([
    [
      'a changed branch',
      'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKother;received=192.0.2.4',
    ],
    [
      'another added parameter',
      'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;maddr=192.0.2.9',
    ],
    [
      'a changed sent-by',
      'SIP/2.0/UDP pc34.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.4',
    ],
  ])('flags a top Via with %s', (_, value) => {
    const issues = validate(response(486, replace(ECHO, 'Via', value)), { request });
    expect(codes(issues)).toEqual(['MUST HEADER_NOT_ECHOED Via']);
  });

  it('accepts the same Via values split differently into fields', () => {
    const two = makeRequest('INVITE', [
      ...INVITE_HEADERS,
      ['Via', 'SIP/2.0/TCP b;branch=z9hG4bK2'],
    ]);
    const combined = replace(
      ECHO,
      'Via',
      'SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds, SIP/2.0/TCP b;branch=z9hG4bK2',
    );
    expect(validate(response(486, combined), { request: two })).toEqual([]);
  });

  it.each([
    ['From', 'Alice <sip:alice@atlanta.example.com>;tag=other'],
    ['Call-ID', 'different'],
    ['CSeq', '314160 INVITE'],
  ])('flags a %s that differs', (name, value) => {
    expect(codes(validate(response(486, replace(ECHO, name, value)), { request }))).toEqual([
      `MUST HEADER_NOT_ECHOED ${name}`,
    ]);
  });

  it('accepts a CSeq written with other whitespace or leading zeros', () => {
    expect(validate(response(486, replace(ECHO, 'CSeq', '0314159   INVITE')), { request })).toEqual(
      [],
    );
  });

  it('flags a To whose URI differs', () => {
    expect(
      codes(
        validate(response(486, replace(ECHO, 'To', 'Bob <sip:robert@biloxi.example.com>;tag=1')), {
          request,
        }),
      ),
    ).toEqual(['MUST HEADER_NOT_ECHOED To']);
  });

  it('flags a To tag changed from the request one', () => {
    const inDialog = makeRequest(
      'BYE',
      replace(
        replace(INVITE_HEADERS, 'CSeq', '314159 BYE'),
        'To',
        'Bob <sip:bob@biloxi.example.com>;tag=abc',
      ),
    );
    const issues = validate(
      response(
        200,
        replace(
          replace(ECHO, 'CSeq', '314159 BYE'),
          'To',
          'Bob <sip:bob@biloxi.example.com>;tag=xyz',
        ),
      ),
      {
        request: inDialog,
      },
    );
    expect(codes(issues)).toEqual(['MUST HEADER_NOT_ECHOED To']);
  });

  it('flags a Require option-tag the request did not offer', () => {
    expect(codes(validate(response(486, [...ECHO, ['Require', 'timer']]), { request }))).toEqual([
      'MUST EXTENSION_NOT_SUPPORTED Require',
    ]);
  });

  it('flags a sip: Contact in a dialog-creating response to a sips: request', () => {
    const sips = makeRequest('INVITE', undefined, [], 'sips:bob@biloxi.example.com');
    expect(
      codes(validate(response(200, [...ECHO, ['Contact', '<sip:bob@h>']]), { request: sips })),
    ).toContain('MUST CONTACT_NOT_SIPS Contact');
  });

  it('evaluates request-dependent rules: Record-Route not copied into a 200 to INVITE', () => {
    const routed = makeRequest('INVITE', undefined, [['Record-Route', '<sip:p1;lr>']]);
    const issues = validate(
      response(200, [
        ...ECHO,
        ['Contact', '<sip:b@h>'],
        ['Allow', 'INVITE, ACK, CANCEL'],
        ['Supported', ''],
      ]),
      {
        request: routed,
      },
    );
    expect(codes(issues)).toEqual(['MUST HEADER_RULE_VIOLATED Record-Route']);
    expect(issues[0]?.message).toBe(
      `200 X: every Record-Route value of the request must be copied unchanged and in order (${issues[0]?.rule?.source})`,
    );
  });
});
