/**
 * The demo responder (`sipwire serve`) against hostile requests: a request that parses must be
 * answered or dropped, never make `handle()` throw. Over TCP, handle() runs in the socket's
 * `data` listener, where a throw would be an uncaught exception that stops the whole process:
 * one request would take the server down.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DemoResponder } from '../../src/cli/responder.js';
import { type ParsedMessage, parseMessage } from '../../src/parse/index.js';
import { readCorpus } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';

const HEADERS =
  'To: <sip:a@example.com>\r\nFrom: <sip:c@example.com>;tag=1\r\nCall-ID: x@h\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n';

/** Minimal requests that parse but whose top Via does not. */
const MALFORMED_TOP_VIA: readonly [string, string][] = [
  ['a Via without sent-by', `OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP\r\n${HEADERS}`],
  [
    'an unterminated quote in the Via list',
    `OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1, "\r\n${HEADERS}`,
  ],
  [
    'empty Via list elements (RFC 4475 badinv01)',
    `OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n${HEADERS}`,
  ],
];

let responder: DemoResponder | undefined;
afterEach(() => responder?.close());

/** Handles one request over "TCP"; returns what handle() threw, if anything, and the replies. */
function handle(request: ParsedMessage): { thrown: unknown; replies: number } {
  responder = new DemoResponder();
  let replies = 0;
  if (request.type !== 'request') throw new Error('not a request');
  try {
    responder.handle({
      request,
      transport: 'TCP',
      sourceAddress: '192.0.2.1',
      sourcePort: 5060,
      byteLength: request.raw.length,
      send: () => replies++,
    });
  } catch (error) {
    return { thrown: error, replies };
  }
  return { thrown: undefined, replies };
}

describe('DemoResponder.handle with a malformed top Via', () => {
  // Was a bug: stampTopVia() ran before handle()'s try, so a ParseError escaped and, over TCP,
  // ended the process. Now the request is dropped: there is no Via to answer to.
  it.each(MALFORMED_TOP_VIA)('drops the request, without throwing, for %s', (_name, text) => {
    expect(handle(parseMessage(text))).toEqual({ thrown: undefined, replies: 0 });
  });
});

describe.skipIf(!sharedAvailable('corpus/rfc4475'))('DemoResponder.handle with RFC 4475', () => {
  it('does not throw for any torture request that parses', () => {
    const thrown: string[] = [];
    for (const { name, bytes } of readCorpus('corpus/rfc4475', '.dat')) {
      let request: ParsedMessage;
      try {
        request = parseMessage(bytes);
      } catch {
        continue;
      }
      if (request.type !== 'request') continue;
      if (handle(request).thrown !== undefined) thrown.push(name);
      responder?.close();
    }
    expect(thrown).toEqual([]);
  });
});

describe('DemoResponder registrations', () => {
  /** A REGISTER for one address of record, with `contacts` Contact values. */
  function register(index: number, contacts: readonly string[]): ParsedMessage {
    const contact = contacts.length === 0 ? '' : `Contact: ${contacts.join(', ')}\r\n`;
    return parseMessage(
      `REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK${index}\r\n` +
        `To: <sip:victim@example.com>\r\nFrom: <sip:victim@example.com>;tag=${index}\r\n` +
        `Call-ID: reg${index}@h\r\nCSeq: ${index + 1} REGISTER\r\nMax-Forwards: 70\r\n${contact}Content-Length: 0\r\n\r\n`,
    );
  }

  // Was a bug: the bindings of one address of record had no cap, so 300 REGISTERs of 50 new
  // Contacts each made the 200 to a 209-byte REGISTER query 577 KB, an amplification a spoofed
  // UDP source could aim at someone else. Now maxBindingsPerAor (10) refuses with 403.
  it('keeps every response within one UDP datagram however many REGISTERs came', () => {
    const responder = new DemoResponder();
    const send = (request: ParsedMessage, sizes: number[]): void => {
      if (request.type !== 'request') throw new Error('not a request');
      responder.handle({
        request,
        transport: 'UDP',
        sourceAddress: '192.0.2.1',
        sourcePort: 5060,
        byteLength: request.raw.length,
        send: (bytes) => sizes.push(bytes.length),
      });
    };
    try {
      const sizes: number[] = [];
      for (let i = 0; i < 60; i++) {
        send(
          register(
            i,
            Array.from({ length: 50 }, (_, k) => `<sip:u${i}x${k}@h.example.com>`),
          ),
          sizes,
        );
      }
      send(register(60, []), sizes);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(65_507);
    } finally {
      responder.close();
    }
  });
});
