/**
 * The demo SIP responder behind `sipwire serve`: the transaction layer of src/transaction
 * matches and retransmits, this file decides what each new request gets (505, 513, 400, 420,
 * then by method), and uas.ts and registrar.ts answer calls and registrations. Every response
 * is built by buildResponse through the transaction.
 */
import { StatusCode } from '../codes/index.js';
import type { DigestAlgorithm } from '../digest/index.js';
import { parseOptionTags } from '../message/fields/index.js';
import {
  getHeader,
  getHeaderValues,
  hasHeader,
  type SipRequest,
  validate,
} from '../message/index.js';
import {
  type ReceiveResult,
  type ServerTransaction,
  ServerTransactionLayer,
  type TransactionEvent,
} from '../transaction/index.js';
import { LoadMonitor } from './overload.js';
import { DemoRegistrar, SUPPORTED_OPTION_TAGS } from './registrar.js';
import { DemoUas, OFFERED_METHODS } from './uas.js';

export { SUPPORTED_OPTION_TAGS } from './registrar.js';
export { OFFERED_METHODS } from './uas.js';

/** Methods it recognises but does not offer: 405 with Allow (RFC 3261 §8.2.1). */
export const KNOWN_NOT_OFFERED: readonly string[] = [
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'MESSAGE',
  'REFER',
  'INFO',
  'UPDATE',
  'PRACK',
];

export interface ResponderOptions {
  /** Final response to INVITE; 200 answers with SDP, anything else rejects. */
  inviteCode: number;
  /** How long the INVITE rings (180) before its final response. */
  ringMs: number;
  /** Shortest registration accepted (423 below it, RFC 3261 §10.3 step 7). */
  minExpires: number;
  /** Longest registration granted. */
  maxExpires: number;
  /** Digest credentials for REGISTER; no challenge when absent. */
  auth?: { user: string; password: string };
  /** Digest algorithms challenged with, in order. @defaultValue SHA-256 then MD5 */
  authAlgorithms?: readonly DigestAlgorithm[];
  /** Requests larger than this get 513 (RFC 3261 §21.5.7). */
  maxMessageBytes: number;
  /** Caps on remembered state, so a flood cannot grow memory (past it: 503, Retry-After). */
  maxTransactions: number;
  maxDialogs: number;
  maxBindings: number;
  /** Bindings one address of record may hold (see registrar.ts). */
  maxBindingsPerAor: number;
  /**
   * Event-loop lag (smoothed, ms) past which new out-of-dialog requests get 503 with
   * Retry-After, as they do while over 10% of requests are retransmissions (overload.ts); 0
   * never sheds.
   */
  overloadLagMs: number;
  /** The Retry-After of those 503s, in seconds. */
  retryAfterSeconds: number;
  /** One line per transaction; absent means quiet. */
  log?: (line: string) => void;
  /** Local address put into Contact and SDP. */
  localAddress: string;
  localPort: number;
}

export const DEFAULT_RESPONDER_OPTIONS: ResponderOptions = {
  inviteCode: 200,
  ringMs: 0,
  minExpires: 60,
  maxExpires: 3600,
  maxMessageBytes: 16_384,
  maxTransactions: 100_000,
  maxDialogs: 100_000,
  maxBindings: 10_000,
  maxBindingsPerAor: 10,
  overloadLagMs: 200,
  retryAfterSeconds: 5,
  localAddress: '127.0.0.1',
  localPort: 5060,
};

/** Where a request came from and how to answer it. */
export interface Inbound {
  /** The request, with the receiving transport's Via stamping done (RFC 3261 §18.2.1). */
  readonly request: SipRequest;
  readonly transport: 'UDP' | 'TCP';
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** Size of the request on the wire. */
  readonly byteLength: number;
  /** Sends bytes back the way the request came (same connection over TCP). */
  readonly send: (bytes: Uint8Array) => void;
}

/**
 * The demo SIP responder: a UAS and registrar that answers every request with a response made
 * by buildResponse, over the library's server transactions. Its state is bounded.
 */
export class DemoResponder {
  readonly options: ResponderOptions;
  readonly #layer: ServerTransactionLayer;
  readonly #uas: DemoUas;
  readonly #registrar: DemoRegistrar;
  readonly #allow: readonly string[] = [...OFFERED_METHODS];
  readonly #supported: readonly string[] = [...SUPPORTED_OPTION_TAGS];
  readonly #load: LoadMonitor | undefined;
  readonly #retryAfter: { readonly 'Retry-After': string };
  #shed = 0;

  constructor(options: Partial<ResponderOptions> = {}) {
    this.options = { ...DEFAULT_RESPONDER_OPTIONS, ...options };
    const log = this.options.log;
    this.#load =
      this.options.overloadLagMs > 0 ? new LoadMonitor(this.options.overloadLagMs) : undefined;
    this.#retryAfter = { 'Retry-After': String(this.options.retryAfterSeconds) };
    this.#layer = new ServerTransactionLayer({
      maxTransactions: this.options.maxTransactions,
      retryAfterSeconds: this.options.retryAfterSeconds,
      ...(log === undefined ? {} : { onEvent: (event) => logEvent(log, event) }),
    });
    this.#uas = new DemoUas({
      inviteCode: this.options.inviteCode,
      ringMs: this.options.ringMs,
      maxDialogs: this.options.maxDialogs,
      localAddress: this.options.localAddress,
      localPort: () => this.options.localPort,
      supported: this.#supported,
    });
    this.#registrar = new DemoRegistrar({
      minExpires: this.options.minExpires,
      maxExpires: this.options.maxExpires,
      maxBindings: this.options.maxBindings,
      maxBindingsPerAor: this.options.maxBindingsPerAor,
      ...(this.options.auth === undefined ? {} : { auth: this.options.auth }),
      ...(this.options.authAlgorithms === undefined
        ? {}
        : { authAlgorithms: this.options.authAlgorithms }),
    });
  }

  /** Sizes of the bounded state, for tests. */
  stateSizes(): { transactions: number; dialogs: number; registrations: number } {
    return {
      transactions: this.#layer.size,
      dialogs: this.#uas.dialogs,
      registrations: this.#registrar.size,
    };
  }

  /** The transaction layer's counts, and the requests shed for event-loop lag. */
  get stats(): ServerTransactionLayer['stats'] & { readonly shed: number } {
    return { ...this.#layer.stats, shed: this.#shed };
  }

  /** Stops every pending timer (ringing INVITEs, retransmissions, the load monitor). */
  close(): void {
    this.#uas.close();
    this.#layer.close();
    this.#load?.close();
  }

  /** Handles one request that parsed. Never throws. */
  handle(inbound: Inbound): void {
    let result: ReceiveResult;
    try {
      result = this.#layer.receive(inbound.request, {
        reliable: inbound.transport !== 'UDP',
        send: inbound.send,
      });
    } catch (error) {
      this.#log(inbound, `not handled: ${(error as Error).message}`);
      return;
    }
    this.#load?.noteRequest(result.kind === 'retransmission');
    switch (result.kind) {
      case 'request':
        this.#dispatch(inbound, result.transaction);
        return;
      case 'cancel':
        if (result.cancelled !== undefined) this.#uas.cancelled(result.cancelled);
        this.#log(inbound, result.cancelled === undefined ? 481 : 200);
        return;
      case 'ack':
      case 'absorbed':
      case 'stray-ack':
        this.#log(inbound, 'absorbed');
        return;
      case 'overloaded':
        this.#log(inbound, '503 (overloaded)');
        return;
      case 'invalid':
        // No usable top Via: nowhere to send a response (RFC 3261 §8.2.6.2, §18.2.2).
        this.options.log?.(`${inbound.transport} ${inbound.request.method} dropped: no valid Via`);
        return;
      case 'retransmission':
        return;
    }
  }

  #log(inbound: Inbound, outcome: number | string): void {
    const log = this.options.log;
    if (log === undefined) return;
    const callId = getHeader(inbound.request, 'Call-ID') ?? '-';
    log(`${inbound.transport} ${inbound.request.method} ${callId} -> ${outcome}`);
  }

  #dispatch(inbound: Inbound, transaction: ServerTransaction): void {
    try {
      this.#answer(inbound, transaction);
    } catch (error) {
      this.#log(inbound, `not answered: ${(error as Error).message}`);
      // A request the application could not answer still gets a final response
      if (transaction.state === 'trying' || transaction.state === 'proceeding') {
        try {
          transaction.respond(StatusCode.SERVER_INTERNAL_ERROR);
        } catch {
          transaction.terminate();
        }
      }
      return;
    }
    if (this.options.log !== undefined && transaction.lastStatus !== undefined) {
      this.#log(inbound, transaction.state === 'proceeding' ? 'ringing' : transaction.lastStatus);
    }
  }

  #answer(inbound: Inbound, transaction: ServerTransaction): void {
    const { request } = inbound;
    // RFC 3261 §21.5.4: while overloaded, new work is refused with Retry-After; requests
    // inside a dialog (a To tag) are served, so calls in progress can end
    if (this.#load?.overloaded === true && transaction.facts.toTag === '') {
      this.#shed++;
      transaction.respond(StatusCode.SERVICE_UNAVAILABLE, { headers: this.#retryAfter });
      return;
    }
    if (request.version.toUpperCase() !== 'SIP/2.0') {
      transaction.respond(StatusCode.VERSION_NOT_SUPPORTED);
      return;
    }
    if (inbound.byteLength > this.options.maxMessageBytes) {
      transaction.respond(StatusCode.MESSAGE_TOO_LARGE);
      return;
    }
    const broken = validate(request).find((issue) => issue.severity === 'MUST');
    if (broken !== undefined) {
      transaction.respond(StatusCode.BAD_REQUEST, { reason: badRequestReason(broken.message) });
      return;
    }
    // RFC 3261 §8.2.2.3: unknown option-tags in Require are refused before anything else.
    if (request.method !== 'CANCEL' && hasHeader(request, 'Require')) {
      const unsupported = getHeaderValues(request, 'Require')
        .flatMap((value) => parseOptionTags(value))
        .filter((tag) => !this.#supported.includes(tag.toLowerCase()));
      if (unsupported.length > 0) {
        transaction.respond(StatusCode.BAD_EXTENSION, { supported: this.#supported });
        return;
      }
    }
    switch (request.method) {
      case 'OPTIONS':
        transaction.respond(StatusCode.OK, {
          allow: this.#allow,
          supported: this.#supported,
          // RFC 3261 §11.2: a 200 to OPTIONS SHOULD say what bodies, codings and languages
          // the UA takes; identity is the only coding here (§20.2).
          headers: OPTIONS_HEADERS,
        });
        return;
      case 'INVITE':
        this.#uas.invite(transaction, request);
        return;
      case 'BYE':
        this.#uas.bye(transaction);
        return;
      case 'REGISTER':
        this.#registrar.register(transaction, request).catch((error: unknown) => {
          this.#log(inbound, `not answered: ${(error as Error).message}`);
          if (transaction.state === 'trying') transaction.respond(StatusCode.SERVER_INTERNAL_ERROR);
        });
        return;
      default:
        // RFC 3261 §8.2.1: a method it knows but does not offer gets 405; §21.5.2: one it does
        // not recognise gets 501. Both list what it does offer.
        transaction.respond(
          KNOWN_NOT_OFFERED.includes(request.method)
            ? StatusCode.METHOD_NOT_ALLOWED
            : StatusCode.NOT_IMPLEMENTED,
          { allow: this.#allow },
        );
    }
  }
}

const OPTIONS_HEADERS = Object.freeze({
  Accept: 'application/sdp',
  'Accept-Encoding': 'identity',
  'Accept-Language': 'en',
});

function logEvent(log: (line: string) => void, event: TransactionEvent): void {
  if (event.type === 'terminated') return;
  const { transaction } = event;
  const what =
    event.type === 'timeout'
      ? `no ACK (Timer ${event.timer})`
      : event.type === 'unanswered'
        ? 'unanswered'
        : `transport error: ${String(event.error)}`;
  log(`${transaction.method} ${transaction.facts.callId || '-'} ${what}`);
}

/** A reason phrase naming the problem; the serializer refuses CR/LF, so keep it one plain line. */
function badRequestReason(message: string): string {
  let line = '';
  for (const char of message) line += char < ' ' || char === '\u007f' ? ' ' : char;
  line = line.trim();
  return `Bad Request (${line.length > 80 ? `${line.slice(0, 77)}...` : line})`;
}
