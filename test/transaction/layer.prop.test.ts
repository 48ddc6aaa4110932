/**
 * Any interleaving of retransmitted requests, ACKs, CANCELs, the user's responses and clock
 * ticks: every response is sent only at the RFC's times, one To tag per transaction, nothing is
 * left once the timers end, and state stays within the cap.
 */
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { TransactionError, type TransactionState } from '../../src/transaction/index.js';
import { makeLayer, RecordingTransport, request } from './support.js';

const T1 = 500;
const T2 = 4000;

type Command =
  | { readonly type: 'retransmit' }
  | { readonly type: 'respond'; readonly code: number }
  | { readonly type: 'ackBranch' }
  | { readonly type: 'ackDialog' }
  | { readonly type: 'cancel' }
  | { readonly type: 'tick'; readonly ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ type: 'retransmit' } as const),
  fc
    .constantFrom(100, 180, 183, 200, 202, 302, 486, 603)
    .map((code) => ({ type: 'respond', code }) as const),
  fc.constant({ type: 'ackBranch' } as const),
  fc.constant({ type: 'ackDialog' } as const),
  fc.constant({ type: 'cancel' } as const),
  fc
    .oneof(fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: 40_000 }))
    .map((ms) => ({ type: 'tick', ms }) as const),
);

/** The times after `from` a final is retransmitted over UDP (T1, doubling to T2, for 64·T1). */
function retransmissionTimes(from: number): Set<number> {
  const times = new Set<number>();
  let interval = T1;
  for (let at = from + T1; at < from + 64 * T1; at += interval) {
    times.add(at);
    interval = Math.min(2 * interval, T2);
  }
  return times;
}

test.prop(
  [fc.constantFrom('INVITE', 'OPTIONS'), fc.boolean(), fc.array(command, { maxLength: 25 })],
  { numRuns: 300 },
)(
  'responses only at the RFC times, one To tag, nothing left behind',
  (method, reliable, commands) => {
    const { layer, clock } = makeLayer({ maxTransactions: 4 });
    const transport = new RecordingTransport(clock, reliable);
    const first = layer.receive(request({ method }), transport);
    if (first.kind !== 'request') throw new Error('expected a new transaction');
    const transaction = first.transaction;
    const createdAt = clock.now();
    let finalAt: number | undefined;
    let ackedAt: number | undefined;
    let tagged: string | undefined;

    for (const step of commands) {
      const before = transport.sent.length;
      const stateBefore: TransactionState = transaction.state;
      const ownLine = `CSeq: 314159 ${method}`;
      const lastBefore = transport.sent.filter((sent) => sent.text.includes(ownLine)).at(-1)?.text;
      switch (step.type) {
        case 'tick': {
          clock.advance(step.ms);
          // Timer-driven sends: a 100 at 200 ms, or a retransmitted final at its times
          for (const sent of transport.sent.slice(before)) {
            if (sent.status === 100 && finalAt === undefined) {
              expect(method).toBe('INVITE');
              expect(sent.at).toBe(createdAt + 200);
              expect(transport.sent.indexOf(sent)).toBe(0);
              continue;
            }
            if (sent.status === 408 && finalAt === undefined) {
              // the layer answers an INVITE its user left unanswered for 180 s
              expect(method).toBe('INVITE');
              expect(sent.at).toBe(createdAt + 180_000);
              finalAt = sent.at;
              continue;
            }
            expect(reliable).toBe(false);
            expect(method).toBe('INVITE');
            expect(finalAt).toBeDefined();
            expect(retransmissionTimes(finalAt ?? 0).has(sent.at)).toBe(true);
            if (ackedAt !== undefined) expect(sent.at).toBeLessThan(ackedAt);
          }
          break;
        }
        case 'respond': {
          const open = stateBefore === 'trying' || stateBefore === 'proceeding';
          try {
            transaction.respond(
              step.code,
              step.code > 100 && step.code < 300 ? { contact: '<sip:b@192.0.2.4>' } : {},
            );
            expect(open).toBe(true);
            expect(transport.sent.length).toBe(before + 1);
            if (step.code >= 200 && finalAt === undefined) finalAt = clock.now();
          } catch (error) {
            expect(error).toBeInstanceOf(TransactionError);
            expect(open).toBe(false);
            expect(transport.sent.length).toBe(before);
          }
          break;
        }
        case 'retransmit': {
          const result = layer.receive(request({ method }), transport);
          if (stateBefore === 'terminated') {
            // a new transaction for what is now a new request: answered by nobody yet
            expect(result.kind === 'request' || result.kind === 'overloaded').toBe(true);
            if (result.kind === 'request') result.transaction.terminate();
            break;
          }
          expect(result.kind).toBe('retransmission');
          const resent = transport.sent.slice(before);
          const resends =
            lastBefore !== undefined &&
            (stateBefore === 'proceeding' || stateBefore === 'completed');
          expect(resent.map((sent) => sent.text)).toEqual(resends ? [lastBefore] : []);
          break;
        }
        case 'ackBranch':
        case 'ackDialog': {
          const tag = transaction.toTag;
          const ack = request({
            method: 'ACK',
            cseqMethod: 'ACK',
            ...(step.type === 'ackDialog' ? { branch: 'z9hG4bKack' } : {}),
            ...(tag === undefined ? {} : { toTag: tag }),
          });
          const result = layer.receive(ack, transport);
          expect(transport.sent.length).toBe(before);
          if (result.kind === 'ack' || result.kind === 'absorbed') ackedAt ??= clock.now();
          if (method !== 'INVITE' || stateBefore === 'terminated') {
            expect(result.kind).toBe('stray-ack');
          }
          if (method === 'INVITE' && stateBefore === 'completed' && step.type === 'ackBranch') {
            expect(result.kind).toBe('absorbed');
          }
          if (
            stateBefore === 'accepted' &&
            transaction.acknowledged &&
            result.kind !== 'stray-ack'
          ) {
            expect(ackedAt).toBeDefined();
          }
          break;
        }
        case 'cancel': {
          const result = layer.receive(request({ method: 'CANCEL' }), transport);
          const sent = transport.sent.slice(before).map((item) => item.status);
          if (result.kind === 'cancel') {
            const pending = stateBefore === 'trying' || stateBefore === 'proceeding';
            expect(result.pending).toBe(pending);
            const matched = stateBefore !== 'terminated';
            expect(sent[0]).toBe(matched ? 200 : 481);
            if (result.pending && method === 'INVITE') {
              expect(sent).toEqual([200, 487]);
              finalAt ??= clock.now();
            }
          } else {
            // a retransmitted CANCEL: its 200 (or 481) again
            expect(result.kind).toBe('retransmission');
            expect(sent.length).toBeLessThanOrEqual(1);
          }
          break;
        }
      }
      expect(layer.size).toBeLessThanOrEqual(4);
      // One tag for every response of the transaction but a 100 (RFC 3261 §8.2.6.2)
      for (const sent of transport.sent) {
        if (sent.status === 100) {
          expect(sent.toTag).toBeUndefined();
          continue;
        }
        if (
          !sent.text.includes(`CSeq: 314159 ${method}`) &&
          !sent.text.includes('CSeq: 314159 CANCEL')
        )
          continue;
        tagged ??= sent.toTag;
        expect(sent.toTag).toBe(tagged);
      }
    }
    // 180 s: the longest a user may leave an INVITE unanswered, then Timer H
    clock.advance(180_000 + 64 * T1 + 10_000);
    expect(layer.size).toBe(0);
    expect(clock.pending).toBe(0);
  },
);
