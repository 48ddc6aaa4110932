/**
 * Overload detection for the demo responder. A responder that falls behind its offered load
 * answers late or not at all, so callers retransmit and the load grows (the congestion
 * collapse RFC 7339 §1 and RFC 5390 describe). Two signs are watched: the event loop's lag (a
 * handler that takes too long), and the share of retransmitted requests (over UDP the queue is
 * the kernel's socket buffer, which drops silently when full: the callers' retransmissions are
 * the only trace). While either is past its limit, new out-of-dialog requests are refused with
 * 503 and Retry-After (RFC 3261 §21.5.4); requests inside dialogs (ACK, BYE) are still served,
 * so calls in progress end cleanly.
 */

/** Share of retransmitted requests past which the responder sheds (with enough requests). */
const RETRANSMISSION_SHARE_LIMIT = 0.1;
/** Requests a window needs before its retransmission share counts. */
const WINDOW_MINIMUM = 50;

/** Watches the event loop and the retransmissions; `overloaded` says when to shed. */
export class LoadMonitor {
  readonly #limitMs: number;
  readonly #intervalMs: number;
  readonly #timer: ReturnType<typeof setInterval>;
  #expected: number;
  #lagMs = 0;
  #requests = 0;
  #retransmissions = 0;
  #retransmitting = false;
  #samples = 0;

  /**
   * @param limitMs - the smoothed lag past which the responder sheds new requests
   * @param intervalMs - how often the lag is sampled
   */
  constructor(limitMs: number, intervalMs = 50) {
    this.#limitMs = limitMs;
    this.#intervalMs = intervalMs;
    this.#expected = performance.now() + intervalMs;
    this.#timer = setInterval(() => this.#sample(), intervalMs);
    this.#timer.unref();
  }

  /** The smoothed event-loop lag, in milliseconds. */
  get lagMs(): number {
    return this.#lagMs;
  }

  /** Whether new out-of-dialog requests should be refused now. */
  get overloaded(): boolean {
    return this.#lagMs > this.#limitMs || this.#retransmitting;
  }

  /** Counts a received request; `retransmission` when it matched a live transaction. */
  noteRequest(retransmission: boolean): void {
    this.#requests++;
    if (retransmission) this.#retransmissions++;
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #sample(): void {
    const now = performance.now();
    const lag = Math.max(0, now - this.#expected);
    this.#expected = now + this.#intervalMs;
    // An exponentially weighted mean: one slow tick (a GC pause) does not shed on its own
    this.#lagMs = this.#lagMs * 0.7 + lag * 0.3;
    // Windows of 10 samples; a small window (a lone lossy caller) never sheds for everyone
    if (this.#samples++ % 10 === 9) {
      this.#retransmitting =
        this.#requests >= WINDOW_MINIMUM &&
        this.#retransmissions > RETRANSMISSION_SHARE_LIMIT * this.#requests;
      this.#requests = 0;
      this.#retransmissions = 0;
    }
  }
}
