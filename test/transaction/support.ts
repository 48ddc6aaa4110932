/**
 * Helpers for the transaction tests: requests written as SIP text and parsed, a transport that
 * records what it sends and when, and a layer on a ManualClock.
 */
import type { SipRequest } from '../../src/message/index.js';
import { parseMessage } from '../../src/parse/index.js';
import {
  ManualClock,
  ServerTransactionLayer,
  type ServerTransactionLayerOptions,
  type TransactionEvent,
  type TransactionTransport,
} from '../../src/transaction/index.js';

export interface RequestParts {
  readonly method: string;
  readonly branch?: string;
  readonly sentBy?: string;
  readonly cseq?: number;
  readonly cseqMethod?: string;
  readonly callId?: string;
  readonly fromTag?: string;
  readonly toTag?: string;
  readonly uri?: string;
  /** false: a plain SipRequest object instead of the parser's. */
  readonly parsed?: boolean;
}

/** A request of `parts`, as the parser returns it (or as plain data). */
export function request(parts: RequestParts): SipRequest {
  const branch =
    parts.branch === undefined
      ? ';branch=z9hG4bKinvite1'
      : parts.branch === ''
        ? ''
        : `;branch=${parts.branch}`;
  const lines = [
    `${parts.method} ${parts.uri ?? 'sip:bob@biloxi.example.com'} SIP/2.0`,
    `Via: SIP/2.0/UDP ${parts.sentBy ?? 'pc33.atlanta.example.com'}${branch}`,
    'Max-Forwards: 70',
    `To: Bob <sip:bob@biloxi.example.com>${parts.toTag === undefined ? '' : `;tag=${parts.toTag}`}`,
    `From: Alice <sip:alice@atlanta.example.com>;tag=${parts.fromTag ?? '1928301774'}`,
    `Call-ID: ${parts.callId ?? 'a84b4c76e66710@pc33.atlanta.example.com'}`,
    `CSeq: ${parts.cseq ?? 314159} ${parts.cseqMethod ?? parts.method}`,
    ...(parts.method === 'INVITE' ? ['Contact: <sip:alice@pc33.atlanta.example.com>'] : []),
    'Content-Length: 0',
  ];
  const message = parseMessage(`${lines.join('\r\n')}\r\n\r\n`);
  if (message.type !== 'request') throw new Error('expected a request');
  if (parts.parsed === false) {
    return {
      type: 'request',
      method: message.method,
      uri: message.uri,
      version: message.version,
      headers: message.headers.map((field) => ({ ...field })),
      body: message.body,
    };
  }
  return message;
}

/** One response a transport sent. */
export interface Sent {
  readonly at: number;
  readonly status: number;
  readonly text: string;
  readonly toTag: string | undefined;
}

/** A transport that records each send with the clock's time. */
export class RecordingTransport implements TransactionTransport {
  readonly sent: Sent[] = [];
  readonly reliable: boolean;
  readonly #clock: ManualClock;
  fail = false;

  constructor(clock: ManualClock, reliable: boolean) {
    this.#clock = clock;
    this.reliable = reliable;
  }

  send(bytes: Uint8Array): void {
    if (this.fail) throw new Error('send failed');
    const text = new TextDecoder().decode(bytes);
    const status = Number(text.slice(8, 11));
    const toTag = /\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(text)?.[1];
    this.sent.push({ at: this.#clock.now(), status, text, toTag });
  }

  /** The status codes sent, in order. */
  get statuses(): number[] {
    return this.sent.map((sent) => sent.status);
  }

  /** The send times of responses with `status`. */
  times(status: number): number[] {
    return this.sent.filter((sent) => sent.status === status).map((sent) => sent.at);
  }
}

/** A layer on a ManualClock, with its events recorded. */
export function makeLayer(options: ServerTransactionLayerOptions = {}): {
  readonly layer: ServerTransactionLayer;
  readonly clock: ManualClock;
  readonly events: TransactionEvent[];
} {
  const clock = new ManualClock();
  const events: TransactionEvent[] = [];
  const layer = new ServerTransactionLayer({
    clock,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { layer, clock, events };
}
