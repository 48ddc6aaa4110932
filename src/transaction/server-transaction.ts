/**
 * One server transaction (RFC 3261 §17.2): the INVITE state machine of §17.2.1 with RFC 6026's
 * Accepted state, and the non-INVITE one of §17.2.2. The transaction user answers through
 * `respond`, which builds every response with buildResponse and the transaction's one To tag;
 * the transaction sends it, keeps the last one for retransmitted requests, and runs the timers.
 */
import { isProvisional, isSuccess, StatusCode } from '../codes/index.js';
import {
  type BuildResponseOptions,
  type BuiltResponse,
  buildResponse,
  type SipRequest,
  serialize,
  type TagKey,
  toTagFor,
} from '../message/index.js';
import type { Clock, TimerHandle } from './clock.js';
import { TransactionError } from './errors.js';
import type { MatchFacts } from './matching.js';
import type { TimerValues } from './timers.js';

/**
 * Where a transaction is in its state machine (RFC 3261 Figures 7 and 8, RFC 6026 Figure 5).
 * `trying` is the non-INVITE start; an INVITE starts in `proceeding`. `accepted` follows a 2xx
 * to INVITE; `confirmed` follows the ACK of a non-2xx final.
 */
export type TransactionState =
  | 'trying'
  | 'proceeding'
  | 'completed'
  | 'confirmed'
  | 'accepted'
  | 'terminated';

/** How a transaction's responses leave: the way its request came. */
export interface TransactionTransport {
  /**
   * Whether the transport is reliable (TCP, TLS, SCTP, WebSocket): then nothing is retransmitted
   * and Timers I and J are zero (RFC 3261 §17.2.1, §17.2.2).
   */
  readonly reliable: boolean;
  /**
   * Sends one response. Throwing reports a transport error (RFC 3261 §17.2.4): the transaction
   * tells its user and ends. The bytes are the transaction's own: the transport may keep them.
   */
  send(bytes: Uint8Array): void;
}

/** What the layer tells the transaction user outside a `receive` call. */
export type TransactionEvent =
  | {
      /**
       * No ACK came: for a non-2xx final within Timer H (RFC 3261 §17.2.1), or for a 2xx within
       * 64·T1 (Timer L, RFC 6026 §8.7; §13.3.1.4 says the session SHOULD then be ended).
       */
      readonly type: 'timeout';
      readonly transaction: ServerTransaction;
      readonly timer: 'H' | 'L';
    }
  | {
      /**
       * The user gave no final response in time (`unansweredLimitMs`): an INVITE was answered
       * 408 (Request Timeout) by the layer; any other request was dropped, its client having
       * given up at 64·T1 (Timer F).
       */
      readonly type: 'unanswered';
      readonly transaction: ServerTransaction;
    }
  | {
      /** The transport failed to send a response (RFC 3261 §17.2.4); the transaction ended. */
      readonly type: 'transportError';
      readonly transaction: ServerTransaction;
      readonly error: unknown;
    }
  | {
      /** The transaction ended and was forgotten. */
      readonly type: 'terminated';
      readonly transaction: ServerTransaction;
    };

/**
 * What a transaction needs from its layer.
 * @internal
 */
export interface TransactionHost {
  readonly clock: Clock;
  readonly timers: TimerValues;
  readonly tagKey: TagKey;
  /** How long an INVITE and any other request may wait for a final response. */
  readonly unansweredLimitMs: { readonly invite: number; readonly nonInvite: number };
  /** Register an extra lookup key for this transaction (ACK matching). */
  index(transaction: ServerTransaction, key: string): void;
  /** The transaction ended: forget it and tell the user. */
  ended(transaction: ServerTransaction): void;
  emit(event: TransactionEvent): void;
  /** The key an ACK of a non-2xx is matched by, when the request is an RFC 2543 one. */
  ackKeyFor(facts: MatchFacts, toTag: string): string | undefined;
  /** The key an ACK of a 2xx is matched by. */
  dialogKeyFor(facts: MatchFacts, toTag: string): string;
}

/** How an ACK was taken by the transaction it matched. */
export type AckOutcome = 'ack' | 'absorbed' | 'retransmission';

const NO_OPTIONS: BuildResponseOptions = Object.freeze({});

/**
 * A server transaction: made by `ServerTransactionLayer.receive` for each new request but ACK.
 * Answer it with `respond`; the transaction sends, retransmits and ends on the RFC's schedule.
 */
export class ServerTransaction {
  /**
   * The request that created the transaction, until its final response is sent; undefined
   * after that. Past its final response a transaction only resends that response and matches
   * the ACK (RFC 3261 §17.2.1, §17.2.2), for up to 64·T1, so it lets the request go: a parsed
   * request with its bytes is most of what a call would otherwise hold for those 32 s. Keep
   * your own reference if you need the request later.
   */
  get request(): SipRequest | undefined {
    return this.#request;
  }
  /** Its method (RFC 3261 §17.2.3: a transaction is per method, ACK counted with INVITE). */
  readonly method: string;
  /** Whether its transport is reliable (no retransmissions). */
  readonly reliable: boolean;
  /** What matching read from the request. @internal */
  readonly facts: MatchFacts;
  /** Keys the layer holds it under. @internal */
  readonly keys: string[] = [];

  readonly #host: TransactionHost;
  readonly #transport: TransactionTransport;
  #request: SipRequest | undefined;
  #state: TransactionState;
  #toTag: string | undefined;
  #status: number | undefined;
  /** The last response sent, resent on a retransmitted request. */
  #lastBytes: Uint8Array | undefined;
  /** The 100 timer, then Timer G or the 2xx retransmission. */
  #retransmitTimer: TimerHandle | undefined;
  #retransmitInterval = 0;
  /** Timer H, I, J or L. */
  #lifetimeTimer: TimerHandle | undefined;
  #acknowledged = false;
  #cancelled = false;

  /** @internal */
  constructor(
    host: TransactionHost,
    request: SipRequest,
    facts: MatchFacts,
    transport: TransactionTransport,
    tryingDelayMs: number | undefined,
  ) {
    this.#host = host;
    this.#request = request;
    this.facts = facts;
    this.method = request.method;
    this.#transport = transport;
    this.reliable = transport.reliable;
    const invite = request.method === 'INVITE';
    this.#state = invite ? 'proceeding' : 'trying';
    // RFC 3261 §17.2.1: 100 (Trying) unless the TU answers within 200 ms
    if (invite && tryingDelayMs !== undefined) {
      this.#retransmitTimer = host.clock.setTimer(() => this.#tryingTimer(), tryingDelayMs);
    }
    // Proceeding has no timer of the RFC's: a user that never answers would keep the
    // transaction for ever, so the layer bounds the wait
    const limit = invite ? host.unansweredLimitMs.invite : host.unansweredLimitMs.nonInvite;
    this.#setLifetime(limit, () => this.#unanswered());
  }

  /** Where the transaction is in its state machine. */
  get state(): TransactionState {
    return this.#state;
  }

  /**
   * The To tag of the transaction's responses (RFC 3261 §8.2.6.2): set by the first response
   * that carries one; the request's own for an in-dialog request.
   */
  get toTag(): string | undefined {
    return this.#toTag;
  }

  /**
   * The tag this transaction's tagged responses carry, fixed now if no response fixed it yet:
   * for the 200 to a CANCEL, which carries the INVITE's tag (RFC 3261 §9.2).
   * @internal
   */
  responseTag(): string {
    if (this.#toTag === undefined) {
      // a final response fixes the tag before the request is let go, so the request is here
      const request = this.#request;
      this.#toTag =
        this.facts.toTag !== '' || request === undefined
          ? this.facts.toTag
          : toTagFor(request, this.#host.tagKey);
    }
    return this.#toTag;
  }

  /** The status code of the last response sent, if any. */
  get lastStatus(): number | undefined {
    return this.#status;
  }

  /** Whether a CANCEL matched this transaction while it had no final response (RFC 3261 §9.2). */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Whether the ACK of its final response came (INVITE only). */
  get acknowledged(): boolean {
    return this.#acknowledged;
  }

  /**
   * Builds a response with buildResponse (the transaction's To tag and key added), sends it and
   * moves the state machine: a final response starts the retransmission and lifetime timers.
   * @param code - the status code
   * @param options - buildResponse's options; `toTag` only to choose the tag of the first
   * tagged response
   * @returns what buildResponse returned
   * @throws TransactionError FINAL_RESPONSE_SENT or TRANSACTION_TERMINATED; BuildError as
   * buildResponse throws it (nothing is sent then)
   */
  respond(code: number, options: BuildResponseOptions = NO_OPTIONS): BuiltResponse {
    const state = this.#state;
    const request = this.#request;
    if (
      request === undefined ||
      state === 'terminated' ||
      state === 'completed' ||
      state === 'confirmed' ||
      state === 'accepted'
    ) {
      throw new TransactionError(
        state === 'terminated' ? 'TRANSACTION_TERMINATED' : 'FINAL_RESPONSE_SENT',
        { method: this.method, statusCode: code, state },
      );
    }
    const tag = this.#toTag;
    const built = buildResponse(
      request,
      code,
      tag === undefined || code === StatusCode.TRYING || options.toTag !== undefined
        ? { tagKey: this.#host.tagKey, ...options }
        : { ...options, toTag: tag },
    );
    if (code !== StatusCode.TRYING && built.toTag !== undefined) this.#toTag ??= built.toTag;
    // serialize writes into a shared pool: keep a copy of our own for retransmissions
    const bytes = serialize(built.response).slice();
    this.#status = code;
    this.#lastBytes = bytes;
    this.#clearRetransmit();
    if (isProvisional(code)) {
      if (this.#state === 'trying') this.#state = 'proceeding';
      this.#send(bytes);
      return built;
    }
    this.#request = undefined;
    if (this.method === 'INVITE') this.#inviteFinal(code, built.toTag);
    else this.#nonInviteFinal();
    this.#send(bytes);
    // §17.2.2: over a reliable transport Timer J is zero
    if (this.#state === 'completed' && this.reliable && this.method !== 'INVITE') this.terminate();
    return built;
  }

  /**
   * Reports a transport failure the transport learnt of after `send` returned (an asynchronous
   * socket error): as RFC 3261 §17.2.4 says, the user is told and the transaction ends.
   */
  transportFailed(error: unknown): void {
    if (this.#state === 'terminated') return;
    this.#host.emit({ type: 'transportError', transaction: this, error });
    this.terminate();
  }

  /** Ends the transaction now: its timers stop and the layer forgets it. */
  terminate(): void {
    if (this.#state === 'terminated') return;
    this.#state = 'terminated';
    this.#clearRetransmit();
    if (this.#lifetimeTimer !== undefined) this.#host.clock.clearTimer(this.#lifetimeTimer);
    this.#lifetimeTimer = undefined;
    this.#lastBytes = undefined;
    this.#request = undefined;
    this.#host.ended(this);
  }

  /**
   * A retransmission of the request arrived (RFC 3261 §17.2.1, §17.2.2): the last response is
   * sent again where the state machine says so.
   * @returns whether a response was resent
   * @internal
   */
  retransmitted(): boolean {
    const bytes = this.#lastBytes;
    if (bytes === undefined) return false;
    const state = this.#state;
    // §17.2.1: Proceeding resends the provisional, Completed the final; Accepted and Confirmed
    // absorb (RFC 6026 §7.1). §17.2.2: Proceeding and Completed resend, Trying absorbs.
    if (state === 'proceeding' || state === 'completed') {
      this.#send(bytes);
      return true;
    }
    return false;
  }

  /**
   * An ACK matched this (INVITE) transaction, by branch or by dialog.
   * @returns 'ack' for the first ACK of a 2xx (the user's to see), 'absorbed' for the ACK of a
   * non-2xx (§17.2.1: the transaction keeps it), 'retransmission' for any ACK after that
   * @internal
   */
  acknowledge(): AckOutcome {
    const state = this.#state;
    if (state === 'completed') {
      // §17.2.1: the ACK of a non-2xx ends retransmission; Timer I absorbs its retransmissions
      this.#acknowledged = true;
      this.#state = 'confirmed';
      this.#clearRetransmit();
      this.#setLifetime(this.reliable ? 0 : this.#host.timers.T4, () => this.terminate());
      return 'absorbed';
    }
    if (state === 'accepted' && !this.#acknowledged) {
      // §13.3.1.4: the ACK of a 2xx ends its retransmission; Timer L still absorbs the INVITE
      this.#acknowledged = true;
      this.#clearRetransmit();
      return 'ack';
    }
    return 'retransmission';
  }

  /**
   * A CANCEL matched this transaction (RFC 3261 §9.2).
   * @returns whether the transaction had no final response yet
   * @internal
   */
  cancel(): boolean {
    if (this.#state !== 'proceeding' && this.#state !== 'trying') return false;
    this.#cancelled = true;
    return true;
  }

  #inviteFinal(code: number, toTag: string | undefined): void {
    const { T1 } = this.#host.timers;
    if (isSuccess(code)) {
      // RFC 6026 §7.1: Accepted; the ACK of a 2xx is matched by dialog (§13.2.2.4)
      this.#state = 'accepted';
      if (toTag !== undefined) this.#host.index(this, this.#host.dialogKeyFor(this.facts, toTag));
      // §13.3.1.4: retransmit the 2xx at T1, doubling to T2, until the ACK
      if (!this.reliable) this.#scheduleRetransmit(T1);
      this.#setLifetime(64 * T1, () => this.#timerL());
      return;
    }
    this.#state = 'completed';
    const ackKey = toTag === undefined ? undefined : this.#host.ackKeyFor(this.facts, toTag);
    if (ackKey !== undefined) this.#host.index(this, ackKey);
    // §17.2.1: Timer G over unreliable transports, Timer H always
    if (!this.reliable) this.#scheduleRetransmit(T1);
    this.#setLifetime(64 * T1, () => {
      this.#host.emit({ type: 'timeout', transaction: this, timer: 'H' });
      this.terminate();
    });
  }

  #nonInviteFinal(): void {
    // §17.2.2: Completed absorbs retransmissions for Timer J (64·T1, zero when reliable)
    this.#state = 'completed';
    if (!this.reliable) this.#setLifetime(64 * this.#host.timers.T1, () => this.terminate());
  }

  #tryingTimer(): void {
    this.#retransmitTimer = undefined;
    if (this.#state !== 'proceeding' || this.#status !== undefined) return;
    try {
      this.respond(StatusCode.TRYING);
    } catch {
      // buildResponse answers any request with a 100; should that ever change, a timer
      // callback must not throw into the event loop: the user's own response follows
    }
  }

  #unanswered(): void {
    this.#host.emit({ type: 'unanswered', transaction: this });
    if (this.method === 'INVITE') {
      try {
        this.respond(StatusCode.REQUEST_TIMEOUT);
        return;
      } catch {
        // a request the builder cannot answer 408 ends here
      }
    }
    this.terminate();
  }

  #timerL(): void {
    if (!this.#acknowledged) this.#host.emit({ type: 'timeout', transaction: this, timer: 'L' });
    this.terminate();
  }

  #scheduleRetransmit(interval: number): void {
    this.#retransmitInterval = interval;
    this.#retransmitTimer = this.#host.clock.setTimer(() => this.#retransmit(), interval);
  }

  #retransmit(): void {
    this.#retransmitTimer = undefined;
    const bytes = this.#lastBytes;
    if (bytes === undefined || this.#acknowledged) return;
    if (this.#state !== 'completed' && this.#state !== 'accepted') return;
    this.#send(bytes);
    // a failed send ends the transaction
    if ((this.#state as TransactionState) === 'terminated') return;
    this.#scheduleRetransmit(Math.min(2 * this.#retransmitInterval, this.#host.timers.T2));
  }

  #clearRetransmit(): void {
    if (this.#retransmitTimer !== undefined) this.#host.clock.clearTimer(this.#retransmitTimer);
    this.#retransmitTimer = undefined;
  }

  #setLifetime(ms: number, action: () => void): void {
    if (this.#lifetimeTimer !== undefined) this.#host.clock.clearTimer(this.#lifetimeTimer);
    this.#lifetimeTimer = undefined;
    if (ms <= 0) {
      action();
      return;
    }
    this.#lifetimeTimer = this.#host.clock.setTimer(() => {
      this.#lifetimeTimer = undefined;
      action();
    }, ms);
  }

  #send(bytes: Uint8Array): void {
    try {
      this.#transport.send(bytes);
    } catch (error) {
      this.transportFailed(error);
    }
  }
}
