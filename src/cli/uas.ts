/**
 * The demo's user agent server: INVITE rings (180) and is answered with the configured final
 * response (200 with an SDP answer by default), BYE ends a dialog the demo created (481
 * otherwise). Transactions, retransmissions, the ACK and CANCEL are the transaction layer's.
 */
import { isSuccess, StatusCode } from '../codes/index.js';
import type { SipRequest } from '../message/index.js';
import type { ServerTransaction } from '../transaction/index.js';
import { BoundedMap } from './bounded-map.js';
import { sdpAnswer } from './sdp.js';

/** Methods the demo answers (RFC 3261 §20.5: Allow lists every method it understands). */
export const OFFERED_METHODS: readonly string[] = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'OPTIONS',
  'REGISTER',
];

export interface UasOptions {
  /** Final response to INVITE; 200 answers with SDP, anything else rejects. */
  readonly inviteCode: number;
  /** How long the INVITE rings (180) before its final response. */
  readonly ringMs: number;
  /** Dialogs remembered at once (for BYE). */
  readonly maxDialogs: number;
  /** Local address put into Contact and SDP. */
  readonly localAddress: string;
  /** Local port put into Contact (read when a call comes, so a port 0 bind is seen). */
  localPort(): number;
  /** Option-tags written into Supported. */
  readonly supported: readonly string[];
}

/** How long a dialog is remembered without a BYE. */
const DIALOG_TTL_MS = 3_600_000;

export class DemoUas {
  readonly #options: UasOptions;
  readonly #dialogs: BoundedMap<string, true>;
  /** Ringing INVITEs and their ring timer, so that a CANCEL stops the ring. */
  readonly #ringing = new Map<ServerTransaction, ReturnType<typeof setTimeout>>();
  readonly #allow: readonly string[];
  /** The SDP answer when the offer needs nothing of its own: the common case, built once. */
  #defaultAnswer: string | undefined;

  constructor(options: UasOptions) {
    this.#options = options;
    this.#dialogs = new BoundedMap(options.maxDialogs, DIALOG_TTL_MS);
    this.#allow = [...OFFERED_METHODS];
  }

  /** Dialogs remembered. */
  get dialogs(): number {
    return this.#dialogs.size;
  }

  /** Stops every ring timer. */
  close(): void {
    for (const timer of this.#ringing.values()) clearTimeout(timer);
    this.#ringing.clear();
  }

  #contact(reliable: boolean): string {
    const address = this.#options.localAddress;
    const host = address.includes(':') ? `[${address}]` : address;
    return `<sip:sipwire@${host}:${this.#options.localPort()}${reliable ? ';transport=tcp' : ''}>`;
  }

  /** Answers an INVITE: 100 and 180 now, the final after the ring time (180 + final at once). */
  invite(transaction: ServerTransaction, request: SipRequest): void {
    const contact = this.#contact(transaction.reliable);
    const ringMs = this.#options.ringMs;
    if (ringMs <= 0) {
      // RFC 3261 §17.2.1: no 100 is needed when the final response follows at once
      transaction.respond(StatusCode.RINGING, { contact });
      this.#finish(transaction, request, contact);
      return;
    }
    transaction.respond(StatusCode.TRYING);
    transaction.respond(StatusCode.RINGING, { contact });
    const timer = setTimeout(() => {
      this.#ringing.delete(transaction);
      if (transaction.state === 'proceeding') this.#finish(transaction, request, contact);
    }, ringMs);
    timer.unref?.();
    this.#ringing.set(transaction, timer);
  }

  /** A CANCEL ended a ringing INVITE (the transaction layer answered it 487). */
  cancelled(transaction: ServerTransaction): void {
    const timer = this.#ringing.get(transaction);
    if (timer !== undefined) clearTimeout(timer);
    this.#ringing.delete(transaction);
  }

  #finish(transaction: ServerTransaction, request: SipRequest, contact: string): void {
    const code = this.#options.inviteCode;
    if (!isSuccess(code)) {
      transaction.respond(code);
      return;
    }
    transaction.respond(code, {
      contact,
      allow: this.#allow,
      supported: this.#options.supported,
      body: this.#answer(request),
      contentType: 'application/sdp',
    });
    const tag = transaction.toTag;
    if (tag !== undefined) this.#dialogs.set(dialogKey(transaction.facts.callId, tag), true);
  }

  #answer(request: SipRequest): string {
    const address = this.#options.localAddress;
    if (request.body.length === 0) {
      this.#defaultAnswer ??= sdpAnswer(undefined, address, 1);
      return this.#defaultAnswer;
    }
    return sdpAnswer(new TextDecoder().decode(request.body), address, 1);
  }

  /** Answers a BYE: 200 when it ends a dialog of ours (RFC 3261 §15.1.2), else 481. */
  bye(transaction: ServerTransaction): void {
    const tag = transaction.facts.toTag;
    const key = tag === '' ? undefined : dialogKey(transaction.facts.callId, tag);
    if (key === undefined || !this.#dialogs.delete(key)) {
      transaction.respond(StatusCode.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
      return;
    }
    transaction.respond(StatusCode.OK);
  }
}

/** A dialog of the demo, keyed by Call-ID and the local (To) tag. */
function dialogKey(callId: string, localTag: string): string {
  return `${callId}\u0000${localTag}`;
}
