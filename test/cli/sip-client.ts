/** Test helpers: raw UDP/TCP SIP peers on 127.0.0.1 that collect what the responder sends. */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, Socket } from 'node:net';
import type { SipMessage, SipResponse } from '../../src/message/index.js';
import { createParser, parseDatagram } from '../../src/parse/index.js';

let counter = 0;

/** A request as wire text with every mandatory header; `overrides` replace or remove fields. */
export function requestText(
  method: string,
  options: {
    transport?: 'UDP' | 'TCP';
    port?: number;
    branch?: string;
    callId?: string;
    cseq?: string;
    toTag?: string;
    fromTag?: string;
    extra?: string[];
    omit?: string[];
    body?: string;
    version?: string;
    uri?: string;
  } = {},
): string {
  counter++;
  const transport = options.transport ?? 'UDP';
  const fields: [string, string][] = [
    [
      'Via',
      `SIP/2.0/${transport} 127.0.0.1:${options.port ?? 5999};branch=${options.branch ?? `z9hG4bK-test-${counter}`}`,
    ],
    ['Max-Forwards', '70'],
    ['From', `<sip:alice@127.0.0.1>;tag=${options.fromTag ?? `from${counter}`}`],
    ['To', `<sip:bob@127.0.0.1>${options.toTag === undefined ? '' : `;tag=${options.toTag}`}`],
    ['Call-ID', options.callId ?? `call-${counter}@test`],
    ['CSeq', options.cseq ?? `1 ${method}`],
  ];
  const kept = fields.filter(([name]) => !(options.omit ?? []).includes(name));
  const body = options.body ?? '';
  const lines = [
    `${method} ${options.uri ?? 'sip:bob@127.0.0.1'} ${options.version ?? 'SIP/2.0'}`,
    ...kept.map(([name, value]) => `${name}: ${value}`),
    ...(options.extra ?? []),
    ...(body === '' ? [] : ['Content-Type: application/sdp']),
    `Content-Length: ${new TextEncoder().encode(body).byteLength}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

async function waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A UDP peer. */
export class UdpPeer {
  readonly socket: UdpSocket;
  readonly received: SipMessage[] = [];
  readonly raw: Uint8Array[] = [];
  port = 0;
  readonly serverPort: number;
  constructor(serverPort: number) {
    this.serverPort = serverPort;
    this.socket = createSocket('udp4');
    this.socket.on('message', (bytes) => {
      const copy = new Uint8Array(bytes);
      this.raw.push(copy);
      this.received.push(parseDatagram(copy));
    });
  }
  async open(): Promise<this> {
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', () => resolve()));
    this.port = this.socket.address().port;
    return this;
  }
  send(text: string | Uint8Array): void {
    this.socket.send(
      typeof text === 'string' ? new TextEncoder().encode(text) : text,
      this.serverPort,
      '127.0.0.1',
    );
  }
  /** Waits until `count` messages arrived in all, returns the responses among them. */
  async responses(count: number, timeoutMs = 3000): Promise<SipResponse[]> {
    await waitFor(
      () => (this.received.length >= count ? true : undefined),
      timeoutMs,
      `${count} messages`,
    );
    return this.received.filter((message): message is SipResponse => message.type === 'response');
  }
  close(): void {
    this.socket.close();
  }
}

/** A TCP peer with its own stream parser. */
export class TcpPeer {
  socket: Socket = new Socket();
  readonly received: SipMessage[] = [];
  keepAliveBytes = 0;
  closed = false;
  readonly #parser = createParser({ onKeepAlive: () => this.keepAliveBytes++ });
  readonly serverPort: number;
  constructor(serverPort: number) {
    this.serverPort = serverPort;
  }
  async open(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.socket = connect({ host: '127.0.0.1', port: this.serverPort }, () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Uint8Array) => {
      for (const message of this.#parser.push(chunk)) this.received.push(message);
    });
    this.socket.on('close', () => {
      this.closed = true;
    });
    return this;
  }
  get port(): number {
    return this.socket.localPort ?? 0;
  }
  send(text: string | Uint8Array): void {
    this.socket.write(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  }
  async responses(count: number, timeoutMs = 3000): Promise<SipResponse[]> {
    await waitFor(
      () => (this.received.length >= count ? true : undefined),
      timeoutMs,
      `${count} messages`,
    );
    return this.received.filter((message): message is SipResponse => message.type === 'response');
  }
  async waitUntil(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
    await waitFor(() => (check() ? true : undefined), timeoutMs, what);
  }
  close(): void {
    this.socket.destroy();
  }
}
