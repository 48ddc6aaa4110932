import { describe, expect, it } from 'vitest';
import {
  buildInDialogRequest,
  buildRequest,
  buildResponse,
  ComposeError,
  createUacDialog,
  createUasDialog,
  getHeader,
  getHeaders,
  type SipRequest,
  StatusCode,
  validate,
  withHeader,
  withLocalCSeq,
} from '../../src/index.js';

const VIA = { transport: 'UDP', host: 'pc33.atlanta.example.com', port: 5060 } as const;

function invite(recordRoute?: string[], uri = 'sip:bob@biloxi.example.com'): SipRequest {
  const request = buildRequest('INVITE', uri, {
    via: VIA,
    from: 'Alice <sip:alice@atlanta.example.com>',
    fromTag: '1928301774',
    to: 'Bob <sip:bob@biloxi.example.com>',
    callId: 'a84b4c76e66710@pc33.atlanta.example.com',
    cseq: 10,
    contact: '<sip:alice@pc33.atlanta.example.com>',
  });
  return recordRoute === undefined ? request : withHeader(request, 'Record-Route', recordRoute);
}

const RECORD_ROUTE = ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>'];

function composeCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof ComposeError) return error.code;
    throw error;
  }
  return undefined;
}

describe('createUacDialog (RFC 3261 §12.1.2)', () => {
  it('takes the route set reversed, the Contact as remote target and the INVITE CSeq', () => {
    const request = invite(RECORD_ROUTE);
    const { response } = buildResponse(request, StatusCode.OK, {
      toTag: 'a6c85cf',
      contact: '<sip:bob@192.0.2.4>',
    });
    expect(createUacDialog(request, response)).toEqual({
      callId: 'a84b4c76e66710@pc33.atlanta.example.com',
      localTag: '1928301774',
      remoteTag: 'a6c85cf',
      localUri: 'sip:alice@atlanta.example.com',
      remoteUri: 'sip:bob@biloxi.example.com',
      remoteTarget: 'sip:bob@192.0.2.4',
      routeSet: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'],
      localCSeq: 10,
      remoteCSeq: undefined,
      secure: false,
      state: 'confirmed',
    });
  });

  it('makes an early dialog from a 180 with a tag, a secure one from a SIPS Request-URI', () => {
    const request = invite(undefined, 'sips:bob@biloxi.example.com');
    const { response } = buildResponse(request, StatusCode.RINGING, {
      toTag: 't1',
      contact: '<sips:bob@192.0.2.4>',
    });
    const dialog = createUacDialog(request, response);
    expect([dialog.state, dialog.secure]).toEqual(['early', true]);
  });

  it('refuses responses that make no dialog', () => {
    const request = invite();
    const ok = buildResponse(request, StatusCode.OK, { toTag: 't', contact: '<sip:b@h>' }).response;
    const trying = buildResponse(request, StatusCode.TRYING).response;
    const busy = buildResponse(request, StatusCode.BUSY_HERE, { toTag: 't' }).response;
    expect(composeCode(() => createUacDialog(request, trying))).toBe('NO_DIALOG');
    expect(() => createUacDialog(request, busy)).toThrowErrorMatchingInlineSnapshot(
      `[ComposeError: Cannot build dialog: a 486 response does not create a dialog; only 101–199 and 2xx do (RFC 3261 §12.1)]`,
    );
    expect(
      composeCode(() => createUacDialog(request, withHeader(ok, 'Call-ID', 'other@host'))),
    ).toBe('NO_DIALOG');
    const options = buildRequest('OPTIONS', 'sip:b@example.com', { via: VIA });
    const optionsOk = buildResponse(options, StatusCode.OK, { toTag: 't' }).response;
    expect(composeCode(() => createUacDialog(options, optionsOk))).toBe('NO_DIALOG');
    expect(composeCode(() => createUacDialog(request, withHeader(ok, 'To', 'garbage <')))).toBe(
      'MISSING_HEADER',
    );
  });
});

describe('createUasDialog (RFC 3261 §12.1.1)', () => {
  it('takes the route set in order, the request Contact and the remote CSeq', () => {
    const request = invite(RECORD_ROUTE);
    const { response } = buildResponse(request, StatusCode.OK, {
      toTag: 'a6c85cf',
      contact: '<sip:bob@192.0.2.4>',
    });
    expect(createUasDialog(request, response)).toEqual({
      callId: 'a84b4c76e66710@pc33.atlanta.example.com',
      localTag: 'a6c85cf',
      remoteTag: '1928301774',
      localUri: 'sip:bob@biloxi.example.com',
      remoteUri: 'sip:alice@atlanta.example.com',
      remoteTarget: 'sip:alice@pc33.atlanta.example.com',
      routeSet: RECORD_ROUTE,
      localCSeq: undefined,
      remoteCSeq: 10,
      secure: false,
      state: 'confirmed',
    });
  });
});

describe('buildInDialogRequest (RFC 3261 §12.2.1.1)', () => {
  const request = invite(RECORD_ROUTE);
  const { response } = buildResponse(request, StatusCode.OK, {
    toTag: 'a6c85cf',
    contact: '<sip:bob@192.0.2.4>',
  });

  it('builds a BYE from either side, with the next CSeq and the route set', () => {
    const uac = createUacDialog(request, response);
    const { request: bye, dialog } = buildInDialogRequest(uac, 'BYE', {
      via: VIA,
      branch: 'z9hG4bKbye',
    });
    expect(bye.uri).toBe('sip:bob@192.0.2.4');
    expect(getHeader(bye, 'CSeq')).toBe('11 BYE');
    expect(getHeader(bye, 'To')).toBe('<sip:bob@biloxi.example.com>;tag=a6c85cf');
    expect(getHeader(bye, 'From')).toBe('<sip:alice@atlanta.example.com>;tag=1928301774');
    expect(getHeaders(bye, 'Route').map((f) => f.value)).toEqual([
      '<sip:p1.example.com;lr>',
      '<sip:p2.example.com;lr>',
    ]);
    expect(dialog.localCSeq).toBe(11);
    expect(uac.localCSeq).toBe(10);
    expect(validate(bye).filter((issue) => issue.severity === 'MUST')).toEqual([]);

    const uas = createUasDialog(request, response);
    const { request: byeBack, dialog: next } = buildInDialogRequest(uas, 'BYE', {
      via: { host: '192.0.2.4' },
    });
    expect(byeBack.uri).toBe('sip:alice@pc33.atlanta.example.com');
    expect(getHeader(byeBack, 'CSeq')).toBe('1 BYE');
    expect(getHeader(byeBack, 'To')).toBe('<sip:alice@atlanta.example.com>;tag=1928301774');
    expect(next.localCSeq).toBe(1);
  });

  it('asks a re-INVITE for its Contact, and an ACK keeps the CSeq', () => {
    const uac = createUacDialog(request, response);
    expect(composeCode(() => buildInDialogRequest(uac, 'INVITE', { via: VIA }))).toBe(
      'MISSING_REQUIRED_HEADER',
    );
    const { request: reinvite } = buildInDialogRequest(uac, 'INVITE', {
      via: VIA,
      contact: '<sip:alice@pc33.atlanta.example.com>',
    });
    expect(getHeader(reinvite, 'CSeq')).toBe('11 INVITE');
    const { request: ack, dialog } = buildInDialogRequest(uac, 'ACK', { via: VIA });
    expect(getHeader(ack, 'CSeq')).toBe('10 ACK');
    expect(dialog).toBe(uac);
  });

  it('refuses an ACK in a dialog without a local CSeq', () => {
    const uas = createUasDialog(request, response);
    expect(composeCode(() => buildInDialogRequest(uas, 'ACK', { via: VIA }))).toBe(
      'INVALID_OPTION',
    );
  });

  it('routes strictly and leaves out the remote tag when there is none', () => {
    const strict = {
      ...createUacDialog(request, response),
      routeSet: ['<sip:p1.example.com?Subject=x>', '<sip:p2.example.com>'],
      remoteTag: '',
    };
    const { request: bye } = buildInDialogRequest(strict, 'BYE', { via: VIA });
    expect(bye.uri).toBe('sip:p1.example.com');
    expect(getHeaders(bye, 'Route').map((f) => f.value)).toEqual([
      '<sip:p2.example.com>',
      '<sip:bob@192.0.2.4>',
    ]);
    expect(getHeader(bye, 'To')).toBe('<sip:bob@biloxi.example.com>');
  });
});

describe('withLocalCSeq', () => {
  it('returns a new record and leaves the old one', () => {
    const dialog = createUacDialog(
      invite(),
      buildResponse(invite(), StatusCode.OK, { toTag: 't', contact: '<sip:b@h>' }).response,
    );
    const next = withLocalCSeq(dialog, 42);
    expect([dialog.localCSeq, next.localCSeq, Object.isFrozen(next)]).toEqual([10, 42, true]);
    expect(composeCode(() => withLocalCSeq(dialog, 2 ** 31))).toBe('INVALID_OPTION');
  });
});
