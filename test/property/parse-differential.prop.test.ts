/**
 * Differential: the stream parser and the datagram parser read the same message the same way,
 * under the strict default and under the interop profile, whatever the chunking. Messages are
 * drawn with every line ending (CRLF, bare LF, bare CR), Request-Lines with extra SP,
 * Status-Lines without a reason, folded values and CRLFs before the start line; each carries a
 * Content-Length equal to its body, so both parsers frame it alike. Both return the same
 * message (start line, headers, offsets, raw bytes, body, leniencies), or both throw the same
 * code at the same offset. (allowUnterminatedHeaders, datagram only by nature, is left out.)
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { type DatagramOptions, ParseError, parseDatagram } from '../../src/parse/index.js';
import { splitAt } from '../helpers/bytes.js';
import { messageDetail, runStream } from '../parse/support.js';

const encoder = new TextEncoder();

const eol = fc.constantFrom('\r\n', '\r\n', '\n', '\r');

const startLine = fc.oneof(
  fc.constantFrom(
    'OPTIONS sip:bob@example.com SIP/2.0',
    'INVITE sip:bob@example.com;transport=tcp SIP/2.0',
    'OPTIONS  sip:bob@example.com SIP/2.0',
    'OPTIONS sip:bob@example.com  SIP/2.0',
    'OPTIONS sip:bob@example.com SIP/2.0 ',
    'OPTIONS sip:bob@example.com SIP/2.0  ',
    'SIP/2.0 200 OK',
    'SIP/2.0 200 ',
    'SIP/2.0 200',
    'SIP/2.0 486',
    'SIP/2.0 200OK',
    'OPTIONS sip:bob@exa mple.com SIP/2.0',
  ),
);

const field = fc.constantFrom(
  ['Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1'],
  ['From: <sip:alice@example.com>;tag=1'],
  ['To: <sip:bob@example.com>'],
  ['Subject: a', ' folded', '\tagain'],
  ['X-Empty:'],
  ['Call-ID: abc@host'],
);

/** A message as its lines (each with its ending), the body, and CRLFs before it. */
const message = fc
  .record({
    before: fc.array(eol, { maxLength: 2 }),
    start: startLine,
    startEol: eol,
    fields: fc.array(fc.tuple(field, fc.array(eol, { minLength: 3, maxLength: 3 })), {
      maxLength: 5,
    }),
    lengthEol: eol,
    emptyEol: eol,
    body: fc.stringMatching(/^[a-z]{0,12}$/),
  })
  .map(({ before, start, startEol, fields, lengthEol, emptyEol, body }) => {
    let text = before.join('') + start + startEol;
    for (const [lines, endings] of fields) {
      lines.forEach((line, index) => {
        text += line + (endings[index] ?? '\r\n');
      });
    }
    text += `Content-Length: ${body.length}${lengthEol}${emptyEol}${body}`;
    return encoder.encode(text);
  });

const profiles = fc.constantFrom<DatagramOptions>(
  {},
  { profile: 'interop' },
  { allowBareLf: true },
);

/**
 * The datagram's reading, without allowUnterminatedHeaders: a stream can never know that a
 * header section ends with the input, so that leniency is the one difference by design.
 */
function datagramOutcome(bytes: Uint8Array, options: DatagramOptions): unknown {
  try {
    return [messageDetail(parseDatagram(bytes, { ...options, allowUnterminatedHeaders: false }))];
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return `${error.code}@${error.offset}`;
  }
}

function streamOutcome(chunks: readonly Uint8Array[], options: DatagramOptions): unknown {
  const { allowUnterminatedHeaders: _datagramOnly, ...streamOptions } = options;
  const run = runStream(chunks, streamOptions);
  if (run.error !== undefined) return `${run.error.code}@${run.error.offset}`;
  return run.messages.map(messageDetail);
}

describe('stream and datagram agree', () => {
  test.prop([message, profiles, fc.array(fc.nat(), { maxLength: 6 })], { numRuns: 600 })(
    'under the strict default and the interop profile, at any chunking',
    (bytes, options, points) => {
      const expected = datagramOutcome(bytes, options);
      expect(streamOutcome([bytes], options)).toEqual(expected);
      const cuts = points.map((point) => point % (bytes.length + 1));
      expect(streamOutcome(splitAt(bytes, cuts), options)).toEqual(expected);
    },
  );

  test.prop([message, profiles], { numRuns: 60 })('one byte at a time', (bytes, options) => {
    const bytewise = Array.from(bytes, (byte) => new Uint8Array([byte]));
    expect(streamOutcome(bytewise, options)).toEqual(datagramOutcome(bytes, options));
  });
});
