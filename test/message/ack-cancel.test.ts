import { describe, expect, it } from 'vitest';
import {
  buildAck,
  buildCancel,
  buildRequest,
  buildResponse,
  ComposeError,
  getHeader,
  getHeaders,
  type SipRequest,
  type SipResponse,
  StatusCode,
  validate,
  withHeader,
  withoutHeader,
} from '../../src/index.js';

const VIA = { transport: 'UDP', host: 'pc33.atlanta.example.com', port: 5060 } as const;

function invite(extra: { route?: string[]; recordRoute?: string[] } = {}): SipRequest {
  let request = buildRequest('INVITE', 'sip:bob@biloxi.example.com', {
    via: VIA,
    branch: 'z9hG4bK776asdhds',
    from: 'Alice <sip:alice@atlanta.example.com>',
    fromTag: '1928301774',
    to: 'Bob <sip:bob@biloxi.example.com>',
    callId: 'a84b4c76e66710@pc33.atlanta.example.com',
    cseq: 314159,
    contact: '<sip:alice@pc33.atlanta.example.com>',
    route: extra.route ?? [],
    headers: { Authorization: 'Digest username="alice", realm="atlanta.example.com"' },
  });
  // Proxies on the way add Record-Route; the UAS sees them and copies them into its response
  if (extra.recordRoute !== undefined)
    request = withHeader(request, 'Record-Route', extra.recordRoute);
  return request;
}

function respond(request: SipRequest, code: number, contact?: string): SipResponse {
  return buildResponse(request, code, {
    toTag: 'a6c85cf',
    ...(contact !== undefined && { contact }),
  }).response;
}

function values(message: SipRequest, name: string): string[] {
  return getHeaders(message, name).map((field) => field.value);
}

function must(message: SipRequest): string[] {
  return validate(message)
    .filter((issue) => issue.severity === 'MUST')
    .map((issue) => issue.code);
}

function composeCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ComposeError) return error.code;
    throw error;
  }
  return undefined;
}

describe('buildAck for a non-2xx (RFC 3261 §17.1.1.3)', () => {
  it('reuses the top Via, Request-URI, From, Call-ID and Route; takes the response To', () => {
    const request = invite({ route: ['<sip:p1.example.com;lr>'] });
    const busy = respond(request, StatusCode.BUSY_HERE);
    const ack = buildAck(request, busy);
    expect(ack.method).toBe('ACK');
    expect(ack.uri).toBe(request.uri);
    expect(values(ack, 'Via')).toEqual([getHeader(request, 'Via')]);
    expect(getHeader(ack, 'From')).toBe(getHeader(request, 'From'));
    expect(getHeader(ack, 'Call-ID')).toBe(getHeader(request, 'Call-ID'));
    expect(getHeader(ack, 'To')).toBe(getHeader(busy, 'To'));
    expect(getHeader(ack, 'To')).toContain(';tag=a6c85cf');
    expect(getHeader(ack, 'CSeq')).toBe('314159 ACK');
    expect(values(ack, 'Route')).toEqual(['<sip:p1.example.com;lr>']);
    expect(getHeader(ack, 'Authorization')).toBeUndefined();
    expect(must(ack)).toEqual([]);
  });

  it('keeps only the first value of a comma-combined Via', () => {
    const request = withHeader(
      invite(),
      'Via',
      'SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2',
    );
    expect(values(buildAck(request, respond(request, StatusCode.NOT_FOUND)), 'Via')).toEqual([
      'SIP/2.0/UDP a.example.com;branch=z9hG4bK1',
    ]);
  });
});

describe('buildAck for a 2xx (RFC 3261 §13.2.2.4)', () => {
  it('opens a new transaction to the remote target, with the INVITE CSeq and credentials', () => {
    const request = invite();
    const ok = respond(request, StatusCode.OK, '<sip:bob@192.0.2.4:5070>');
    const ack = buildAck(request, ok, { branch: 'z9hG4bKack1' });
    expect(ack.uri).toBe('sip:bob@192.0.2.4:5070');
    expect(values(ack, 'Via')).toEqual([
      'SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKack1',
    ]);
    expect(getHeader(ack, 'CSeq')).toBe('314159 ACK');
    expect(getHeader(ack, 'To')).toBe('<sip:bob@biloxi.example.com>;tag=a6c85cf');
    expect(getHeader(ack, 'From')).toBe('<sip:alice@atlanta.example.com>;tag=1928301774');
    expect(getHeader(ack, 'Call-ID')).toBe(getHeader(request, 'Call-ID'));
    expect(getHeader(ack, 'Authorization')).toBe(getHeader(request, 'Authorization'));
    expect(values(ack, 'Route')).toEqual([]);
    expect(must(ack)).toEqual([]);
  });

  it('draws a new branch when none is given', () => {
    const request = invite();
    const ack = buildAck(request, respond(request, StatusCode.OK, '<sip:bob@192.0.2.4>'));
    expect(getHeader(ack, 'Via')).not.toBe(getHeader(request, 'Via'));
    expect(getHeader(ack, 'Via')).toMatch(/branch=z9hG4bK[0-9a-f]{16}$/);
  });

  it('routes loosely through the reversed Record-Route', () => {
    const request = invite({ recordRoute: ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>'] });
    const ack = buildAck(request, respond(request, StatusCode.OK, '<sip:bob@192.0.2.4>'));
    expect(ack.uri).toBe('sip:bob@192.0.2.4');
    expect(values(ack, 'Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
  });

  it('routes strictly when the first route has no lr (RFC 3261 §12.2.1.1)', () => {
    const request = invite({
      recordRoute: ['<sip:p2.example.com;lr>', '<sip:p1.example.com;method=INVITE;maddr=10.0.0.1>'],
    });
    const ack = buildAck(request, respond(request, StatusCode.OK, '<sip:bob@192.0.2.4>'));
    expect(ack.uri).toBe('sip:p1.example.com;maddr=10.0.0.1');
    expect(values(ack, 'Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>']);
    expect(must(ack)).toEqual([]);
  });

  it('refuses a 2xx without Contact or To tag', () => {
    const request = invite();
    const ok = respond(request, StatusCode.OK, '<sip:bob@192.0.2.4>');
    expect(composeCode(() => buildAck(request, withoutHeader(ok, 'm')))).toBe('NO_DIALOG');
    const untagged = withHeader(ok, 'To', 'Bob <sip:bob@biloxi.example.com>');
    expect(composeCode(() => buildAck(request, untagged))).toBe('NO_DIALOG');
  });
});

describe('buildAck refusals', () => {
  it('refuses a request other than INVITE', () => {
    const options = buildRequest('OPTIONS', 'sip:b@example.com', { via: VIA });
    expect(() =>
      buildAck(options, respond(options, StatusCode.OK)),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build ACK: the request is an OPTIONS, not an INVITE (RFC 3261 §17.1.1.3)]`,
    );
  });

  it('refuses a provisional response', () => {
    const request = invite();
    expect(() =>
      buildAck(request, respond(request, StatusCode.RINGING, '<sip:bob@192.0.2.4>')),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build ACK: a 180 is provisional and is not acknowledged (RFC 3261 §17.1.1.3)]`,
    );
    expect(
      composeCode(() =>
        buildAck(request, { ...respond(request, StatusCode.BUSY_HERE), status: 99 }),
      ),
    ).toBe('NOT_A_FINAL_RESPONSE');
  });

  it('refuses an INVITE missing a header it copies', () => {
    const request = invite();
    const busy = respond(request, StatusCode.BUSY_HERE);
    const noCallId = { ...request, headers: request.headers.filter((f) => f.name !== 'Call-ID') };
    expect(() => buildAck(noCallId, busy)).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build ACK: the INVITE has no Call-ID to copy (RFC 3261 §8.1.1)]`,
    );
  });
});

describe('buildCancel (RFC 3261 §9.1)', () => {
  it('copies Request-URI, top Via, From, To, Call-ID, CSeq number and Route', () => {
    const request = invite({ route: ['<sip:p1.example.com;lr>'] });
    const cancel = buildCancel(request);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uri).toBe(request.uri);
    expect(values(cancel, 'Via')).toEqual([getHeader(request, 'Via')]);
    for (const name of ['From', 'To', 'Call-ID']) {
      expect(getHeader(cancel, name)).toBe(getHeader(request, name));
    }
    expect(getHeader(cancel, 'CSeq')).toBe('314159 CANCEL');
    expect(getHeader(cancel, 'Max-Forwards')).toBe('70');
    expect(values(cancel, 'Route')).toEqual(['<sip:p1.example.com;lr>']);
    expect(must(cancel)).toEqual([]);
  });

  it('takes a Reason and refuses Require (RFC 3261 §8.2.2.3)', () => {
    const request = invite();
    const cancel = buildCancel(request, { headers: { Reason: 'SIP;cause=487' } });
    expect(getHeader(cancel, 'Reason')).toBe('SIP;cause=487');
    expect(() =>
      buildCancel(request, { headers: { Require: '100rel' } }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build CANCEL: a Require header is not allowed (RFC 3261 §8.2.2.3); remove Require]`,
    );
  });

  it('refuses a request other than INVITE', () => {
    const bye = buildRequest('BYE', 'sip:b@example.com', { via: VIA });
    expect(composeCode(() => buildCancel(bye))).toBe('NOT_AN_INVITE');
  });

  it('refuses an INVITE without a usable Via or CSeq', () => {
    const request = invite();
    const noVia = { ...request, headers: request.headers.filter((f) => f.name !== 'Via') };
    expect(composeCode(() => buildCancel(noVia))).toBe('MISSING_HEADER');
    const badCSeq = withHeader(request, 'CSeq', 'x INVITE');
    expect(composeCode(() => buildCancel(badCSeq))).toBe('MISSING_HEADER');
  });
});
