/**
 * The server transaction layer (RFC 3261 §17.2): matches each received request to its
 * transaction by hash lookups (§17.2.3, §9.2, §13.2.2.4), creates transactions for new
 * requests, answers retransmissions and CANCELs, and keeps its state within a cap. It does no
 * I/O: the caller passes each request with the way back (`TransactionTransport`), and time comes
 * from one replaceable clock.
 */
import { StatusCode } from '../codes/index.js';
import {
  type BuildResponseOptions,
  buildResponse,
  createTagKey,
  type SipRequest,
  serialize,
  type TagKey,
} from '../message/index.js';
import { type Clock, systemClock } from './clock.js';
import {
  cancelTargetKey,
  dialogAckKey,
  type MatchFacts,
  readMatchFacts,
  rfc2543AckKey,
  transactionKey,
} from './matching.js';
import {
  ServerTransaction,
  type TransactionEvent,
  type TransactionHost,
  type TransactionTransport,
} from './server-transaction.js';
import { type TimerValues, TRYING_DELAY_MS, timerValues } from './timers.js';

/** Options of a `ServerTransactionLayer`. Every field is optional. */
export interface ServerTransactionLayerOptions {
  /** Where time and timers come from: a `ManualClock` in tests. @defaultValue `systemClock` */
  readonly clock?: Clock;
  /** T1, T2 and T4 (RFC 3261 Table 4). @defaultValue 500, 4000 and 5000 ms */
  readonly timers?: Partial<TimerValues>;
  /**
   * The most transactions alive at once. A new request past it is answered 503 (Service
   * Unavailable) with Retry-After, statelessly, and `receive` says `overloaded` (RFC 3261
   * §21.5.4). A server answering R requests per second over UDP holds about 32·R of them
   * (Timers J and L are 64·T1).
   * @defaultValue 100000
   */
  readonly maxTransactions?: number;
  /** The Retry-After of that 503, in seconds. @defaultValue 5 */
  readonly retryAfterSeconds?: number;
  /** The key To tags are derived with (see `createTagKey`). @defaultValue one per layer */
  readonly tagKey?: TagKey;
  /**
   * How long an INVITE waits for a response from its user before the transaction sends 100
   * (Trying) itself (RFC 3261 §17.2.1); undefined never sends it.
   * @defaultValue 200
   */
  readonly tryingDelayMs?: number | undefined;
  /**
   * How long a transaction waits for its user's final response before the layer gives up: an
   * INVITE is then answered 408 (Request Timeout), any other request dropped (its client gave
   * up at 64·T1, Timer F). Proceeding has no timer in RFC 3261; this bounds the state a user
   * that never answers would leave.
   * @defaultValue `{ invite: 180000, nonInvite: 64·T1 }` (the INVITE's is a proxy's Timer C, §16.6)
   */
  readonly unansweredLimitMs?: { readonly invite?: number; readonly nonInvite?: number };
  /**
   * Whether a CANCEL that finds its INVITE still pending answers that INVITE 487 (Request
   * Terminated) at once, as RFC 3261 §9.2 says a UAS SHOULD. When false the user answers it.
   * @defaultValue true
   */
  readonly answerCancelled?: boolean;
  /** Called for timeouts, transport errors and ended transactions. */
  readonly onEvent?: (event: TransactionEvent) => void;
}

/** What `receive` made of a request. */
export type ReceiveResult =
  | {
      /** A new request: answer it through `transaction.respond`. */
      readonly kind: 'request';
      readonly transaction: ServerTransaction;
    }
  | {
      /**
       * A retransmitted request, or a retransmitted ACK: absorbed, with the last response
       * resent where the state machine says so.
       */
      readonly kind: 'retransmission';
      readonly transaction: ServerTransaction;
    }
  | {
      /** The ACK of a non-2xx final: the transaction took it (RFC 3261 §17.2.1). */
      readonly kind: 'absorbed';
      readonly transaction: ServerTransaction;
    }
  | {
      /** The ACK of a 2xx (RFC 3261 §13.3.1.4): retransmission stopped; the dialog is confirmed. */
      readonly kind: 'ack';
      readonly transaction: ServerTransaction;
      readonly ack: SipRequest;
    }
  | {
      /** An ACK that matches no transaction: the user decides (a proxy forwards it). */
      readonly kind: 'stray-ack';
      readonly ack: SipRequest;
    }
  | {
      /**
       * A CANCEL (RFC 3261 §9.2), already answered: 200 when it matched a transaction, else
       * 481. `cancelled` is the INVITE (or other) transaction it matched, `pending` whether that
       * one had no final response yet (it was then answered 487 unless `answerCancelled` is
       * false).
       */
      readonly kind: 'cancel';
      readonly transaction: ServerTransaction | undefined;
      readonly cancelled: ServerTransaction | undefined;
      readonly pending: boolean;
    }
  | {
      /** The cap on live transactions was reached: answered 503 with Retry-After, no state kept. */
      readonly kind: 'overloaded';
    }
  | {
      /**
       * No top Via that parses: no response can be routed (RFC 3261 §18.2.2), so none was sent
       * and no transaction made.
       */
      readonly kind: 'invalid';
    };

/** Counts of what the layer did since it was made. */
export interface TransactionLayerStats {
  /** Transactions created. */
  readonly created: number;
  /** Retransmitted requests and ACKs absorbed. */
  readonly retransmissions: number;
  /** Requests answered 503 because the cap was reached. */
  readonly overloaded: number;
  /** Timer H and Timer L timeouts, and transactions their user never answered. */
  readonly timeouts: number;
  /** ACKs that matched no transaction. */
  readonly strayAcks: number;
}

const DEFAULT_MAX_TRANSACTIONS = 100_000;

/**
 * RFC 3261 §17.2 server transactions for a UAS, a registrar or a stateful proxy core.
 * @example
 * ```ts
 * const layer = new ServerTransactionLayer();
 * socket.on('message', (bytes, peer) => {
 *   const request = parseDatagram(bytes);
 *   if (request.type !== 'request') return;
 *   const result = layer.receive(request, {
 *     reliable: false,
 *     send: (out) => socket.send(out, peer.port, peer.address),
 *   });
 *   if (result.kind === 'request' && request.method === 'OPTIONS') {
 *     result.transaction.respond(200, { allow: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS'] });
 *   }
 * });
 * ```
 */
export class ServerTransactionLayer {
  readonly #byKey = new Map<string, ServerTransaction>();
  readonly #live = new Set<ServerTransaction>();
  readonly #host: TransactionHost;
  readonly #maxTransactions: number;
  readonly #retryAfter: string;
  readonly #tryingDelayMs: number | undefined;
  readonly #answerCancelled: boolean;
  readonly #tagKey: TagKey;
  readonly #onEvent: ((event: TransactionEvent) => void) | undefined;
  #created = 0;
  #retransmissions = 0;
  #overloaded = 0;
  #timeouts = 0;
  #strayAcks = 0;
  #closing = false;

  /** @param options - see {@link ServerTransactionLayerOptions} */
  constructor(options: ServerTransactionLayerOptions = {}) {
    const max = options.maxTransactions ?? DEFAULT_MAX_TRANSACTIONS;
    if (!(Number.isInteger(max) && max >= 1)) {
      throw new RangeError('maxTransactions must be a positive integer');
    }
    const retryAfter = options.retryAfterSeconds ?? 5;
    if (!(Number.isInteger(retryAfter) && retryAfter >= 0)) {
      throw new RangeError('retryAfterSeconds must be an integer, 0 or more');
    }
    this.#maxTransactions = max;
    this.#retryAfter = String(retryAfter);
    this.#tryingDelayMs = 'tryingDelayMs' in options ? options.tryingDelayMs : TRYING_DELAY_MS;
    this.#answerCancelled = options.answerCancelled ?? true;
    this.#tagKey = options.tagKey ?? createTagKey();
    this.#onEvent = options.onEvent;
    const byKey = this.#byKey;
    const live = this.#live;
    const timers = timerValues(options.timers);
    const limits = options.unansweredLimitMs;
    this.#host = {
      clock: options.clock ?? systemClock,
      timers,
      tagKey: this.#tagKey,
      unansweredLimitMs: {
        invite: limits?.invite ?? 180_000,
        nonInvite: limits?.nonInvite ?? 64 * timers.T1,
      },
      index(transaction, key) {
        byKey.set(key, transaction);
        transaction.keys.push(key);
      },
      ended: (transaction) => {
        for (const key of transaction.keys) {
          if (byKey.get(key) === transaction) byKey.delete(key);
        }
        live.delete(transaction);
        this.#emit({ type: 'terminated', transaction });
      },
      emit: (event) => this.#emit(event),
      ackKeyFor: (facts, toTag) => (facts.rfc3261 ? undefined : rfc2543AckKey(facts, toTag)),
      dialogKeyFor: (facts, toTag) => dialogAckKey(facts, toTag),
    };
  }

  /** How many transactions are alive. */
  get size(): number {
    return this.#live.size;
  }

  /** What the layer did so far. */
  get stats(): TransactionLayerStats {
    return {
      created: this.#created,
      retransmissions: this.#retransmissions,
      overloaded: this.#overloaded,
      timeouts: this.#timeouts,
      strayAcks: this.#strayAcks,
    };
  }

  /**
   * Takes one received request: matches it to its transaction (RFC 3261 §17.2.3) or makes a new
   * one, and does what the state machine says for a retransmission, an ACK or a CANCEL.
   * @param request - a request, e.g. from the parser, with the receiving transport's Via
   * stamping done (RFC 3261 §18.2.1)
   * @param transport - how to answer: the way the request came
   * @returns what became of it: see {@link ReceiveResult}
   */
  receive(request: SipRequest, transport: TransactionTransport): ReceiveResult {
    const facts = readMatchFacts(request);
    if (facts === undefined) return INVALID;
    if (request.method === 'ACK') return this.#ack(request, facts);
    const existing = this.#byKey.get(transactionKey(facts));
    if (existing !== undefined) {
      this.#retransmissions++;
      existing.retransmitted();
      return { kind: 'retransmission', transaction: existing };
    }
    if (request.method === 'CANCEL') return this.#cancel(request, facts, transport);
    if (this.#live.size >= this.#maxTransactions) {
      this.#overloaded++;
      // RFC 3261 §21.5.4: 503 with Retry-After, sent statelessly so that no state grows
      this.#respondStatelessly(request, transport, StatusCode.SERVICE_UNAVAILABLE, {
        headers: { 'Retry-After': this.#retryAfter },
      });
      return OVERLOADED;
    }
    return { kind: 'request', transaction: this.#create(request, facts, transport, true) };
  }

  /** Ends every transaction and stops every timer, without events. */
  close(): void {
    this.#closing = true;
    for (const transaction of [...this.#live]) transaction.terminate();
    this.#closing = false;
  }

  #create(
    request: SipRequest,
    facts: MatchFacts,
    transport: TransactionTransport,
    cancellable: boolean,
  ): ServerTransaction {
    const transaction = new ServerTransaction(
      this.#host,
      request,
      facts,
      transport,
      this.#tryingDelayMs,
    );
    this.#created++;
    this.#live.add(transaction);
    this.#host.index(transaction, transactionKey(facts));
    if (cancellable) this.#host.index(transaction, cancelTargetKey(facts));
    return transaction;
  }

  #ack(ack: SipRequest, facts: MatchFacts): ReceiveResult {
    // §17.2.3: a non-2xx's ACK carries the INVITE's branch; an RFC 2543 one is matched with the
    // tag of the response; a 2xx's ACK is a new transaction matched by dialog (§13.2.2.4)
    const transaction =
      (facts.rfc3261
        ? this.#byKey.get(transactionKey(facts))
        : this.#byKey.get(rfc2543AckKey(facts, facts.toTag))) ??
      this.#byKey.get(dialogAckKey(facts, facts.toTag));
    if (transaction === undefined || transaction.method !== 'INVITE') {
      this.#strayAcks++;
      return { kind: 'stray-ack', ack };
    }
    const outcome = transaction.acknowledge();
    if (outcome === 'ack') return { kind: 'ack', transaction, ack };
    if (outcome === 'absorbed') return { kind: 'absorbed', transaction };
    this.#retransmissions++;
    return { kind: 'retransmission', transaction };
  }

  #cancel(request: SipRequest, facts: MatchFacts, transport: TransactionTransport): ReceiveResult {
    const target = this.#byKey.get(cancelTargetKey(facts));
    const pending = target?.cancel() ?? false;
    // §9.2: the CANCEL itself is answered 200 when it matched, 481 when it did not; past the
    // cap it is answered without keeping its own transaction
    const code =
      target === undefined ? StatusCode.CALL_OR_TRANSACTION_DOES_NOT_EXIST : StatusCode.OK;
    // §9.2: the 200 carries the To tag of the cancelled request's responses
    const options: BuildResponseOptions =
      target === undefined || facts.toTag !== '' ? {} : { toTag: target.responseTag() };
    let transaction: ServerTransaction | undefined;
    if (this.#live.size < this.#maxTransactions) {
      transaction = this.#create(request, facts, transport, false);
      try {
        transaction.respond(code, options);
      } catch {
        // A CANCEL the builder cannot answer (its To does not parse): it is dropped
        transaction.terminate();
        transaction = undefined;
      }
    } else {
      this.#respondStatelessly(request, transport, code, options);
    }
    // §9.2: the UAS SHOULD answer the cancelled INVITE 487
    if (pending && target !== undefined && target.method === 'INVITE' && this.#answerCancelled) {
      try {
        target.respond(StatusCode.REQUEST_TERMINATED);
      } catch {
        // An INVITE the builder cannot answer 487 (its To does not parse): its user, told of
        // the CANCEL by `pending`, answers it
      }
    }
    return { kind: 'cancel', transaction, cancelled: target, pending };
  }

  #respondStatelessly(
    request: SipRequest,
    transport: TransactionTransport,
    code: number,
    options: BuildResponseOptions = {},
  ): void {
    try {
      transport.send(
        serialize(buildResponse(request, code, { ...options, tagKey: this.#tagKey }).response),
      );
    } catch {
      // A request the builder cannot answer (a To that does not parse) or a failed send: with
      // no transaction there is nobody to tell, and nothing is kept
    }
  }

  #emit(event: TransactionEvent): void {
    if (event.type === 'timeout' || event.type === 'unanswered') this.#timeouts++;
    if (!this.#closing) this.#onEvent?.(event);
  }
}

const INVALID: ReceiveResult = Object.freeze({ kind: 'invalid' });
const OVERLOADED: ReceiveResult = Object.freeze({ kind: 'overloaded' });
