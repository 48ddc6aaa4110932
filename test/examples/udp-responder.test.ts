import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatagram } from '../../src/parse/index.js';
import { ensureBuilt } from '../package/harness.js';
import { type RunningExample, startExample } from './process.js';

function request(method: string, branch: string): string {
  return (
    `${method} sip:responder@127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK${branch}\r\n` +
    'Max-Forwards: 70\r\n' +
    'To: <sip:responder@127.0.0.1>\r\n' +
    'From: <sip:tester@127.0.0.1>;tag=t1\r\n' +
    `Call-ID: ${branch}@127.0.0.1\r\n` +
    `CSeq: 1 ${method}\r\n` +
    'Content-Length: 0\r\n\r\n'
  );
}

describe('examples/udp-responder.js', () => {
  let example: RunningExample;
  let client: Socket;
  let port: number;
  const replies: Buffer[] = [];
  let arrived: () => void = () => {};

  beforeAll(async () => {
    await ensureBuilt();
    example = await startExample(
      'udp-responder.js',
      ['0'],
      /^listening on udp 127\.0\.0\.1:(\d+)$/,
    );
    port = Number(example.ready[1]);
    client = createSocket('udp4');
    client.on('message', (datagram) => {
      replies.push(datagram);
      arrived();
    });
    await new Promise<void>((done) => client.bind(0, '127.0.0.1', done));
  }, 60_000);

  afterAll(async () => {
    client?.close();
    await example?.stop();
  });

  /** Sends one datagram and waits for the next reply (or none within `waitMs`). */
  async function exchange(text: string, waitMs = 5_000): Promise<Buffer | undefined> {
    const before = replies.length;
    const reply = new Promise<void>((done) => {
      arrived = done;
      setTimeout(done, waitMs);
    });
    client.send(text, port, '127.0.0.1');
    await reply;
    return replies[before];
  }

  it('answers OPTIONS with 200 OK and an Allow header', async () => {
    const reply = await exchange(request('OPTIONS', 'opt1'));
    expect(reply).toBeDefined();
    const response = parseDatagram(new Uint8Array(reply ?? []));
    expect(response.type).toBe('response');
    if (response.type !== 'response') return;
    expect([response.status, response.reason]).toEqual([200, 'OK']);
    expect(response.allow).toEqual(['OPTIONS']);
    expect(response.callId).toBe('opt1@127.0.0.1');
    expect(response.via[0]?.branch).toBe('z9hG4bKopt1');
    const to = response.to;
    expect(to?.wildcard === false ? to.tag : undefined).toMatch(/^[0-9a-f]{16}$/);
  });

  it('answers any other method with 501 Not Implemented', async () => {
    const reply = await exchange(request('INVITE', 'inv1'));
    const response = parseDatagram(new Uint8Array(reply ?? []));
    expect(response.type === 'response' && [response.status, response.reason]).toEqual([
      501,
      'Not Implemented',
    ]);
    expect(response.cseq).toEqual({ seq: 1, method: 'INVITE' });
  });

  it('drops garbage without answering and keeps serving', async () => {
    expect(await exchange('HELLO\r\n\r\n', 300)).toBeUndefined();
    await example.waitFor(/^dropped 127\.0\.0\.1:\d+: INVALID_START_LINE at byte \d+$/);
    const reply = await exchange(request('OPTIONS', 'opt2'));
    expect(parseDatagram(new Uint8Array(reply ?? [])).callId).toBe('opt2@127.0.0.1');
    expect(example.lines.filter((line) => / -> \d{3}$/.test(line))).toEqual([
      expect.stringMatching(/^OPTIONS from 127\.0\.0\.1:\d+ -> 200$/),
      expect.stringMatching(/^INVITE from 127\.0\.0\.1:\d+ -> 501$/),
      expect.stringMatching(/^OPTIONS from 127\.0\.0\.1:\d+ -> 200$/),
    ]);
  });
});
