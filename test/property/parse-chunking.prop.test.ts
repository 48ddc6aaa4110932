/**
 * Chunk-split equivalence of the stream parser (STYLE §7): for every corpus stream and every
 * golden fixture, splitting the bytes at any one point, at random points, or into single bytes
 * gives the same messages (start line, headers, raw bytes, body, offsets), the same keep-alive
 * reports and the same error code at the same offset. And the work stays linear in the input,
 * measured with the parser's step counter, never a clock.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { createParser, type ParserLimits, type ParserOptions } from '../../src/parse/index.js';
import { chunk, concatBytes, splitAt } from '../helpers/bytes.js';
import { readCorpus, readCorpusBytes } from '../helpers/corpus.js';
import { sharedAvailable } from '../helpers/shared.js';
import { runDetail, runStream, type StreamRun } from '../parse/support.js';

type Options = Omit<ParserOptions, 'onKeepAlive'>;

interface Stream {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly options: Options;
}

const FIXTURES = fileURLToPath(new URL('../fixtures/parse/', import.meta.url));

function fixtureStreams(): Stream[] {
  return readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.sip'))
    .sort()
    .map((name) => ({
      name: `fixtures/${name}`,
      bytes: readCorpusBytes(`${FIXTURES}${name}`),
      options: name.startsWith('limit-') ? { limits: { maxHeaderCount: 7 } } : {},
    }));
}

/**
 * The corpus files as streams (a UDP file is a stream of one message that may not frame: the
 * outcome still must not depend on the chunking), plus all real messages back to back. Empty
 * when ../shared is missing (with a warning; under CI=true it throws instead).
 */
function corpusStreams(): Stream[] {
  if (!sharedAvailable('corpus')) return [];
  const real = readCorpus('corpus/real', '.sip');
  return [
    ...readCorpus('corpus/rfc4475', '.dat').map((file) => ({
      name: `rfc4475/${file.name}`,
      bytes: file.bytes,
      options: {},
    })),
    ...readCorpus('corpus/rfc5118', '.dat').map((file) => ({
      name: `rfc5118/${file.name}`,
      bytes: file.bytes,
      options: { allowBareLf: true },
    })),
    // the interop profile: the LF archive, and the RFC 4475 lines it reads leniently
    ...readCorpus('corpus/rfc5118', '.dat').map((file) => ({
      name: `rfc5118/${file.name} (interop)`,
      bytes: file.bytes,
      options: { profile: 'interop' as const },
    })),
    ...readCorpus('corpus/rfc4475', '.dat')
      .filter((file) => ['lwsstart.dat', 'trws.dat', 'baddn.dat'].includes(file.name))
      .map((file) => ({
        name: `rfc4475/${file.name} (interop)`,
        bytes: file.bytes,
        options: { profile: 'interop' as const },
      })),
    ...readCorpus('corpus/rfc5118/wire', '.sip').map((file) => ({
      name: `rfc5118/wire/${file.name}`,
      bytes: file.bytes,
      options: {},
    })),
    ...real.map((file) => ({ name: `real/${file.name}`, bytes: file.bytes, options: {} })),
    {
      name: 'real/* back to back, CRLF keep-alives between',
      // 076 and 077 say Content-Length 272 for 372 body bytes: leave them out of the long stream
      bytes: concatBytes(
        ...real
          .filter((file) => !file.name.startsWith('076-') && !file.name.startsWith('077-'))
          .flatMap((file) => [file.bytes, new Uint8Array([13, 10])]),
      ),
      options: {},
    },
  ];
}

/** Line endings of every kind on one stream, read by the interop profile. */
const MIXED: Stream = {
  name: 'mixed CR, LF and CRLF line endings, keep-alives and folds (interop)',
  bytes: new TextEncoder().encode(
    'SIP/2.0 200\rVia: SIP/2.0/UDP h;branch=z9hG4bK1\nSubject: a\r b\n\tc\r\nl: 2\r\rhi' +
      '\r\n\r\n\n\r' +
      'OPTIONS  sip:a@b SIP/2.0 \nl: 0\n\n',
  ),
  options: { profile: 'interop' },
};

const STREAMS: readonly Stream[] = [...fixtureStreams(), MIXED, ...corpusStreams()];

/** Above this size a stream is not split at every index (the single files all are). */
const LONG_STREAM_BYTES = 8192;

/**
 * A cheap exact fingerprint of a run, for the thousands of single-split runs: every event with
 * its offset, each message's raw bytes, header offsets, names and values, and body length.
 */
function fingerprint(run: StreamRun): string {
  const parts: string[] = [];
  for (const event of run.events) {
    if (event.kind === 'keepalive') parts.push(`k${event.type}${event.offset}`);
    else if (event.kind === 'error') parts.push(`e${event.error.code}${event.offset}`);
    else {
      const { message } = event;
      parts.push(
        `m${message.offset}|${message.type}|${message.body.length}|${message.leniencies.map((used) => `${used.code}@${used.offset}x${used.count}`).join()}|${Buffer.from(message.raw.buffer, message.raw.byteOffset, message.raw.length).toString('latin1')}`,
      );
      message.headers.forEach((field, index) => {
        parts.push(`h${message.headerOffset(index)}|${field.name}|${field.value}`);
      });
    }
  }
  return parts.join('\n');
}

describe('chunk-split equivalence', () => {
  it('has the fixtures and, when ../shared is present, the corpora', () => {
    expect(STREAMS.length).toBeGreaterThanOrEqual(10);
  });

  it.each(STREAMS.map((stream) => [stream.name, stream] as const))(
    '%s: one split at every index and one byte at a time give the same run',
    (_name, stream) => {
      const whole = runStream([stream.bytes], stream.options);
      const expected = fingerprint(whole);
      // every split of the long stream would be quadratic: its files are split one by one
      const last = stream.bytes.length > LONG_STREAM_BYTES ? 1 : stream.bytes.length;
      for (let at = 1; at < last; at++) {
        const split = runStream(splitAt(stream.bytes, [at]), stream.options);
        if (fingerprint(split) !== expected) {
          // show the difference in full
          expect(runDetail(split), `split at ${at}`).toEqual(runDetail(whole));
        }
      }
      expect(runDetail(runStream(chunk(stream.bytes, 1), stream.options))).toEqual(
        runDetail(whole),
      );
    },
  );

  test.prop([fc.constantFrom(...STREAMS), fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 300 })(
    'random split points give the same run',
    (stream, points) => {
      const cuts = points.map((point) => point % (stream.bytes.length + 1));
      expect(runDetail(runStream(splitAt(stream.bytes, cuts), stream.options))).toEqual(
        runDetail(runStream([stream.bytes], stream.options)),
      );
    },
  );

  const limitsArbitrary: fc.Arbitrary<ParserLimits> = fc.record({
    maxStartLineBytes: fc.integer({ min: 1, max: 200 }),
    maxHeaderSectionBytes: fc.integer({ min: 1, max: 1500 }),
    maxHeaderLineBytes: fc.integer({ min: 1, max: 300 }),
    maxHeaderCount: fc.integer({ min: 0, max: 25 }),
    maxBodyBytes: fc.integer({ min: 0, max: 600 }),
  });

  test.prop(
    [
      fc.constantFrom(...STREAMS),
      limitsArbitrary,
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.integer({ min: 1, max: 9 }),
    ],
    { numRuns: 300 },
  )(
    'with small limits, any limit error comes at the same offset whatever the chunking',
    (stream, limits, points, size) => {
      const options: Options = { ...stream.options, limits };
      const whole = runDetail(runStream([stream.bytes], options));
      expect(
        runDetail(
          runStream(
            splitAt(
              stream.bytes,
              points.map((point) => point % (stream.bytes.length + 1)),
            ),
            options,
          ),
        ),
      ).toEqual(whole);
      expect(runDetail(runStream(chunk(stream.bytes, size), options))).toEqual(whole);
    },
  );
});

describe('linear work', () => {
  /** Steps taken when `input` is pushed one byte at a time, and in one piece. */
  function steps(
    input: Uint8Array,
    options: Options,
  ): { bytewise: number; whole: number; messages: number } {
    const bytewise = createParser(options);
    let messages = 0;
    for (let i = 0; i < input.length; i++)
      messages += bytewise.push(input.subarray(i, i + 1)).length;
    bytewise.end();
    const whole = createParser(options);
    whole.push(input);
    whole.end();
    return { bytewise: bytewise.steps, whole: whole.steps, messages };
  }

  const encoder = new TextEncoder();
  const big: Options = {
    limits: {
      maxHeaderSectionBytes: 1 << 22,
      maxHeaderLineBytes: 1 << 22,
      maxHeaderCount: 1 << 20,
      maxBodyBytes: 1 << 22,
    },
  };

  /** Inputs of about `n` bytes, each stressing one part of the scanner. */
  const shapes: Readonly<Record<string, (n: number) => Uint8Array>> = {
    'many header fields': (n) =>
      encoder.encode(
        `OPTIONS sip:a@b SIP/2.0\r\n${'X-Field: value\r\n'.repeat(Math.floor(n / 16))}l: 0\r\n\r\n`,
      ),
    'one long header line': (n) =>
      encoder.encode(`OPTIONS sip:a@b SIP/2.0\r\nSubject: ${'a'.repeat(n)}\r\nl: 0\r\n\r\n`),
    'one field folded many times': (n) =>
      encoder.encode(
        `OPTIONS sip:a@b SIP/2.0\r\nSubject: a${'\r\n b'.repeat(Math.floor(n / 4))}\r\nl: 0\r\n\r\n`,
      ),
    'a long start line': (n) =>
      encoder.encode(`OPTIONS sip:${'a'.repeat(n)}@b SIP/2.0\r\nl: 0\r\n\r\n`),
    'a large body': (n) =>
      encoder.encode(`MESSAGE sip:a@b SIP/2.0\r\nl: ${n}\r\n\r\n${'b'.repeat(n)}`),
    'keep-alives between messages': (n) =>
      encoder.encode(`OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n${'\r\n'.repeat(Math.floor(n / 2))}`),
    'many small messages': (n) =>
      encoder.encode('OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n'.repeat(Math.floor(n / 33))),
    'many bare-LF header fields (interop)': (n) =>
      encoder.encode(
        `OPTIONS sip:a@b SIP/2.0\n${'X-Field: value\n'.repeat(Math.floor(n / 15))}l: 0\n\n`,
      ),
    'many bare-CR header fields (interop)': (n) =>
      encoder.encode(
        `OPTIONS sip:a@b SIP/2.0\r${'X-Field: value\r'.repeat(Math.floor(n / 15))}l: 1\r\rx`,
      ),
    'one field folded with bare CRs (interop)': (n) =>
      encoder.encode(
        `OPTIONS sip:a@b SIP/2.0\rSubject: a${'\r b'.repeat(Math.floor(n / 3))}\rl: 1\r\rx`,
      ),
    'bare CR keep-alives between messages (interop)': (n) =>
      encoder.encode(`OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n${'\r'.repeat(n)}`),
  };

  it.each(Object.keys(shapes))(
    '%s: steps stay within 3 per byte (4 with bare CRs) as the input grows 64 times',
    (shape) => {
      const make = shapes[shape];
      if (make === undefined) throw new Error(shape);
      for (const n of [1 << 10, 1 << 12, 1 << 14, 1 << 16]) {
        const input = make(n);
        const options: Options =
          shape === 'a long start line'
            ? { limits: { ...big.limits, maxStartLineBytes: 1 << 22 } }
            : big;
        const { bytewise, whole, messages } = steps(
          input,
          shape.endsWith('(interop)') ? { ...options, profile: 'interop' } : options,
        );
        expect(messages, `${shape} at ${n}`).toBeGreaterThan(0);
        // A bare CR that ends a chunk is looked at again with the byte after it: one more step
        // per CR at most, so 4 per byte bounds the interop shapes.
        const perByte = shape.endsWith('(interop)') ? 4 : 3;
        expect(bytewise, `${shape}, ${input.length} bytes one at a time`).toBeLessThanOrEqual(
          perByte * input.length,
        );
        expect(whole, `${shape}, ${input.length} bytes in one piece`).toBeLessThanOrEqual(
          3 * input.length,
        );
      }
    },
  );
});
