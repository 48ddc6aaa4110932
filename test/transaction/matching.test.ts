/**
 * RFC 3261 §17.2.3 matching, §9.2 CANCEL, §13.2.2.4 ACK of a 2xx, and the layer's cap.
 */
import { describe, expect, it } from 'vitest';
import type { SipRequest } from '../../src/message/index.js';
import { makeLayer, RecordingTransport, type RequestParts, request } from './support.js';

const CONTACT = { contact: '<sip:bob@192.0.2.4>' };

function setup(options: Parameters<typeof makeLayer>[0] = {}) {
  const made = makeLayer(options);
  const transport = new RecordingTransport(made.clock, false);
  const receive = (message: SipRequest) => made.layer.receive(message, transport);
  return { ...made, transport, receive };
}

describe.each([
  ['parsed requests', true],
  ['plain requests', false],
] as const)('matching (RFC 3261 §17.2.3), %s', (_, parsed) => {
  const make = (parts: RequestParts): SipRequest => request({ ...parts, parsed });

  it('matches a retransmission by branch, sent-by and method', () => {
    const { receive } = setup();
    const first = receive(make({ method: 'OPTIONS', branch: 'z9hG4bKa' }));
    expect(first.kind).toBe('request');
    const again = receive(make({ method: 'OPTIONS', branch: 'z9hG4bKa' }));
    expect(again.kind).toBe('retransmission');
    expect(again.kind === 'retransmission' && first.kind === 'request' && again.transaction).toBe(
      first.kind === 'request' ? first.transaction : undefined,
    );
  });

  it('keeps apart requests that differ in branch, sent-by or method', () => {
    const { receive, layer } = setup();
    receive(make({ method: 'OPTIONS', branch: 'z9hG4bKa' }));
    expect(receive(make({ method: 'OPTIONS', branch: 'z9hG4bKb' })).kind).toBe('request');
    expect(
      receive(make({ method: 'OPTIONS', branch: 'z9hG4bKa', sentBy: 'other.example.com' })).kind,
    ).toBe('request');
    expect(
      receive(
        make({ method: 'OPTIONS', branch: 'z9hG4bKa', sentBy: 'pc33.atlanta.example.com:5070' }),
      ).kind,
    ).toBe('request');
    expect(receive(make({ method: 'INFO', branch: 'z9hG4bKa' })).kind).toBe('request');
    expect(layer.size).toBe(5);
  });

  it('matches the ACK of a non-2xx to its INVITE by branch', () => {
    const { receive } = setup();
    const invite = receive(make({ method: 'INVITE' }));
    if (invite.kind !== 'request') throw new Error('expected a request');
    invite.transaction.respond(486);
    const ack = receive(
      make({ method: 'ACK', cseqMethod: 'ACK', toTag: invite.transaction.toTag ?? '' }),
    );
    expect(ack).toEqual({ kind: 'absorbed', transaction: invite.transaction });
    expect(invite.transaction.state).toBe('confirmed');
  });

  it('matches the ACK of a 2xx by dialog: Call-ID, tags and CSeq number (§13.2.2.4)', () => {
    const { receive } = setup();
    const invite = receive(make({ method: 'INVITE' }));
    if (invite.kind !== 'request') throw new Error('expected a request');
    invite.transaction.respond(200, CONTACT);
    const tag = invite.transaction.toTag ?? '';
    const wrongTag = receive(
      make({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bKn1', toTag: 'x' }),
    );
    expect(wrongTag.kind).toBe('stray-ack');
    const wrongCSeq = receive(
      make({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bKn2', toTag: tag, cseq: 9 }),
    );
    expect(wrongCSeq.kind).toBe('stray-ack');
    const ack = receive(
      make({ method: 'ACK', cseqMethod: 'ACK', branch: 'z9hG4bKn3', toTag: tag }),
    );
    expect(ack.kind).toBe('ack');
    expect(invite.transaction.acknowledged).toBe(true);
  });

  it('takes an ACK that reuses the INVITE branch after a 2xx as the 2xx ACK', () => {
    const { receive } = setup();
    const invite = receive(make({ method: 'INVITE' }));
    if (invite.kind !== 'request') throw new Error('expected a request');
    invite.transaction.respond(200, CONTACT);
    const ack = receive(
      make({ method: 'ACK', cseqMethod: 'ACK', toTag: invite.transaction.toTag ?? '' }),
    );
    expect(ack.kind).toBe('ack');
  });

  it('matches requests without the magic cookie by the RFC 2543 rules', () => {
    const { receive, transport } = setup();
    const old = { method: 'INVITE', branch: '' } as const;
    const invite = receive(make(old));
    if (invite.kind !== 'request') throw new Error('expected a request');
    expect(receive(make(old)).kind).toBe('retransmission');
    // another CSeq is another transaction
    expect(receive(make({ ...old, cseq: 2 })).kind).toBe('request');
    invite.transaction.respond(486);
    expect(receive(make(old)).kind).toBe('retransmission');
    expect(transport.statuses).toEqual([486, 486]);
    // the ACK matches with the To tag of the response
    expect(
      receive(make({ method: 'ACK', cseqMethod: 'ACK', branch: '', toTag: 'wrong' })).kind,
    ).toBe('stray-ack');
    const ack = receive(
      make({ method: 'ACK', cseqMethod: 'ACK', branch: '', toTag: invite.transaction.toTag ?? '' }),
    );
    expect(ack.kind).toBe('absorbed');
  });

  it('treats a branch without the cookie as RFC 2543, matching on the other fields', () => {
    const { receive } = setup();
    receive(make({ method: 'OPTIONS', branch: 'oldstyle1' }));
    // same branch text but another Call-ID: another transaction under RFC 2543 rules
    expect(receive(make({ method: 'OPTIONS', branch: 'oldstyle1', callId: 'other@h' })).kind).toBe(
      'request',
    );
  });
});

describe('CANCEL (RFC 3261 §9.2)', () => {
  it('answers 200 with the INVITE tag, and the pending INVITE 487', () => {
    const { receive, transport } = setup();
    const invite = receive(request({ method: 'INVITE' }));
    if (invite.kind !== 'request') throw new Error('expected a request');
    invite.transaction.respond(180, CONTACT);
    const cancel = receive(request({ method: 'CANCEL' }));
    expect(cancel).toMatchObject({ kind: 'cancel', cancelled: invite.transaction, pending: true });
    expect(transport.statuses).toEqual([180, 200, 487]);
    expect(new Set(transport.sent.map((sent) => sent.toTag)).size).toBe(1);
    expect(transport.sent[1]?.text).toContain('CSeq: 314159 CANCEL');
    expect(transport.sent[2]?.text).toContain('CSeq: 314159 INVITE');
    expect(invite.transaction.cancelled).toBe(true);
    expect(invite.transaction.state).toBe('completed');
    // a retransmitted CANCEL gets its 200 again
    expect(receive(request({ method: 'CANCEL' })).kind).toBe('retransmission');
    expect(transport.statuses).toEqual([180, 200, 487, 200]);
  });

  it('answers 200 but changes nothing once the INVITE has its final response', () => {
    const { receive, transport } = setup();
    const invite = receive(request({ method: 'INVITE' }));
    if (invite.kind !== 'request') throw new Error('expected a request');
    invite.transaction.respond(200, CONTACT);
    expect(receive(request({ method: 'CANCEL' }))).toMatchObject({
      kind: 'cancel',
      pending: false,
    });
    expect(transport.statuses).toEqual([200, 200]);
    expect(invite.transaction.state).toBe('accepted');
  });

  it('answers 481 when nothing matches', () => {
    const { receive, transport } = setup();
    expect(receive(request({ method: 'CANCEL', branch: 'z9hG4bKnone' }))).toMatchObject({
      kind: 'cancel',
      cancelled: undefined,
    });
    expect(transport.statuses).toEqual([481]);
  });

  it('leaves the 487 to the user when answerCancelled is false', () => {
    const { receive, transport } = setup({ answerCancelled: false });
    const invite = receive(request({ method: 'INVITE' }));
    if (invite.kind !== 'request') throw new Error('expected a request');
    receive(request({ method: 'CANCEL' }));
    expect(transport.statuses).toEqual([200]);
    expect(invite.transaction.state).toBe('proceeding');
    invite.transaction.respond(487);
    expect(transport.statuses).toEqual([200, 487]);
  });

  it('does not match a CANCEL to the CANCEL or ACK', () => {
    const { receive } = setup();
    receive(request({ method: 'CANCEL', branch: 'z9hG4bKx' }));
    // a second, different CANCEL with the same branch is a retransmission of the first, not a
    // CANCEL of it
    expect(receive(request({ method: 'CANCEL', branch: 'z9hG4bKx' })).kind).toBe('retransmission');
  });
});

describe('the cap on live transactions', () => {
  it('answers 503 with Retry-After past the cap and keeps no state', () => {
    const { receive, transport, layer } = setup({ maxTransactions: 2, retryAfterSeconds: 7 });
    receive(request({ method: 'OPTIONS', branch: 'z9hG4bK1' }));
    receive(request({ method: 'OPTIONS', branch: 'z9hG4bK2' }));
    expect(receive(request({ method: 'OPTIONS', branch: 'z9hG4bK3' }))).toEqual({
      kind: 'overloaded',
    });
    expect(layer.size).toBe(2);
    expect(transport.statuses).toEqual([503]);
    expect(transport.sent[0]?.text).toContain('\r\nRetry-After: 7\r\n');
    expect(layer.stats.overloaded).toBe(1);
    // retransmissions of known transactions and ACKs are still matched
    expect(receive(request({ method: 'OPTIONS', branch: 'z9hG4bK1' })).kind).toBe('retransmission');
  });

  it('still answers a CANCEL past the cap, statelessly', () => {
    const { receive, transport, layer } = setup({ maxTransactions: 1 });
    receive(request({ method: 'INVITE' }));
    expect(receive(request({ method: 'CANCEL' }))).toMatchObject({ kind: 'cancel', pending: true });
    expect(transport.statuses).toEqual([200, 487]);
    expect(layer.size).toBe(1);
  });

  it('refuses a cap that is not a positive integer', () => {
    expect(() => makeLayer({ maxTransactions: 0 })).toThrow(RangeError);
    expect(() => makeLayer({ timers: { T1: -1 } })).toThrow(RangeError);
  });
});

describe('requests that cannot be answered', () => {
  it('says invalid for a request without a top Via that parses, and sends nothing', () => {
    const { layer, transport } = setup();
    const good = request({ method: 'OPTIONS' });
    const noVia: SipRequest = {
      ...good,
      headers: good.headers.filter((field) => field.name !== 'Via'),
    };
    const badVia: SipRequest = {
      ...good,
      headers: good.headers.map((field) =>
        field.name === 'Via' ? { name: 'Via', value: 'SIP/2.0/UDP ;;' } : field,
      ),
    };
    expect(layer.receive(noVia, transport)).toEqual({ kind: 'invalid' });
    expect(layer.receive(badVia, transport)).toEqual({ kind: 'invalid' });
    expect(transport.sent).toEqual([]);
    expect(layer.size).toBe(0);
  });

  it('makes a transaction for a request with a broken To, answerable with 400', () => {
    const { layer, transport } = setup();
    const good = request({ method: 'INVITE' });
    const broken: SipRequest = {
      ...good,
      headers: good.headers.map((field) =>
        field.name === 'To' ? { name: 'To', value: '<sip:bob@biloxi.example.com' } : field,
      ),
    };
    const result = layer.receive(broken, transport);
    if (result.kind !== 'request') throw new Error('expected a request');
    expect(() => result.transaction.respond(180, CONTACT)).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST_HEADER' }),
    );
    result.transaction.respond(400);
    expect(transport.statuses).toEqual([400]);
  });
});
