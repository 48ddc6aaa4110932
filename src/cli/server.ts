import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { parseVia, type Via } from '../message/fields/index.js';
import { getHeaderValues, type HeaderField, type SipRequest } from '../message/index.js';
import { createParser, type ParseError, parseDatagram } from '../parse/index.js';
import { DemoResponder, type ResponderOptions } from './responder.js';
import { TcpGuard, type TcpLimits } from './tcp-limits.js';
import { Forwarder, type WorkerPlace } from './workers.js';

/**
 * RFC 3261 §18.2.1 and RFC 3581 §4: the server transport adds `received` to the top Via when
 * sent-by is not the packet's source, and fills an empty `rport` with the source port. The
 * request is returned as it is when nothing needs adding (the common case: no copy made).
 * @throws ParseError when the top Via does not parse (the caller drops such a request)
 */
export function stampTopVia(
  request: SipRequest,
  sourceAddress: string,
  sourcePort: number,
): SipRequest {
  // The parser's requests have their top Via parsed already (and kept): most requests need no
  // stamp at all, and then nothing else is read
  const parsedTop = (request as { readonly topVia?: Via | undefined }).topVia;
  if (parsedTop !== undefined && !needsStamp(parsedTop, sourceAddress)) return request;
  const index = request.headers.findIndex((field) => field.name === 'Via');
  const field = request.headers[index];
  if (field === undefined) return request;
  const values = getHeaderValues({ ...plain(request), headers: [field] }, 'Via');
  const top = values[0];
  if (top === undefined) return request;
  const via = parseVia(top);
  if (!needsStamp(via, sourceAddress)) return request;
  let stamped = top;
  if (via.received === undefined) stamped += `;received=${sourceAddress}`;
  if (via.rport === true) stamped = stamped.replace(/;rport(?=;|$)/i, `;rport=${sourcePort}`);
  const rest = values.slice(1);
  const headers: HeaderField[] = [...request.headers];
  headers[index] = { name: 'Via', value: [stamped, ...rest].join(', ') };
  return { ...plain(request), headers };
}

/** RFC 3261 §18.2.1, RFC 3581 §4: an empty rport, or a sent-by host that is not the source. */
function needsStamp(via: Via, sourceAddress: string): boolean {
  if (via.rport === true) return true;
  if (via.received !== undefined) return false;
  const host = via.host;
  return (host.startsWith('[') ? host.slice(1, -1) : host) !== sourceAddress;
}

function plain(request: SipRequest): SipRequest {
  return {
    type: 'request',
    method: request.method,
    uri: request.uri,
    version: request.version,
    headers: request.headers,
    body: request.body,
  };
}

/**
 * The request with its top Via stamped, or undefined when the top Via does not parse (then no
 * response can be routed: the request is dropped, RFC 3261 §18.2.2).
 */
function stamped(request: SipRequest, address: string, port: number): SipRequest | undefined {
  try {
    return stampTopVia(request, address, port);
  } catch {
    return undefined;
  }
}

export interface ServeOptions extends Partial<ResponderOptions> {
  host: string;
  /** 0 picks a free port (the same one for UDP and TCP). */
  port: number;
  udp: boolean;
  tcp: boolean;
  /** Set in a worker of `serve --workers N`: UDP calls are forwarded to the worker owning them. */
  worker?: WorkerPlace;
  /** Idle and incomplete-message timeouts and the connection cap; DEFAULT_TCP_LIMITS fills the rest. */
  tcpLimits?: Partial<TcpLimits>;
}

/** A running demo server. */
export interface RunningServer {
  readonly host: string;
  readonly port: number;
  readonly responder: DemoResponder;
  /** The TCP limits in force and how many connections they closed. */
  readonly tcpGuard: TcpGuard;
  close(): Promise<void>;
}

const CRLF = new Uint8Array([13, 10]);

function describe(error: unknown): string {
  const parseError = error as ParseError;
  return parseError.code === undefined
    ? String(error)
    : `${parseError.code} at byte ${parseError.offset}`;
}

function safely(log: ((line: string) => void) | undefined, action: () => void): void {
  try {
    action();
  } catch (error) {
    log?.(`request not handled: ${describe(error)}`);
  }
}

function isRequest(message: { type: string }): message is SipRequest {
  return message.type === 'request';
}

/** What the UDP socket asks the kernel for (it gets at most net.core.rmem_max). */
const UDP_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

async function bindUdp(
  host: string,
  port: number,
  onMessage: (bytes: Uint8Array, address: string, port: number) => void,
): Promise<UdpSocket> {
  const socket = createSocket({
    type: host.includes(':') ? 'udp6' : 'udp4',
    // A load generator sends in bursts; with Linux's default 208 KB receive buffer a burst that
    // meets a GC pause overflows it, and a lost ACK costs up to seven 2xx retransmissions
    // (RFC 3261 §13.3.1.4). The kernel caps this at net.core.rmem_max.
    recvBufferSize: UDP_RECEIVE_BUFFER_BYTES,
  });
  socket.on('message', (bytes, remote) =>
    onMessage(
      new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      remote.address,
      remote.port,
    ),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return socket;
}

async function listenTcp(server: Server, host: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the demo responder on UDP and TCP on one port. Over TCP it frames with the stream
 * parser, answers on the same connection, serves many requests per connection and answers
 * RFC 5626 keep-alive pings; a framing error closes the connection.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const log = options.log;
  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;
  const connections = new Set<Socket>();
  let port = options.port;
  const responder = new DemoResponder({ ...options, localAddress: options.host, localPort: port });
  const tcpGuard = new TcpGuard(options.tcpLimits, log);

  let forwarder: Forwarder | undefined;
  const onDatagram = (
    bytes: Uint8Array,
    address: string,
    remotePort: number,
    forwarded = false,
  ): void => {
    if (udp === undefined) return;
    const socket = udp;
    // RFC 5626 §3.5.1 / §4.4.1: a CRLF keep-alive datagram is not a message.
    if (bytes.every((byte) => byte === 13 || byte === 10)) return;
    try {
      const message = parseDatagram(bytes);
      if (!isRequest(message)) return; // the demo sends no requests, so responses are strays
      // In a worker, a call belongs to the worker its Call-ID hashes to (workers.ts)
      if (!forwarded && forwarder?.forward(message.callId ?? '', bytes, address, remotePort)) {
        return;
      }
      const request = stamped(message, address, remotePort);
      if (request === undefined) {
        log?.(`UDP ${address}:${remotePort} ${message.method} dropped: no valid Via`);
        return;
      }
      responder.handle({
        request,
        transport: 'UDP',
        sourceAddress: address,
        sourcePort: remotePort,
        byteLength: bytes.byteLength,
        send: (out) => socket.send(out, remotePort, address),
      });
    } catch (error) {
      log?.(`UDP ${address}:${remotePort} dropped unparseable datagram: ${describe(error)}`);
    }
  };

  const onConnection = (socket: Socket): void => {
    if (!tcpGuard.admit(socket, connections.size)) return;
    connections.add(socket);
    const deadline = tcpGuard.watch(socket);
    socket.on('close', () => {
      connections.delete(socket);
      deadline.stop();
    });
    socket.on('error', () => socket.destroy());
    const parser = createParser({
      onKeepAlive: (kind: 'ping' | 'pong') => {
        deadline.keepAlive();
        if (kind === 'ping') socket.write(CRLF);
      },
    });
    const address = socket.remoteAddress ?? '';
    const remotePort = socket.remotePort ?? 0;
    socket.on('data', (chunk: Uint8Array) => {
      let messages: ReturnType<typeof parser.push>;
      try {
        messages = parser.push(chunk);
      } catch (error) {
        log?.(`TCP ${address}:${remotePort} closed after a framing error: ${describe(error)}`);
        socket.destroy();
        return;
      }
      deadline.progress(messages.length, parser.bufferedBytes);
      // A framing error after complete messages in the same chunk: answer them, then close.
      const failure = parser.error;
      if (failure !== undefined) {
        setImmediate(() => {
          log?.(`TCP ${address}:${remotePort} closed after a framing error: ${describe(failure)}`);
          socket.end(); // flushes the responses already written, then closes
          setTimeout(() => socket.destroy(), 1000).unref();
        });
      }
      for (const message of messages) {
        if (!isRequest(message)) continue;
        // handle() never throws by design; the guard keeps one bad request from ending the
        // process should that ever change.
        const request = stamped(message, address, remotePort);
        if (request === undefined) {
          log?.(`TCP ${address}:${remotePort} ${message.method} dropped: no valid Via`);
          continue;
        }
        safely(log, () =>
          responder.handle({
            request,
            transport: 'TCP',
            sourceAddress: address,
            sourcePort: remotePort,
            byteLength: (message as { raw?: Uint8Array }).raw?.byteLength ?? 0,
            send: (out) => {
              if (!socket.destroyed) socket.write(out);
            },
          }),
        );
      }
    });
  };

  try {
    if (options.tcp) {
      tcp = createServer(onConnection);
      await listenTcp(tcp, options.host, port);
      const address = tcp.address();
      if (address !== null && typeof address === 'object') port = address.port;
    }
    // A worker learns where the others take forwarded calls before it reads the shared port
    if (options.udp && options.worker !== undefined && options.worker.count > 1) {
      forwarder = await Forwarder.start(options.worker, (bytes, address, remotePort) =>
        onDatagram(bytes, address, remotePort, true),
      );
    }
    if (options.udp) udp = await bindUdp(options.host, port, onDatagram);
    if (udp !== undefined) port = udp.address().port;
    if (options.worker !== undefined) Forwarder.ready(options.worker);
  } catch (error) {
    tcp?.close();
    udp?.close();
    throw error;
  }
  responder.options.localPort = port;

  return {
    host: options.host,
    port,
    responder,
    tcpGuard,
    close: async () => {
      responder.close();
      forwarder?.close();
      for (const socket of connections) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) =>
          udp === undefined ? resolve() : udp.close(() => resolve()),
        ),
        new Promise<void>((resolve) =>
          tcp === undefined ? resolve() : tcp.close(() => resolve()),
        ),
      ]);
    },
  };
}
