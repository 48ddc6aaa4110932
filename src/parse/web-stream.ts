/**
 * Web Streams adapter: the stream parser as a TransformStream (browsers, Deno, Node ≥ 18).
 */

import type { ParsedMessage } from './message.js';
import type { ParserOptions } from './options.js';
import { SipStreamParser } from './stream-parser.js';

/**
 * Creates a TransformStream that turns a byte stream into SIP messages. A ParseError errors
 * the stream (the framing of the rest cannot be trusted); a stream that ends inside a message
 * errors with INCOMPLETE_MESSAGE.
 * @param options - as for createParser
 * @returns the transform: write Uint8Array chunks, read messages
 * @example
 * const messages = socketReadable.pipeThrough(createParserStream());
 * for await (const message of messages) console.log(message.type);
 */
export function createParserStream(
  options?: ParserOptions,
): TransformStream<Uint8Array, ParsedMessage> {
  const parser = new SipStreamParser(options);
  return new TransformStream<Uint8Array, ParsedMessage>({
    transform(chunk, controller) {
      for (const message of parser.push(chunk)) controller.enqueue(message);
      // Messages completed before a framing error in the same chunk go out first.
      if (parser.error !== undefined) controller.error(parser.error);
    },
    flush() {
      parser.end();
    },
  });
}
