import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createParserTransform } from '../../src/node/index.js';
import { type ParsedMessage, ParseError } from '../../src/parse/index.js';

const OPTIONS = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n';
const RESPONSE = 'SIP/2.0 200 OK\r\nl: 5\r\n\r\nhello';

/** Cuts `text` into Buffers of `size` bytes, as a socket would deliver it. */
function buffers(text: string, size: number): Buffer[] {
  const all = Buffer.from(text);
  const out: Buffer[] = [];
  for (let at = 0; at < all.length; at += size) out.push(all.subarray(at, at + size));
  return out;
}

/** Pipes the chunks through a parser transform; returns the messages and the pipeline error. */
async function run(
  chunks: readonly Uint8Array[],
  options?: Parameters<typeof createParserTransform>[0],
): Promise<{ messages: ParsedMessage[]; error: unknown }> {
  const messages: ParsedMessage[] = [];
  const sink = new Writable({
    objectMode: true,
    write(message: ParsedMessage, _encoding, callback) {
      messages.push(message);
      callback();
    },
  });
  try {
    await pipeline(
      Readable.from(chunks, { objectMode: false }),
      createParserTransform(options),
      sink,
    );
    return { messages, error: undefined };
  } catch (error) {
    return { messages, error };
  }
}

describe('createParserTransform', () => {
  it('emits one object per message, in order, whatever the chunking', async () => {
    const text = `\r\n${OPTIONS}${RESPONSE}${OPTIONS}`;
    for (const size of [1, 3, 16, text.length]) {
      const { messages, error } = await run(buffers(text, size));
      expect(error).toBeUndefined();
      expect(
        messages.map((message) => [message.offset, message.type, message.body.length]),
      ).toEqual([
        [2, 'request', 0],
        [35, 'response', 5],
        [64, 'request', 0],
      ]);
    }
  });

  it('takes plain Uint8Array chunks too, and copies them', async () => {
    const chunk = new TextEncoder().encode(RESPONSE);
    const { messages } = await run([chunk.subarray(0, 10), chunk.subarray(10)]);
    chunk.fill(0x58);
    expect(messages.map((message) => new TextDecoder().decode(message.body))).toEqual(['hello']);
  });

  it('fails the stream with the ParseError, after the messages before it', async () => {
    const { messages, error } = await run(buffers(`${OPTIONS}SIP/2.0 2x0 OK\r\n\r\n`, 4));
    expect(messages).toHaveLength(1);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ code: 'INVALID_STATUS_CODE', offset: 41 });
  });

  it('fails with the sticky error when the failing chunk also completed a message', async () => {
    const { messages, error } = await run([Buffer.from(`${OPTIONS}\r\x00`)]);
    expect(messages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'INVALID_LINE_ENDING', offset: 33 });
  });

  it('fails with the chunk that holds the error, without waiting for more input or the end', async () => {
    const transform = createParserTransform();
    const messages: ParsedMessage[] = [];
    transform.on('data', (message: ParsedMessage) => messages.push(message));
    const failed = new Promise((resolve) => transform.once('error', resolve));
    transform.write(Buffer.from(`${OPTIONS}\r\x00`));
    const error = await failed;
    expect(messages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'INVALID_LINE_ENDING', offset: 33 });
  });

  it('fails with INCOMPLETE_MESSAGE when the input ends inside a message', async () => {
    const { messages, error } = await run(buffers(`${OPTIONS}${RESPONSE.slice(0, 20)}`, 7));
    expect(messages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'INCOMPLETE_MESSAGE', offset: 53 });
  });

  it('passes the options on: limits, leniencies and the keep-alive listener', async () => {
    const reports: string[] = [];
    const { messages, error } = await run([Buffer.from(`\n\r\n${OPTIONS}`)], {
      allowBareLf: true,
      onKeepAlive: (kind, offset) => reports.push(`${kind}@${offset}`),
      limits: { maxHeaderCount: 1 },
    });
    expect(error).toBeUndefined();
    expect(reports).toEqual(['pong@0', 'ping@1']);
    expect(messages.map((message) => message.offset)).toEqual([3]);
  });
});
