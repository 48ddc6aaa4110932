/**
 * `sipwire serve --workers N`: one responder process per core, every call kept in one process.
 *
 * TCP: the cluster module hands each connection to one worker, and a connection's requests stay
 * there. UDP: Node 20's dgram has no SO_REUSEPORT (its `reusePort` option is ignored: a second
 * bind fails with EADDRINUSE), and a cluster-shared UDP handle lets the kernel give each
 * datagram to whichever worker reads first (measured: 33 of 40 to one worker, 7 to the other),
 * so the ACK, the BYE or a retransmission of a call would often reach a process that does not
 * hold its transaction. So each worker owns the calls whose Call-ID hashes to its index; a
 * datagram read by another worker is forwarded to the owner over loopback UDP with its source
 * address, and the owner answers through the shared handle (the same local port).
 */
import cluster, { type Worker } from 'node:cluster';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** Environment of a worker: its index and the number of workers. */
const INDEX_VARIABLE = 'SIPWIRE_WORKER_INDEX';
const COUNT_VARIABLE = 'SIPWIRE_WORKER_COUNT';

/** What a worker knows of its place in the cluster. */
export interface WorkerPlace {
  readonly index: number;
  readonly count: number;
}

/** This process's place, when it is a worker started by `runPrimary`. */
export function workerPlace(): WorkerPlace | undefined {
  if (cluster.isPrimary) return undefined;
  const index = Number(process.env[INDEX_VARIABLE]);
  const count = Number(process.env[COUNT_VARIABLE]);
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1) return undefined;
  return { index, count };
}

/**
 * The worker that owns a call: FNV-1a of the Call-ID, modulo the worker count. Every message of
 * a dialog carries the same Call-ID (RFC 3261 §8.1.1.4), so a call stays in one worker.
 */
export function ownerOf(callId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) {
    hash ^= callId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/** A forwarded datagram starts with this, then `address port\n`, then the datagram. */
const FORWARD_MAGIC = 'SWFW ';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Wraps a datagram for its owner, with the address and port it came from. */
export function forwardFrame(bytes: Uint8Array, address: string, port: number): Uint8Array {
  const head = encoder.encode(`${FORWARD_MAGIC}${address} ${port}\n`);
  const frame = new Uint8Array(head.byteLength + bytes.byteLength);
  frame.set(head);
  frame.set(bytes, head.byteLength);
  return frame;
}

/** Unwraps a forwarded datagram, or undefined for anything else. */
export function readForwardFrame(
  frame: Uint8Array,
): { bytes: Uint8Array; address: string; port: number } | undefined {
  const newline = frame.indexOf(10);
  if (newline < 0 || newline > 80) return undefined;
  const head = decoder.decode(frame.subarray(0, newline));
  if (!head.startsWith(FORWARD_MAGIC)) return undefined;
  const [address, portText] = head.slice(FORWARD_MAGIC.length).split(' ');
  const port = Number(portText);
  if (address === undefined || !Number.isInteger(port) || port < 1 || port > 65535)
    return undefined;
  return { bytes: frame.subarray(newline + 1), address, port };
}

/**
 * A worker's side of the forwarding: a loopback socket that takes datagrams other workers
 * forward, and the ports of the others once the primary sends them.
 */
export class Forwarder {
  readonly place: WorkerPlace;
  readonly #socket: UdpSocket;
  #peers: readonly number[] = [];

  private constructor(place: WorkerPlace, socket: UdpSocket) {
    this.place = place;
    this.#socket = socket;
  }

  /**
   * Binds the loopback socket, tells the primary its port, and resolves once the primary has
   * sent the ports of every worker: only then may the worker read the shared UDP port, or the
   * first requests of a call could be served by a worker that does not own it.
   * @param onForwarded - gets each datagram forwarded here, with its original source
   */
  static async start(
    place: WorkerPlace,
    onForwarded: (bytes: Uint8Array, address: string, port: number) => void,
  ): Promise<Forwarder> {
    // exclusive: this socket is the worker's own, not shared through the cluster
    const socket = createSocket('udp4');
    socket.on('message', (frame, remote) => {
      if (remote.address !== '127.0.0.1') return;
      const forwarded = readForwardFrame(
        new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength),
      );
      if (forwarded !== undefined) onForwarded(forwarded.bytes, forwarded.address, forwarded.port);
    });
    await new Promise<void>((resolve) =>
      socket.bind({ port: 0, address: '127.0.0.1', exclusive: true }, resolve),
    );
    const forwarder = new Forwarder(place, socket);
    const complete = new Promise<void>((resolve) => {
      process.on('message', (message: unknown) => {
        const peers = (message as { sipwirePeers?: unknown }).sipwirePeers;
        if (!Array.isArray(peers)) return;
        forwarder.#peers = peers.map(Number);
        if (forwarder.#peers.every((port) => port > 0)) resolve();
      });
    });
    process.send?.({ sipwireForwardPort: socket.address().port, index: place.index });
    await complete;
    return forwarder;
  }

  /** Tells the primary this worker serves its ports. */
  static ready(place: WorkerPlace): void {
    process.send?.({ sipwireReady: place.index });
  }

  /**
   * Sends a datagram to the worker that owns its call; false when this worker owns it (or the
   * owner's port is not known yet, during start-up: then it is handled here).
   */
  forward(callId: string, bytes: Uint8Array, address: string, port: number): boolean {
    const owner = ownerOf(callId, this.place.count);
    if (owner === this.place.index) return false;
    const peer = this.#peers[owner];
    if (peer === undefined || peer === 0) return false;
    this.#socket.send(forwardFrame(bytes, address, port), peer, '127.0.0.1');
    return true;
  }

  close(): void {
    this.#socket.close();
  }
}

/** A free port on `host` for TCP, checked by binding it (UDP is checked by the workers). */
async function freePort(host: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The primary of `serve --workers N`: forks N workers running the same command line with the
 * port fixed, passes the workers' forwarding ports around, replaces a worker that dies, and
 * stops them all on SIGINT/SIGTERM.
 * @param args - the command line of `sipwire serve` without --workers
 * @returns the exit code once every worker stopped
 */
export async function runPrimary(
  count: number,
  args: readonly string[],
  host: string,
  port: number,
  out: (line: string) => void,
): Promise<number> {
  const fixedPort = port === 0 ? await freePort(host) : port;
  const forwardPorts: number[] = new Array(count).fill(0);
  const workers = new Map<number, Worker>();
  const ready = new Set<number>();
  let stopping = false;
  let announced = false;

  const broadcast = (): void => {
    for (const worker of workers.values()) worker.send({ sipwirePeers: forwardPorts });
  };
  const fork = (index: number): void => {
    cluster.setupPrimary({
      exec: process.argv[1] ?? '',
      args: ['serve', ...args, '--port', String(fixedPort)],
      silent: false,
    });
    const worker = cluster.fork({
      [INDEX_VARIABLE]: String(index),
      [COUNT_VARIABLE]: String(count),
    });
    workers.set(index, worker);
    worker.on('message', (message: { sipwireForwardPort?: number; sipwireReady?: number }) => {
      if (typeof message.sipwireForwardPort === 'number') {
        forwardPorts[index] = message.sipwireForwardPort;
        broadcast();
      }
      if (typeof message.sipwireReady === 'number') {
        ready.add(index);
        if (ready.size === count && !announced) {
          announced = true;
          out(`sipwire demo responder: ${count} workers on ${host}:${fixedPort} (UDP + TCP)`);
        }
      }
    });
    worker.on('exit', (code) => {
      if (workers.get(index) === worker) workers.delete(index);
      if (stopping) return;
      out(`worker ${index} exited (${code}); starting it again`);
      forwardPorts[index] = 0;
      broadcast();
      fork(index);
    });
  };
  for (let index = 0; index < count; index++) fork(index);

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  stopping = true;
  await Promise.all(
    [...workers.values()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once('exit', () => resolve());
          worker.kill('SIGTERM');
        }),
    ),
  );
  return 0;
}
