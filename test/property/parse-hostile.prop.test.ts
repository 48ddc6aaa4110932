/**
 * Hostile bytes (STYLE §4, §7): whatever the input and however it is chunked, the stream
 * parser, parseDatagram and every accessor of every message they return either succeed or
 * throw a ParseError, never anything else; and every error offset points inside the input.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  createParser,
  type DatagramOptions,
  type ParsedMessage,
  ParseError,
  parseDatagram,
} from '../../src/parse/index.js';
import { HEADER_ACCESSORS, QUICK_ACCESSORS } from '../helpers/accessors.mjs';
import { splitAt } from '../helpers/bytes.js';
import { readCorpus } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';

const encoder = new TextEncoder();

const ACCESSORS = ['headers', ...HEADER_ACCESSORS, ...QUICK_ACCESSORS, 'version'];

/** Reads every accessor of `message`; checks that any error is a ParseError inside the message. */
function readAll(message: ParsedMessage): void {
  const names: string[] =
    message.type === 'request'
      ? [...ACCESSORS, 'method', 'uri', 'requestUri']
      : [...ACCESSORS, 'status', 'reason'];
  for (const name of names) {
    try {
      (message as unknown as Record<string, unknown>)[name];
    } catch (error) {
      if (!(error instanceof ParseError)) throw error;
      expect(error.offset, `${name}: ${error.message}`).toBeGreaterThanOrEqual(message.offset);
      expect(error.offset, `${name}: ${error.message}`).toBeLessThanOrEqual(
        message.offset + message.raw.length,
      );
    }
  }
  for (let index = 0; index < message.headers.length; index++) {
    expect(message.rawHeader(index)).toBeInstanceOf(Uint8Array);
    expect(message.headerOffset(index)).toBeGreaterThanOrEqual(message.offset);
  }
}

/** Streams `input` in the given pieces; every message's accessors are read. */
function stream(pieces: readonly Uint8Array[], length: number, leniency: Leniency): void {
  const parser = createParser({
    ...leniency,
    limits: { maxHeaderCount: 40, maxBodyBytes: 4096 },
  });
  try {
    for (const piece of pieces) for (const message of parser.push(piece)) readAll(message);
    parser.end();
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(length);
  }
}

function datagram(input: Uint8Array, options: DatagramOptions): void {
  let message: ParsedMessage;
  try {
    message = parseDatagram(input, options);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    expect(error.offset).toBeGreaterThanOrEqual(0);
    expect(error.offset).toBeLessThanOrEqual(input.length);
    return;
  }
  readAll(message);
}

/** Characters that matter to the SIP grammar, plus controls and raw UTF-8. */
const nasty = fc.constantFrom(
  ...'<>";,:@[]%\\=/?&*#+- \t.!~\'`()'.split(''),
  '\r',
  '\n',
  '\r\n',
  '\x00',
  '\x7f',
  'é',
  '\uFEFF',
  '😀',
  '%00',
  '%4',
  'sip:',
  'sips:',
  '[2001:db8::1]',
  '[::',
  ';tag=',
  ';branch=z9hG4bK',
  ';received=',
  ';rport',
  ';ttl=999',
  ';maddr=',
  ';expires=',
  '99999999999999999999',
  '0',
  'SIP/2.0/UDP ',
);
const word = fc.stringMatching(/^[A-Za-z0-9.]{1,8}$/);
const valueArbitrary = fc
  .array(fc.oneof(nasty, word), { maxLength: 14 })
  .map((parts) => parts.join(''));
const nameArbitrary = fc.oneof(
  fc.constantFrom(
    'Via',
    'v',
    'From',
    'f',
    'To',
    't',
    'Contact',
    'm',
    'Route',
    'Record-Route',
    'Reply-To',
    'CSeq',
    'Call-ID',
    'i',
    'Max-Forwards',
    'Content-Length',
    'l',
    'Content-Type',
    'c',
    'Expires',
    'Require',
    'Supported',
    'k',
    'Unsupported',
    'Allow',
  ),
  word,
);
const startLineArbitrary = fc.oneof(
  fc
    .tuple(fc.constantFrom('INVITE', 'OPTIONS', 'X'), valueArbitrary)
    .map(([method, uri]) => `${method} sip:${uri} SIP/2.0`),
  fc
    .tuple(fc.integer({ min: 0, max: 999 }), valueArbitrary)
    .map(([code, reason]) => `SIP/2.0 ${code} ${reason}`),
  valueArbitrary,
);
/** Text shaped like SIP, with hostile values and line endings. */
const sipLike = fc
  .tuple(
    fc.array(fc.constantFrom('', '\r\n', '\n'), { maxLength: 2 }),
    startLineArbitrary,
    fc.array(fc.tuple(nameArbitrary, fc.constantFrom(':', ' : ', ':\r\n ', ' '), valueArbitrary), {
      maxLength: 10,
    }),
    fc.constantFrom('\r\n', '\n', '\r\n\r\n', ''),
    valueArbitrary,
  )
  .map(([leading, start, fields, ending, body]) =>
    encoder.encode(
      `${leading.join('')}${start}\r\n${fields.map(([name, colon, value]) => `${name}${colon}${value}\r\n`).join('')}${ending}${body}`,
    ),
  );

/** Corpus messages with a few bytes replaced, inserted or removed. */
function mutatedCorpus(): fc.Arbitrary<Uint8Array> {
  if (!sharedAvailable('corpus')) return sipLike;
  const files = [...readCorpus('corpus/rfc4475', '.dat'), ...readCorpus('corpus/real', '.sip')].map(
    (file) => file.bytes,
  );
  return fc
    .tuple(
      fc.constantFrom(...files),
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.integer({ min: 0, max: 2 }),
          fc.constantFrom(0, 9, 10, 13, 32, 34, 44, 58, 59, 60, 62, 64, 0x80, 0xff),
        ),
        {
          minLength: 1,
          maxLength: 4,
        },
      ),
    )
    .map(([original, edits]) => {
      const bytes = [...original];
      for (const [position, kind, byte] of edits) {
        const at = position % (bytes.length + 1);
        if (kind === 0) bytes.splice(at, 0, byte);
        else if (kind === 1) bytes.splice(at, 1);
        else bytes[at] = byte;
      }
      return new Uint8Array(bytes);
    });
}

/** The strict default, one leniency, or the whole interop profile. */
type Leniency = Pick<DatagramOptions, 'allowBareLf' | 'allowBareCr' | 'profile'>;
const leniencies: fc.Arbitrary<Leniency> = fc.constantFrom<Leniency>(
  {},
  { allowBareLf: true },
  { allowBareCr: true },
  { profile: 'interop' },
);

const inputs = fc.oneof(fc.uint8Array({ maxLength: 200 }), sipLike, mutatedCorpus());
const cuts = fc.array(fc.nat(), { maxLength: 8 });

describe('hostile bytes', () => {
  test.prop([inputs, cuts, leniencies], { numRuns: 400 })(
    'the stream parser throws only ParseError, whatever the chunking and the profile',
    (input, points, leniency) => {
      stream(splitAt(input, points), input.length, leniency);
      stream([input], input.length, leniency);
    },
  );

  test.prop([inputs, leniencies, fc.boolean()], { numRuns: 400 })(
    'parseDatagram and every accessor throw only ParseError, in every profile',
    (input, leniency, allowUnterminatedHeaders) => {
      datagram(input, { ...leniency, allowUnterminatedHeaders });
    },
  );

  test.prop([fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 })], { numRuns: 200 })(
    'a valid message followed by any bytes: the message comes out, then only ParseError',
    (garbage, more) => {
      const valid = encoder.encode('OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n');
      const parser = createParser();
      let messages = 0;
      try {
        messages += parser.push(valid).length;
        messages += parser.push(garbage).length;
        messages += parser.push(more).length;
        parser.end();
      } catch (error) {
        if (!(error instanceof ParseError)) throw error;
      }
      expect(messages).toBeGreaterThanOrEqual(1);
    },
  );
});
