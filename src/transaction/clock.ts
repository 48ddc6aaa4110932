/**
 * Time for the transaction layer: one clock the caller can replace, so that the RFC 3261 §17
 * timers run on real time in a server and on fake time in tests. The core does no I/O and
 * reads no global time except through this interface.
 */

/** A pending timer, as the clock that made it identifies it. */
export type TimerHandle = unknown;

/** Where the transaction layer reads the time and sets its timers. */
export interface Clock {
  /** Milliseconds since some fixed point. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now. */
  setTimer(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer that has not fired; a fired or cancelled one is ignored. */
  clearTimer(handle: TimerHandle): void;
}

/**
 * The platform's clock: `performance.now()` or `Date.now()`, and `setTimeout`. In Node its timers
 * are unref'd, so pending retransmissions never keep a process alive on their own.
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => globalThis.performance?.now() ?? Date.now(),
  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer = setTimeout(callback, ms) as unknown as { unref?: () => void };
    timer.unref?.();
    return timer;
  },
  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});

interface ManualTimer {
  readonly at: number;
  readonly order: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told: for tests of code built on the transaction layer. Timers
 * due at the same time fire in the order they were set.
 */
export class ManualClock implements Clock {
  #now: number;
  #order = 0;
  #timers: ManualTimer[] = [];

  /** @param start - the time to start at, in milliseconds */
  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = {
      at: this.#now + Math.max(0, ms),
      order: this.#order++,
      callback,
      cancelled: false,
    };
    this.#timers.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as ManualTimer;
    if (typeof timer === 'object' && timer !== null && 'cancelled' in timer) timer.cancelled = true;
  }

  /** How many timers are set and not yet fired or cancelled. */
  get pending(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }

  /** The time the next timer is due, or undefined when none is pending. */
  nextDue(): number | undefined {
    let due: number | undefined;
    for (const timer of this.#timers) {
      if (!timer.cancelled && (due === undefined || timer.at < due)) due = timer.at;
    }
    return due;
  }

  /**
   * Moves time forward by `ms`, firing every timer due on the way, in time order (timers set by
   * a callback fire too when they fall within the step).
   */
  advance(ms: number): void {
    const end = this.#now + Math.max(0, ms);
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of this.#timers) {
        if (timer.cancelled || timer.at > end) continue;
        if (
          next === undefined ||
          timer.at < next.at ||
          (timer.at === next.at && timer.order < next.order)
        ) {
          next = timer;
        }
      }
      if (next === undefined) break;
      next.cancelled = true;
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#timers = this.#timers.filter((timer) => !timer.cancelled);
    this.#now = end;
  }
}
