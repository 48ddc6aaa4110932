/**
 * TCP connection limits of the demo server: the deadline arithmetic on a fake clock, then the
 * real server under a bounded slowloris (half request lines that never finish) while a normal
 * client is still answered. No assertion is about how fast anything happens.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RunningServer, startServer } from '../../src/cli/server.js';
import {
  ConnectionDeadline,
  DEFAULT_TCP_LIMITS,
  type ExpiryReason,
} from '../../src/cli/tcp-limits.js';
import { requestText, TcpPeer } from './sip-client.js';

describe('ConnectionDeadline', () => {
  let expired: ExpiryReason[];
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    expired = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const watch = (idleMs: number, incompleteMs: number): ConnectionDeadline =>
    new ConnectionDeadline({ idleMs, incompleteMs }, (reason) => expired.push(reason), Date.now);

  it('closes a connection that sends nothing after idleMs', () => {
    watch(1000, 100);
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['idle']);
  });

  it('moves the idle deadline on with each complete message and keep-alive', () => {
    const deadline = watch(1000, 100);
    vi.advanceTimersByTime(600);
    deadline.progress(1, 0);
    vi.advanceTimersByTime(600);
    deadline.keepAlive();
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['idle']);
  });

  it('closes a message still incomplete incompleteMs after its first byte, however it trickles', () => {
    const deadline = watch(10_000, 100);
    vi.advanceTimersByTime(5000);
    deadline.progress(0, 12); // half a request line
    for (let step = 0; step < 9; step++) {
      vi.advanceTimersByTime(10);
      deadline.progress(0, 13 + step); // one more byte each time: no extension
    }
    vi.advanceTimersByTime(9);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['incomplete']);
  });

  it('restarts the incomplete clock for a message begun in the chunk that completed one', () => {
    const deadline = watch(10_000, 100);
    deadline.progress(0, 50);
    vi.advanceTimersByTime(90);
    deadline.progress(1, 20); // the first message completes, the second begins
    vi.advanceTimersByTime(99);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['incomplete']);
  });

  it('stops the incomplete clock when the message completes', () => {
    const deadline = watch(1000, 100);
    deadline.progress(0, 50);
    vi.advanceTimersByTime(50);
    deadline.progress(1, 0); // idle now runs from 50
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired).toEqual(['idle']);
  });

  it('never fires with both checks off, nor after stop()', () => {
    watch(0, 0).progress(0, 10);
    const stopped = watch(100, 10);
    stopped.stop();
    vi.advanceTimersByTime(1_000_000);
    expect(expired).toEqual([]);
  });

  it('keeps one timer per connection', () => {
    const deadline = watch(1000, 100);
    for (let index = 0; index < 1000; index++) deadline.progress(1, index % 2);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('has documented defaults that match Kamailio', () => {
    expect(DEFAULT_TCP_LIMITS).toEqual({
      idleMs: 120_000,
      incompleteMs: 20_000,
      maxConnections: 2048,
    });
  });
});

/** Opens a raw TCP connection and resolves once it is connected. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the server has closed the socket (a bounded wait; fails after timeoutMs). */
function closedByServer(socket: Socket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed || socket.readableEnded) return resolve();
    const timer = setTimeout(() => reject(new Error('the server kept the connection')), timeoutMs);
    socket.on('error', () => undefined); // a reset is a close too
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function options200(port: number): Promise<string> {
  const peer = await new TcpPeer(port).open();
  try {
    peer.send(requestText('OPTIONS', { transport: 'TCP', port: peer.port }));
    const [response] = await peer.responses(1, 5000);
    return `${response?.status} ${response?.reason}`;
  } finally {
    peer.close();
  }
}

describe('the demo server under a slowloris over TCP', () => {
  let server: RunningServer;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await server.close();
  });

  it('keeps answering a normal client and closes 300 half-requests after incompleteMs', async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: false,
      tcp: true,
      tcpLimits: { idleMs: 60_000, incompleteMs: 1500, maxConnections: 1000 },
    });
    for (let index = 0; index < 300; index++) {
      const socket = await open(server.port);
      socket.write('OPTIONS sip:victim@127.0.0.1 SIP/'); // half a request line, then nothing
      sockets.push(socket);
    }
    // All 300 still hold their half line; a normal client is served next to them.
    expect(await options200(server.port)).toBe('200 OK');
    await Promise.all(sockets.map((socket) => closedByServer(socket, 20_000)));
    expect(server.tcpGuard.counts.incomplete).toBe(300);
    expect(server.tcpGuard.counts.refused).toBe(0);
    expect(await options200(server.port)).toBe('200 OK');
  }, 40_000);

  it('closes a connection that never sends a byte after idleMs', async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: false,
      tcp: true,
      tcpLimits: { idleMs: 500, incompleteMs: 10_000 },
    });
    const silent = await open(server.port);
    sockets.push(silent);
    await closedByServer(silent, 20_000);
    expect(server.tcpGuard.counts.idle).toBe(1);
  }, 30_000);

  it('closes connections past --tcp-max-connections at once and admits again below it', async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      udp: false,
      tcp: true,
      tcpLimits: { idleMs: 60_000, incompleteMs: 60_000, maxConnections: 20 },
    });
    const held: Socket[] = [];
    for (let index = 0; index < 20; index++) held.push(await open(server.port));
    sockets.push(...held);
    const extra: Socket[] = [];
    for (let index = 0; index < 5; index++) extra.push(await open(server.port));
    sockets.push(...extra);
    await Promise.all(extra.map((socket) => closedByServer(socket, 10_000)));
    expect(server.tcpGuard.counts.refused).toBe(5);
    expect(held.every((socket) => !socket.destroyed && !socket.readableEnded)).toBe(true);

    // One held connection goes away: a normal client gets in (retried until the server has
    // seen the close, bounded).
    held[0]?.destroy();
    let answer = '';
    for (let attempt = 0; attempt < 50 && answer !== '200 OK'; attempt++) {
      answer = await options200(server.port).catch(() => 'refused');
      if (answer !== '200 OK') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answer).toBe('200 OK');
  }, 30_000);
});
