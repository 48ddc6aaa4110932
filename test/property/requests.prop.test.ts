/**
 * Requests built from generated inputs: each validates with no MUST issue and parses back to
 * the same fields; the ACK and CANCEL of generated INVITEs and final responses follow RFC 3261
 * §17.1.1.3, §13.2.2.4 and §9.1 field by field.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isFinal, isSuccess, statusCodes } from '../../src/codes/index.js';
import {
  buildAck,
  buildCancel,
  buildRequest,
  buildResponse,
  formatNameAddr,
  formatUri,
  getHeader,
  getHeaders,
  getHeaderValues,
  METHOD_DEFINITIONS,
  type SipMessage,
  type SipRequest,
  serialize,
  validate,
  withHeader,
} from '../../src/message/index.js';
import { parseDatagram } from '../../src/parse/index.js';
import {
  nameAddrOf,
  nameAddrPartsArbitrary,
  sipUriPartsArbitrary,
} from '../arbitraries/addresses.js';
import { hostArbitrary, tokenArbitrary } from '../arbitraries/requests.js';

const RUNS = { numRuns: 150 };

/** A value for each header the method table may require. */
const REQUIRED_VALUES: Readonly<Record<string, string>> = {
  Event: 'presence',
  'Subscription-State': 'active;expires=600',
  'Refer-To': '<sip:carol@example.com>',
  RAck: '1 314159 INVITE',
};

function mustIssues(message: SipMessage): string[] {
  return validate(message)
    .filter((issue) => issue.severity === 'MUST')
    .map((issue) => `${issue.code} ${issue.message}`);
}

const methodArbitrary = fc.oneof(
  fc.constantFrom(...METHOD_DEFINITIONS.map((row) => row.method)),
  tokenArbitrary.map((token) => token.toUpperCase()),
);

const inputArbitrary = fc.record({
  method: methodArbitrary,
  uri: sipUriPartsArbitrary({ requestUri: true }),
  from: nameAddrPartsArbitrary,
  to: nameAddrPartsArbitrary,
  contact: nameAddrPartsArbitrary,
  cseq: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  maxForwards: fc.integer({ min: 0, max: 255 }),
  transport: fc.constantFrom('UDP', 'TCP', 'TLS', 'WS', 'SCTP'),
  host: hostArbitrary,
  port: fc.option(fc.nat(65535), { nil: undefined }),
  rport: fc.boolean(),
  routes: fc.array(
    hostArbitrary.map((host) => `<sip:${host};lr>`),
    { maxLength: 3 },
  ),
  body: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
});

describe('buildRequest on generated inputs', () => {
  test.prop([inputArbitrary], RUNS)('validates and parses back to the same fields', (input) => {
    const { method } = input;
    const uriParts =
      method === 'REGISTER' ? { ...input.uri, user: undefined, password: undefined } : input.uri;
    const { user: _user, password: _password, ...withoutUser } = uriParts;
    const requestUri = formatUri({
      ...(uriParts.user === undefined ? withoutUser : uriParts),
      raw: '',
    } as never);
    const rules = METHOD_DEFINITIONS.find((row) => row.method === method);
    const headers: Record<string, string> = {};
    for (const rule of rules?.requires ?? []) {
      const value = REQUIRED_VALUES[rule.header];
      if (value !== undefined) headers[rule.header] = value;
    }
    const request = buildRequest(method, requestUri, {
      via: {
        transport: input.transport,
        host: input.host,
        ...(input.port !== undefined && { port: input.port }),
        rport: input.rport,
      },
      from: formatNameAddr(nameAddrOf({ ...input.from, tag: undefined })),
      to: formatNameAddr(nameAddrOf({ ...input.to, tag: undefined })),
      contact: formatNameAddr(nameAddrOf({ ...input.contact, tag: undefined })),
      cseq: input.cseq,
      maxForwards: input.maxForwards,
      route: input.routes,
      headers,
      ...(input.body !== undefined && { body: input.body, contentType: 'text/plain' }),
    });
    expect(mustIssues(request)).toEqual([]);
    const parsed = parseDatagram(serialize(request));
    expect(parsed.type === 'request' && [parsed.method, parsed.uri]).toEqual([method, requestUri]);
    const fields = (message: SipMessage): string[][] =>
      message.headers
        .filter((field) => field.name !== 'Content-Length')
        .map((field) => [field.name, field.value]);
    expect(fields(parsed)).toEqual(fields(request));
    expect(new TextDecoder().decode(parsed.body)).toBe(input.body ?? '');
    expect(getHeader(parsed, 'CSeq')).toBe(`${input.cseq} ${method}`);
  });
});

const FINAL_CODES = statusCodes.map((entry) => entry.code).filter((code) => isFinal(code));

const dialogArbitrary = fc.record({
  code: fc.constantFrom(...FINAL_CODES),
  routes: fc.array(
    hostArbitrary.map((host) => `<sip:${host};lr>`),
    { maxLength: 2 },
  ),
  recordRoute: fc.array(
    fc.tuple(hostArbitrary, fc.boolean()).map(([host, lr]) => `<sip:${host}${lr ? ';lr' : ''}>`),
    { maxLength: 3 },
  ),
  contact: hostArbitrary.map((host) => `<sip:bob@${host}>`),
  cseq: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  host: hostArbitrary,
});

type DialogInput = typeof dialogArbitrary extends fc.Arbitrary<infer T> ? T : never;

function invite(input: DialogInput): SipRequest {
  const request = buildRequest('INVITE', 'sip:bob@biloxi.example.com', {
    via: { host: input.host },
    from: 'Alice <sip:alice@atlanta.example.com>',
    contact: '<sip:alice@pc33.atlanta.example.com>',
    cseq: input.cseq,
    route: input.routes,
  });
  return input.recordRoute.length === 0
    ? request
    : withHeader(request, 'Record-Route', input.recordRoute);
}

describe('buildAck and buildCancel on generated INVITEs', () => {
  test.prop([dialogArbitrary], RUNS)('follow the RFC field by field', (input) => {
    const request = invite(input);
    let response: ReturnType<typeof buildResponse>['response'];
    try {
      response = buildResponse(request, input.code, {
        contact: input.contact,
        headers: { 'Retry-After': '5', 'WWW-Authenticate': 'Digest realm="x", nonce="y"' },
        allow: ['INVITE', 'ACK', 'CANCEL'],
        supported: [],
      }).response;
    } catch {
      return; // a code whose rules ask for more than these options give
    }
    const ack = buildAck(request, response);
    expect(mustIssues(ack)).toEqual([]);
    expect(getHeader(ack, 'Call-ID')).toBe(getHeader(request, 'Call-ID'));
    expect(getHeader(ack, 'CSeq')).toBe(`${input.cseq} ACK`);
    const topVia = getHeaderValues(request, 'Via')[0];
    if (isSuccess(input.code)) {
      // RFC 3261 §13.2.2.4: a new transaction, routed by the dialog's route set
      expect(getHeader(ack, 'Via')).not.toBe(topVia);
      const routeSet = [...input.recordRoute].reverse();
      const strict = routeSet.length > 0 && !routeSet[0]?.includes(';lr');
      expect(ack.uri).toBe(
        strict ? routeSet[0]?.slice(1, -1) : `sip:bob@${input.contact.slice(9, -1)}`,
      );
      const routes = getHeaders(ack, 'Route').map((field) => field.value);
      expect(routes).toEqual(strict ? [...routeSet.slice(1), input.contact] : routeSet);
    } else {
      // RFC 3261 §17.1.1.3: the INVITE's transaction
      expect(ack.uri).toBe(request.uri);
      expect(getHeaders(ack, 'Via').map((field) => field.value)).toEqual([topVia]);
      expect(getHeader(ack, 'From')).toBe(getHeader(request, 'From'));
      expect(getHeader(ack, 'To')).toBe(getHeader(response, 'To'));
      expect(getHeaders(ack, 'Route')).toEqual(getHeaders(request, 'Route'));
    }
    const cancel = buildCancel(request);
    expect(mustIssues(cancel)).toEqual([]);
    expect(cancel.uri).toBe(request.uri);
    expect(getHeaders(cancel, 'Via').map((field) => field.value)).toEqual([topVia]);
    for (const name of ['From', 'To', 'Call-ID']) {
      expect(getHeader(cancel, name)).toBe(getHeader(request, name));
    }
    expect(getHeader(cancel, 'CSeq')).toBe(`${input.cseq} CANCEL`);
    expect(getHeaders(cancel, 'Route')).toEqual(getHeaders(request, 'Route'));
  });
});
