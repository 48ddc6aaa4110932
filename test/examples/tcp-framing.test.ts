import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParser, type ParsedMessage } from '../../src/parse/index.js';
import { ensureBuilt } from '../package/harness.js';
import { type RunningExample, startExample } from './process.js';

const encoder = new TextEncoder();

function request(method: string, n: number, body = ''): string {
  const bytes = encoder.encode(body).byteLength;
  return (
    `${method} sip:bob@127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bKtcp${n}\r\n` +
    'Max-Forwards: 70\r\n' +
    'To: <sip:bob@127.0.0.1>\r\n' +
    'From: <sip:alice@127.0.0.1>;tag=a1\r\n' +
    `Call-ID: tcp${n}@127.0.0.1\r\n` +
    `CSeq: ${n} ${method}\r\n` +
    (body === '' ? '' : 'Content-Type: text/plain\r\n') +
    `Content-Length: ${bytes}\r\n\r\n${body}`
  );
}

/** A client connection that collects responses (framed by our own parser) and raw bytes. */
async function openClient(port: number): Promise<{
  socket: Socket;
  responses: ParsedMessage[];
  raw: () => string;
  closed: Promise<void>;
}> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((done) => socket.once('connect', done));
  const parser = createParser();
  const responses: ParsedMessage[] = [];
  let raw = '';
  socket.on('data', (chunk: Buffer) => {
    raw += chunk.toString('latin1');
    responses.push(...parser.push(new Uint8Array(chunk)));
  });
  const closed = new Promise<void>((done) => socket.once('close', () => done()));
  return { socket, responses, raw: () => raw, closed };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((done) => setTimeout(done, 10));
  expect(check()).toBe(true);
}

describe('examples/tcp-framing.js', () => {
  let example: RunningExample;
  let port: number;

  beforeAll(async () => {
    await ensureBuilt();
    example = await startExample('tcp-framing.js', ['0'], /^listening on tcp 127\.0\.0\.1:(\d+)$/);
    port = Number(example.ready[1]);
  }, 60_000);

  afterAll(async () => {
    await example?.stop();
  });

  it('frames messages by Content-Length however the stream is cut', async () => {
    const client = await openClient(port);
    const stream = encoder.encode(
      `${request('OPTIONS', 1)}${request('MESSAGE', 2, 'hello, world')}${request('OPTIONS', 3)}`,
    );
    // One byte at a time for a while, then uneven pieces that straddle message boundaries.
    const cuts = [1, 2, 3, 4, 5, 6, 7, 8, 50, 190, 260, 300, 301, 420, stream.length];
    let from = 0;
    for (const to of cuts) {
      client.socket.write(stream.subarray(from, to));
      from = to;
      await new Promise((done) => setImmediate(done));
    }
    await until(() => client.responses.length === 3);
    expect(
      client.responses.map((message) =>
        message.type === 'response' ? `${message.status} ${message.callId}` : 'request',
      ),
    ).toEqual(['200 tcp1@127.0.0.1', '486 tcp2@127.0.0.1', '200 tcp3@127.0.0.1']);
    client.socket.end();
    await client.closed;
  });

  it('answers an RFC 5626 CRLFCRLF ping with a CRLF pong', async () => {
    const client = await openClient(port);
    client.socket.write('\r\n\r\n');
    await until(() => client.raw() === '\r\n');
    client.socket.end();
    await client.closed;
  });

  it('closes the connection on a framing error, and reports its code and offset', async () => {
    const client = await openClient(port);
    client.socket.write(request('OPTIONS', 4));
    await until(() => client.responses.length === 1);
    client.socket.write('BROKEN / SIP/2.0\r\n\r\n');
    await client.closed;
    expect(client.responses).toHaveLength(1);
    const offset = encoder.encode(request('OPTIONS', 4)).byteLength;
    await example.waitFor(/^closing: /);
    expect(example.lines.filter((line) => line.startsWith('closing: '))).toEqual([
      `closing: INVALID_REQUEST_URI at byte ${offset + 7}`,
    ]);
  });
});
