/**
 * Node adapter: the stream parser as a `stream.Transform` (bytes in, message objects out),
 * for piping a `net.Socket` or `tls.TLSSocket` into.
 */
import { Transform, type TransformCallback } from 'node:stream';
import type { ParserOptions } from '../parse/options.js';
import { createParser } from '../parse/stream-parser.js';

/**
 * Creates a Transform whose writable side takes bytes (Buffer or Uint8Array) and whose
 * readable side (object mode) emits each parsed message. A ParseError destroys the stream
 * with that error; a stream that ends inside a message fails with INCOMPLETE_MESSAGE.
 * @param options - as for createParser (limits, profile and leniencies, onKeepAlive)
 * @returns the transform
 * @example
 * socket.pipe(createParserTransform()).on('data', (message) => console.log(message.type));
 */
export function createParserTransform(options?: ParserOptions): Transform {
  const parser = createParser(options);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Uint8Array, _encoding: BufferEncoding, callback: TransformCallback): void {
      let messages: ReturnType<typeof parser.push>;
      try {
        messages = parser.push(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      for (const message of messages) this.push(message);
      // Messages completed before a framing error in the same chunk go out first.
      callback(parser.error);
    },
    flush(callback: TransformCallback): void {
      try {
        parser.end();
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
  });
}
