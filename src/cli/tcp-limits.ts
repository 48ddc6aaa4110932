import type { Socket } from 'node:net';

/**
 * Limits on the demo server's TCP connections, the counterparts of Kamailio's
 * tcp_connection_lifetime, tcp_msg_read_timeout and tcp_max_connections. Without them a client
 * that opens connections and sends half a request line holds a socket each, for ever.
 */
export interface TcpLimits {
  /**
   * A connection that completes no message and sends no RFC 5626 keep-alive for this long is
   * closed; 0 turns the check off.
   * @defaultValue 120000
   */
  idleMs: number;
  /**
   * A message whose first byte arrived this long ago and which is still incomplete closes the
   * connection (slow or stalled senders); 0 turns the check off.
   * @defaultValue 20000
   */
  incompleteMs: number;
  /**
   * Connections open at once; one accepted past the cap is closed at once.
   * @defaultValue 2048
   */
  maxConnections: number;
}

/** Kamailio's defaults: 120 s lifetime, 20 s to read a message, 2048 connections. */
export const DEFAULT_TCP_LIMITS: TcpLimits = {
  idleMs: 120_000,
  incompleteMs: 20_000,
  maxConnections: 2048,
};

/** Why a connection was closed by its deadline. */
export type ExpiryReason = 'idle' | 'incomplete';

const OFF = -1;

/**
 * The idle and incomplete-message deadlines of one connection, kept with one timer. Events
 * only store a timestamp; the timer re-arms itself for what is left when it fires early, so
 * each event is O(1) and nothing ever scans all connections.
 */
export class ConnectionDeadline {
  readonly #limits: Pick<TcpLimits, 'idleMs' | 'incompleteMs'>;
  readonly #onExpire: (reason: ExpiryReason) => void;
  readonly #now: () => number;
  /** When the last complete message or keep-alive arrived (ms, from `now`). */
  #lastActivityAt: number;
  /** When the first byte of the message still incomplete arrived, or OFF. */
  #partialSince = OFF;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** The time the timer is armed for, or OFF. */
  #armedFor = OFF;
  #stopped = false;

  /**
   * @param limits - idleMs and incompleteMs; 0 turns a check off
   * @param onExpire - called once, when a deadline passes
   * @param now - the clock, in milliseconds (tests pass a fake one)
   */
  constructor(
    limits: Pick<TcpLimits, 'idleMs' | 'incompleteMs'>,
    onExpire: (reason: ExpiryReason) => void,
    now: () => number = Date.now,
  ) {
    this.#limits = limits;
    this.#onExpire = onExpire;
    this.#now = now;
    this.#lastActivityAt = now();
    this.#arm();
  }

  /**
   * Records what one chunk did.
   * @param completed - messages the chunk completed
   * @param bufferedBytes - bytes of an unfinished message the parser holds afterwards
   */
  progress(completed: number, bufferedBytes: number): void {
    if (this.#stopped) return;
    const now = this.#now();
    if (completed > 0) this.#lastActivityAt = now;
    if (bufferedBytes === 0) {
      this.#partialSince = OFF;
      return;
    }
    // A chunk that completed a message and began the next one starts the next one's clock.
    if (completed > 0 || this.#partialSince === OFF) {
      this.#partialSince = now;
      const due = now + this.#limits.incompleteMs;
      if (this.#limits.incompleteMs > 0 && (this.#armedFor === OFF || due < this.#armedFor)) {
        this.#arm();
      }
    }
  }

  /** A CRLF keep-alive ping (RFC 5626 §4.4.1) counts as activity. */
  keepAlive(): void {
    this.#lastActivityAt = this.#now();
  }

  /** Stops the timer; call when the connection closes. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The earliest deadline still ahead, or OFF when both checks are off. */
  #nextDeadline(): number {
    const { idleMs, incompleteMs } = this.#limits;
    let next = idleMs > 0 ? this.#lastActivityAt + idleMs : OFF;
    if (incompleteMs > 0 && this.#partialSince !== OFF) {
      const due = this.#partialSince + incompleteMs;
      if (next === OFF || due < next) next = due;
    }
    return next;
  }

  #arm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = this.#nextDeadline();
    if (this.#armedFor === OFF) return;
    const delay = Math.max(1, this.#armedFor - this.#now());
    this.#timer = setTimeout(() => this.#fire(), delay);
    this.#timer.unref?.();
  }

  #fire(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    const now = this.#now();
    const { idleMs, incompleteMs } = this.#limits;
    let reason: ExpiryReason | undefined;
    if (
      incompleteMs > 0 &&
      this.#partialSince !== OFF &&
      now - this.#partialSince >= incompleteMs
    ) {
      reason = 'incomplete';
    } else if (idleMs > 0 && now - this.#lastActivityAt >= idleMs) {
      reason = 'idle';
    }
    if (reason === undefined) {
      this.#arm(); // activity moved the deadline on: wait for what is left
      return;
    }
    this.stop();
    this.#onExpire(reason);
  }
}

/**
 * Applies {@link TcpLimits} to a server's connections: refuses those past the cap and closes
 * those whose deadline passes, with one log line per event (one per burst of refusals).
 */
export class TcpGuard {
  readonly limits: TcpLimits;
  readonly #log: ((line: string) => void) | undefined;
  /** Refusals since the last log line about them; the next log waits for a free slot. */
  #refused = 0;
  /** Connections refused or closed by a deadline since start, by reason. */
  readonly counts: { refused: number; idle: number; incomplete: number } = {
    refused: 0,
    idle: 0,
    incomplete: 0,
  };

  /**
   * @param limits - any of TcpLimits; the rest come from DEFAULT_TCP_LIMITS
   * @param log - one line per closed connection; absent means quiet
   */
  constructor(limits: Partial<TcpLimits> = {}, log?: (line: string) => void) {
    this.limits = { ...DEFAULT_TCP_LIMITS, ...limits };
    this.#log = log;
  }

  /**
   * Decides whether a just-accepted connection may stay.
   * @param socket - the new connection; destroyed when refused
   * @param open - connections already open, not counting this one
   * @returns false when the cap is reached and the socket was closed
   */
  admit(socket: Socket, open: number): boolean {
    if (open < this.limits.maxConnections) {
      if (this.#refused > 0) {
        this.#log?.(`TCP refused ${this.#refused} connection(s) while at the cap`);
        this.#refused = 0;
      }
      return true;
    }
    const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`; // before destroy()
    socket.destroy();
    this.counts.refused++;
    if (this.#refused++ === 0) {
      this.#log?.(
        `TCP ${peer} refused: ${open} connections open (--tcp-max-connections ${this.limits.maxConnections})`,
      );
    }
    return false;
  }

  /**
   * Starts the deadlines of an admitted connection. Idle closes gracefully (responses already
   * written are flushed); an incomplete message closes at once.
   * @param socket - the connection
   * @returns the deadline to feed with progress() and keepAlive(), and to stop() on close
   */
  watch(socket: Socket): ConnectionDeadline {
    const peer = `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`;
    return new ConnectionDeadline(this.limits, (reason) => {
      this.counts[reason]++;
      if (reason === 'idle') {
        this.#log?.(`TCP ${peer} closed: no complete message for ${this.limits.idleMs} ms`);
        socket.end();
        setTimeout(() => socket.destroy(), 1000).unref();
      } else {
        this.#log?.(`TCP ${peer} closed: message incomplete after ${this.limits.incompleteMs} ms`);
        socket.destroy();
      }
    });
  }
}
