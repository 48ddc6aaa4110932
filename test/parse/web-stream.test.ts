import { describe, expect, it } from 'vitest';
import { createParserStream, type ParsedMessage, ParseError } from '../../src/parse/index.js';
import { bytes, chunk } from '../helpers/bytes.js';

const OPTIONS = 'OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n';
const RESPONSE = 'SIP/2.0 200 OK\r\nl: 5\r\n\r\nhello';

function source(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

/** Reads every message; returns them with the error the stream ended with, if any. */
async function drain(
  stream: ReadableStream<ParsedMessage>,
): Promise<{ messages: ParsedMessage[]; error: unknown }> {
  const messages: ParsedMessage[] = [];
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { messages, error: undefined };
      messages.push(value);
    }
  } catch (error) {
    return { messages, error };
  }
}

describe('createParserStream', () => {
  it('turns chunks of bytes into messages, whatever the chunk size', async () => {
    const input = bytes`\r\n${OPTIONS}${RESPONSE}${OPTIONS}`;
    for (const size of [1, 7, input.length]) {
      const { messages, error } = await drain(
        source(chunk(input, size)).pipeThrough(createParserStream()),
      );
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

  it('errors the stream with the ParseError, after the messages before it', async () => {
    const input = bytes`${OPTIONS}SIP/2.0 2x0 OK\r\n\r\n`;
    const { messages, error } = await drain(
      source(chunk(input, 5)).pipeThrough(createParserStream()),
    );
    expect(messages).toHaveLength(1);
    expect(error).toBeInstanceOf(ParseError);
    expect(error).toMatchObject({ code: 'INVALID_STATUS_CODE', offset: 41 });
  });

  it('errors with the chunk that holds the error, without waiting for more input or the end', async () => {
    const stream = createParserStream();
    const writer = stream.writable.getWriter();
    const reader = stream.readable.getReader();
    writer.write(bytes`${OPTIONS}\r\x00`).catch(() => undefined);
    const first = await reader.read();
    expect(first.value?.type).toBe('request');
    await expect(reader.read()).rejects.toMatchObject({ code: 'INVALID_LINE_ENDING', offset: 33 });
  });

  it('errors with INCOMPLETE_MESSAGE when the input ends inside a message', async () => {
    const { messages, error } = await drain(
      source([bytes`${OPTIONS}OPTIONS sip`]).pipeThrough(createParserStream()),
    );
    expect(messages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'INCOMPLETE_MESSAGE', offset: 44 });
  });

  it('passes the options on: limits, leniencies and the keep-alive listener', async () => {
    const reports: string[] = [];
    const stream = createParserStream({
      allowBareLf: true,
      onKeepAlive: (kind, offset) => reports.push(`${kind}@${offset}`),
      limits: { maxBodyBytes: 4 },
    });
    const { messages, error } = await drain(
      source([bytes`\n\r\n${OPTIONS}${RESPONSE}`]).pipeThrough(stream),
    );
    expect(reports).toEqual(['pong@0', 'ping@1']);
    expect(messages).toHaveLength(1);
    expect(error).toMatchObject({ code: 'BODY_TOO_LARGE', offset: 3 + 33 + 19 });
  });
});
