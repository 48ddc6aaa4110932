/**
 * The RFC 3261 timer values (§17.1.1.1, Table 4) and the server transaction timers derived
 * from them.
 */

/** The base timer values, in milliseconds. */
export interface TimerValues {
  /** RTT estimate. @defaultValue 500 */
  readonly T1: number;
  /** Longest retransmit interval of non-INVITE requests and INVITE responses. @defaultValue 4000 */
  readonly T2: number;
  /** Longest time a message stays in the network. @defaultValue 5000 */
  readonly T4: number;
}

/** RFC 3261 §17.1.1.1 (Table 4): the recommended values. */
export const DEFAULT_TIMER_VALUES: TimerValues = Object.freeze({ T1: 500, T2: 4000, T4: 5000 });

/**
 * RFC 3261 §17.2.1: a UAS sends 100 (Trying) unless the TU answers within 200 ms.
 */
export const TRYING_DELAY_MS = 200;

/** Timer values with the caller's overrides, each a positive finite number of milliseconds. */
export function timerValues(overrides: Partial<TimerValues> | undefined): TimerValues {
  const values = { ...DEFAULT_TIMER_VALUES, ...overrides };
  for (const [name, value] of Object.entries(values)) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`Timer ${name} must be a positive number of milliseconds`);
    }
  }
  return Object.freeze(values);
}
