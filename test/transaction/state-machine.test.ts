/**
 * RFC 3261 §17.2.1 (with RFC 6026's Accepted state) and §17.2.2 on fake time: every (state,
 * event) row of the two server state machines, for unreliable and reliable transports, as a
 * table of (state, event) → (next state, what is sent and when).
 */
import { describe, expect, it } from 'vitest';
import {
  type ServerTransaction,
  TransactionError,
  type TransactionState,
} from '../../src/transaction/index.js';
import { makeLayer, RecordingTransport, type RequestParts, request } from './support.js';

const T1 = 500;
const T2 = 4000;
const T4 = 5000;

interface Context {
  readonly layer: ReturnType<typeof makeLayer>['layer'];
  readonly clock: ReturnType<typeof makeLayer>['clock'];
  readonly events: ReturnType<typeof makeLayer>['events'];
  readonly transport: RecordingTransport;
  readonly transaction: ServerTransaction;
  readonly method: 'INVITE' | 'OPTIONS';
}

function start(method: 'INVITE' | 'OPTIONS', reliable: boolean): Context {
  const made = makeLayer();
  const transport = new RecordingTransport(made.clock, reliable);
  const result = made.layer.receive(request({ method }), transport);
  if (result.kind !== 'request') throw new Error(`expected a new transaction, got ${result.kind}`);
  return { ...made, transport, transaction: result.transaction, method };
}

/** Sends the request again; returns what receive said. */
function retransmit(context: Context): string {
  return context.layer.receive(request({ method: context.method }), context.transport).kind;
}

/** The ACK of a non-2xx: the INVITE's branch, the response's To tag (§17.1.1.3). */
function ackSameBranch(context: Context): string {
  const parts: RequestParts = { method: 'ACK', cseqMethod: 'ACK' };
  const tag = context.transaction.toTag;
  return context.layer.receive(
    request(tag === undefined ? parts : { ...parts, toTag: tag }),
    context.transport,
  ).kind;
}

/** The ACK of a 2xx: a new branch, matched by dialog (§13.2.2.4). */
function ackNewBranch(context: Context): string {
  return context.layer.receive(
    request({
      method: 'ACK',
      cseqMethod: 'ACK',
      branch: 'z9hG4bKack2xx',
      toTag: context.transaction.toTag ?? 'none',
    }),
    context.transport,
  ).kind;
}

/** Sends after `from` (exclusive of what was sent before), as [status, ms] pairs. */
function sentSince(context: Context, count: number): [number, number][] {
  return context.transport.sent.slice(count).map((sent) => [sent.status, sent.at]);
}

/** The times a final sent at 0 is retransmitted over UDP until `until` (T1, doubling to T2). */
function retransmissionTimes(from: number, until: number): number[] {
  const times: number[] = [];
  let interval = T1;
  for (let at = from + T1; at < until; at += interval) {
    times.push(at);
    interval = Math.min(2 * interval, T2);
  }
  return times;
}

interface Row {
  /** "state + event" */
  readonly name: string;
  readonly method: 'INVITE' | 'OPTIONS';
  readonly reliable: boolean;
  /** Brings the transaction to the row's state. */
  readonly setup: (context: Context) => void;
  readonly state: TransactionState;
  /** The event; returns what receive said, if it was a receive. */
  readonly event: (context: Context) => string | undefined;
  readonly returns?: string;
  readonly next: TransactionState;
  /** What the event sent, [status, ms since the event]. */
  readonly sends: [number, number][];
}

const nothing = (): void => {};
const respond =
  (code: number) =>
  (context: Context): undefined => {
    context.transaction.respond(
      code,
      code < 300 && code > 100 ? { contact: '<sip:bob@192.0.2.4>' } : {},
    );
    return undefined;
  };
const wait =
  (ms: number) =>
  (context: Context): undefined => {
    context.clock.advance(ms);
    return undefined;
  };
function after(...steps: ((context: Context) => unknown)[]): (context: Context) => void {
  return (context) => {
    for (const step of steps) step(context);
  };
}

const ROWS: readonly Row[] = [
  // RFC 3261 §17.2.1, INVITE, unreliable
  {
    name: 'Proceeding + 200 ms without a response',
    method: 'INVITE',
    reliable: false,
    setup: nothing,
    state: 'proceeding',
    event: wait(T1),
    next: 'proceeding',
    sends: [[100, 200]],
  },
  {
    name: 'Proceeding + TU 1xx before 200 ms',
    method: 'INVITE',
    reliable: false,
    setup: wait(50),
    state: 'proceeding',
    event: after(respond(180), wait(1000)) as never,
    next: 'proceeding',
    sends: [[180, 0]],
  },
  {
    name: 'Proceeding + request retransmission, nothing sent yet',
    method: 'INVITE',
    reliable: false,
    setup: nothing,
    state: 'proceeding',
    event: retransmit,
    returns: 'retransmission',
    next: 'proceeding',
    sends: [],
  },
  {
    name: 'Proceeding + request retransmission after a 180',
    method: 'INVITE',
    reliable: false,
    setup: respond(180),
    state: 'proceeding',
    event: retransmit,
    returns: 'retransmission',
    next: 'proceeding',
    sends: [[180, 0]],
  },
  {
    name: 'Proceeding + TU 2xx',
    method: 'INVITE',
    reliable: false,
    setup: respond(180),
    state: 'proceeding',
    event: after(respond(200), wait(64 * T1 - 1)) as never,
    next: 'accepted',
    sends: [[200, 0], ...retransmissionTimes(0, 64 * T1).map((at): [number, number] => [200, at])],
  },
  {
    name: 'Accepted + request retransmission',
    method: 'INVITE',
    reliable: false,
    setup: respond(200),
    state: 'accepted',
    event: retransmit,
    returns: 'retransmission',
    next: 'accepted',
    sends: [],
  },
  {
    name: 'Accepted + ACK of the 2xx',
    method: 'INVITE',
    reliable: false,
    setup: respond(200),
    state: 'accepted',
    event: after(ackNewBranch, wait(20_000)) as never,
    next: 'accepted',
    sends: [],
  },
  {
    name: 'Accepted + ACK retransmission',
    method: 'INVITE',
    reliable: false,
    setup: after(respond(200), ackNewBranch),
    state: 'accepted',
    event: ackNewBranch,
    returns: 'retransmission',
    next: 'accepted',
    sends: [],
  },
  {
    name: 'Accepted + Timer L',
    method: 'INVITE',
    reliable: false,
    setup: after(respond(200), ackNewBranch),
    state: 'accepted',
    event: wait(64 * T1),
    next: 'terminated',
    sends: [],
  },
  {
    name: 'Proceeding + TU 300-699',
    method: 'INVITE',
    reliable: false,
    setup: nothing,
    state: 'proceeding',
    event: after(respond(486), wait(64 * T1 - 1)) as never,
    next: 'completed',
    sends: [[486, 0], ...retransmissionTimes(0, 64 * T1).map((at): [number, number] => [486, at])],
  },
  {
    name: 'Completed + request retransmission',
    method: 'INVITE',
    reliable: false,
    setup: respond(486),
    state: 'completed',
    event: retransmit,
    returns: 'retransmission',
    next: 'completed',
    sends: [[486, 0]],
  },
  {
    name: 'Completed + Timer H',
    method: 'INVITE',
    reliable: false,
    setup: after(respond(486), wait(64 * T1 - 1)),
    state: 'completed',
    event: wait(1),
    next: 'terminated',
    sends: [],
  },
  {
    name: 'Completed + ACK',
    method: 'INVITE',
    reliable: false,
    setup: respond(486),
    state: 'completed',
    event: after(ackSameBranch, wait(T4 - 1)) as never,
    next: 'confirmed',
    sends: [],
  },
  {
    name: 'Confirmed + ACK retransmission',
    method: 'INVITE',
    reliable: false,
    setup: after(respond(486), ackSameBranch),
    state: 'confirmed',
    event: ackSameBranch,
    returns: 'retransmission',
    next: 'confirmed',
    sends: [],
  },
  {
    name: 'Confirmed + request retransmission',
    method: 'INVITE',
    reliable: false,
    setup: after(respond(486), ackSameBranch),
    state: 'confirmed',
    event: retransmit,
    returns: 'retransmission',
    next: 'confirmed',
    sends: [],
  },
  {
    name: 'Confirmed + Timer I',
    method: 'INVITE',
    reliable: false,
    setup: after(respond(486), ackSameBranch),
    state: 'confirmed',
    event: wait(T4),
    next: 'terminated',
    sends: [],
  },
  // INVITE, reliable: no retransmission, Timer I is zero
  {
    name: 'Proceeding + TU 2xx (reliable)',
    method: 'INVITE',
    reliable: true,
    setup: nothing,
    state: 'proceeding',
    event: after(respond(200), wait(64 * T1 - 1)) as never,
    next: 'accepted',
    sends: [[200, 0]],
  },
  {
    name: 'Accepted + Timer L (reliable)',
    method: 'INVITE',
    reliable: true,
    setup: respond(200),
    state: 'accepted',
    event: wait(64 * T1),
    next: 'terminated',
    sends: [],
  },
  {
    name: 'Proceeding + TU 300-699 (reliable)',
    method: 'INVITE',
    reliable: true,
    setup: nothing,
    state: 'proceeding',
    event: after(respond(486), wait(64 * T1 - 1)) as never,
    next: 'completed',
    sends: [[486, 0]],
  },
  {
    name: 'Completed + ACK (reliable)',
    method: 'INVITE',
    reliable: true,
    setup: respond(486),
    state: 'completed',
    event: ackSameBranch,
    returns: 'absorbed',
    next: 'terminated',
    sends: [],
  },
  {
    name: 'Completed + Timer H (reliable)',
    method: 'INVITE',
    reliable: true,
    setup: respond(486),
    state: 'completed',
    event: wait(64 * T1),
    next: 'terminated',
    sends: [],
  },
  // RFC 3261 §17.2.2, non-INVITE, unreliable
  {
    name: 'Trying + request retransmission',
    method: 'OPTIONS',
    reliable: false,
    setup: nothing,
    state: 'trying',
    event: retransmit,
    returns: 'retransmission',
    next: 'trying',
    sends: [],
  },
  {
    name: 'Trying + time passes (no 100 for non-INVITE)',
    method: 'OPTIONS',
    reliable: false,
    setup: nothing,
    state: 'trying',
    event: wait(10_000),
    next: 'trying',
    sends: [],
  },
  {
    name: 'Trying + TU 1xx',
    method: 'OPTIONS',
    reliable: false,
    setup: nothing,
    state: 'trying',
    event: respond(183),
    next: 'proceeding',
    sends: [[183, 0]],
  },
  {
    name: 'Proceeding + request retransmission',
    method: 'OPTIONS',
    reliable: false,
    setup: respond(183),
    state: 'proceeding',
    event: retransmit,
    returns: 'retransmission',
    next: 'proceeding',
    sends: [[183, 0]],
  },
  {
    name: 'Trying + TU final',
    method: 'OPTIONS',
    reliable: false,
    setup: nothing,
    state: 'trying',
    event: after(respond(200), wait(64 * T1 - 1)) as never,
    next: 'completed',
    sends: [[200, 0]],
  },
  {
    name: 'Proceeding + TU final',
    method: 'OPTIONS',
    reliable: false,
    setup: respond(183),
    state: 'proceeding',
    event: respond(404),
    next: 'completed',
    sends: [[404, 0]],
  },
  {
    name: 'Completed + request retransmission',
    method: 'OPTIONS',
    reliable: false,
    setup: respond(200),
    state: 'completed',
    event: retransmit,
    returns: 'retransmission',
    next: 'completed',
    sends: [[200, 0]],
  },
  {
    name: 'Completed + Timer J',
    method: 'OPTIONS',
    reliable: false,
    setup: respond(200),
    state: 'completed',
    event: wait(64 * T1),
    next: 'terminated',
    sends: [],
  },
  // non-INVITE, reliable: Timer J is zero
  {
    name: 'Trying + TU final (reliable)',
    method: 'OPTIONS',
    reliable: true,
    setup: nothing,
    state: 'trying',
    event: respond(200),
    next: 'terminated',
    sends: [[200, 0]],
  },
  {
    name: 'Proceeding + TU final (reliable)',
    method: 'OPTIONS',
    reliable: true,
    setup: respond(183),
    state: 'proceeding',
    event: respond(500),
    next: 'terminated',
    sends: [[500, 0]],
  },
];

describe('server transaction state machines (RFC 3261 §17.2.1, §17.2.2; RFC 6026)', () => {
  for (const row of ROWS) {
    it(`${row.method} ${row.reliable ? 'TCP' : 'UDP'}: ${row.name} → ${row.next}`, () => {
      const context = start(row.method, row.reliable);
      row.setup(context);
      expect(context.transaction.state).toBe(row.state);
      const before = context.transport.sent.length;
      const at = context.clock.now();
      const returned = row.event(context);
      if (row.returns !== undefined) expect(returned).toBe(row.returns);
      expect(context.transaction.state).toBe(row.next);
      expect(sentSince(context, before).map(([status, time]) => [status, time - at])).toEqual(
        row.sends,
      );
      if (row.next === 'terminated') expect(context.layer.size).toBe(0);
    });
  }
});

describe('what a server transaction tells its user', () => {
  it('reports Timer H when a non-2xx is never acknowledged', () => {
    const context = start('INVITE', false);
    context.transaction.respond(486);
    context.clock.advance(64 * T1);
    expect(context.events.map((event) => event.type)).toEqual(['timeout', 'terminated']);
    expect(context.events[0]).toMatchObject({ type: 'timeout', timer: 'H' });
  });

  it('reports Timer L when a 2xx is never acknowledged, and nothing when it is', () => {
    const lost = start('INVITE', false);
    lost.transaction.respond(200, { contact: '<sip:bob@192.0.2.4>' });
    lost.clock.advance(64 * T1);
    expect(lost.events[0]).toMatchObject({ type: 'timeout', timer: 'L' });
    const acked = start('INVITE', false);
    acked.transaction.respond(200, { contact: '<sip:bob@192.0.2.4>' });
    expect(ackNewBranch(acked)).toBe('ack');
    acked.clock.advance(64 * T1);
    expect(acked.events.map((event) => event.type)).toEqual(['terminated']);
    expect(acked.transaction.acknowledged).toBe(true);
  });

  it('reports a transport error and ends (RFC 3261 §17.2.4)', () => {
    const context = start('INVITE', false);
    context.transport.fail = true;
    context.transaction.respond(486);
    expect(context.events.map((event) => event.type)).toEqual(['transportError', 'terminated']);
    expect(context.transaction.state).toBe('terminated');
    expect(context.clock.pending).toBe(0);
  });

  it('reports an asynchronous transport error through transportFailed', () => {
    const context = start('OPTIONS', false);
    context.transaction.respond(200);
    context.transaction.transportFailed(new Error('EHOSTUNREACH'));
    expect(context.events.map((event) => event.type)).toEqual(['transportError', 'terminated']);
    expect(context.layer.size).toBe(0);
  });

  it('refuses a second final response and a response after the end', () => {
    const context = start('OPTIONS', false);
    context.transaction.respond(200);
    expect(() => context.transaction.respond(500)).toThrow(TransactionError);
    try {
      context.transaction.respond(500);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'FINAL_RESPONSE_SENT',
        statusCode: 500,
        state: 'completed',
      });
    }
    context.clock.advance(64 * T1);
    expect(() => context.transaction.respond(500)).toThrow(
      expect.objectContaining({ code: 'TRANSACTION_TERMINATED' }),
    );
  });

  it('leaves nothing behind once its timers have run out', () => {
    const context = start('INVITE', false);
    context.transaction.respond(180, { contact: '<sip:bob@192.0.2.4>' });
    context.transaction.respond(486);
    ackSameBranch(context);
    context.clock.advance(T4);
    expect(context.layer.size).toBe(0);
    expect(context.clock.pending).toBe(0);
  });

  it('answers every response of one transaction with one To tag, 100 without', () => {
    const context = start('INVITE', false);
    context.clock.advance(T1);
    context.transaction.respond(180, { contact: '<sip:bob@192.0.2.4>' });
    context.transaction.respond(183, { contact: '<sip:bob@192.0.2.4>' });
    context.transaction.respond(200, { contact: '<sip:bob@192.0.2.4>' });
    context.clock.advance(2000);
    const tags = context.transport.sent.map((sent) => [sent.status, sent.toTag]);
    expect(tags[0]).toEqual([100, undefined]);
    expect(new Set(tags.slice(1).map(([, tag]) => tag)).size).toBe(1);
    expect(tags.slice(1).every(([, tag]) => tag === context.transaction.toTag)).toBe(true);
  });

  it('holds its request until the final response, then lets it go', () => {
    for (const method of ['INVITE', 'OPTIONS'] as const) {
      const context = start(method, false);
      const held = context.transaction.request;
      expect(held?.method).toBe(method);
      if (method === 'INVITE') {
        context.transaction.respond(180, { contact: '<sip:bob@192.0.2.4>' });
        expect(context.transaction.request).toBe(held);
      }
      context.transaction.respond(method === 'INVITE' ? 486 : 200);
      expect(context.transaction.request).toBeUndefined();
      // what Completed still does needs no request: resend the final, keep its tag
      const sentBefore = context.transport.sent.length;
      expect(retransmit(context)).toBe('retransmission');
      expect(context.transport.sent.length).toBe(sentBefore + 1);
      expect(context.transport.sent.at(-1)?.text).toBe(context.transport.sent.at(-2)?.text);
      expect(context.transaction.responseTag()).toBe(context.transaction.toTag);
    }
  });

  it('retransmits byte-identical responses', () => {
    const context = start('INVITE', false);
    context.transaction.respond(486);
    context.clock.advance(4000);
    const texts = new Set(context.transport.sent.map((sent) => sent.text));
    expect(context.transport.sent.length).toBe(4);
    expect(texts.size).toBe(1);
  });
});
