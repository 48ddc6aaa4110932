/**
 * Bounded memory and linear work against hostile streams, measured without a clock: the
 * parser's `bufferedBytes` (what it holds of the current message) and `steps` (bytes examined
 * plus bytes moved) counters. Every limit stops its attack with its own error code before the
 * held bytes pass it, whatever the chunking; a peer that never ends a line (slowloris) is cut
 * off at the limit, not when it stops sending.
 */
import { describe, expect, it } from 'vitest';
import {
  createParser,
  DEFAULT_LIMITS,
  ParseError,
  type ParseErrorCode,
  type ParserLimits,
} from '../../src/parse/index.js';

const encoder = new TextEncoder();

interface Attack {
  readonly name: string;
  readonly limits: Partial<ParserLimits>;
  /** Sent once, first. */
  readonly head: string;
  /** Sent again and again, never ending the message. */
  readonly filler: string;
  readonly code: ParseErrorCode;
  /** The limit the attack runs into, in bytes (or fields, for the header count). */
  readonly bound: number;
  /** Most bytes the parser may hold meanwhile: the bytes before the attacked part plus its limit. */
  readonly held: number;
  /** Absolute offset the error must carry. */
  readonly offset: number;
}

const REQUEST_LINE = 'INVITE sip:bob@example.com SIP/2.0\r\n';

const ATTACKS: readonly Attack[] = [
  {
    name: 'a start line that never ends',
    limits: { maxStartLineBytes: 1024 },
    head: 'INVITE sip:',
    filler: 'a',
    code: 'START_LINE_TOO_LONG',
    bound: 1024,
    held: 1024,
    offset: 0,
  },
  {
    name: 'a header value that never ends (slowloris)',
    limits: { maxHeaderLineBytes: 2048 },
    head: `${REQUEST_LINE}X-Slow: `,
    filler: 'a',
    code: 'HEADER_LINE_TOO_LONG',
    bound: 2048,
    held: REQUEST_LINE.length + 2048,
    offset: REQUEST_LINE.length,
  },
  {
    name: 'a header folded forever (RFC 3261 §7.3.1 continuation lines)',
    limits: { maxHeaderLineBytes: 2048 },
    head: `${REQUEST_LINE}X-Fold: a`,
    filler: '\r\n a',
    code: 'HEADER_LINE_TOO_LONG',
    bound: 2048,
    held: REQUEST_LINE.length + 2048,
    offset: REQUEST_LINE.length,
  },
  {
    name: 'a header name that never reaches its colon',
    limits: { maxHeaderLineBytes: 2048 },
    head: REQUEST_LINE,
    filler: 'X',
    code: 'HEADER_LINE_TOO_LONG',
    bound: 2048,
    held: REQUEST_LINE.length + 2048,
    offset: REQUEST_LINE.length,
  },
  {
    name: 'tiny header fields without end',
    limits: { maxHeaderCount: 100 },
    head: REQUEST_LINE,
    filler: 'a:b\r\n',
    code: 'TOO_MANY_HEADERS',
    bound: 100 * 5 + REQUEST_LINE.length + 5,
    held: REQUEST_LINE.length + 100 * 5 + 5,
    offset: REQUEST_LINE.length + 100 * 5,
  },
  {
    name: 'a header section without its empty line',
    limits: { maxHeaderSectionBytes: 4096, maxHeaderCount: 100_000 },
    head: REQUEST_LINE,
    filler: 'Via: x\r\n',
    code: 'HEADER_SECTION_TOO_LARGE',
    bound: 4096,
    held: 4096,
    offset: 0,
  },
  {
    name: 'the default limits against a never-ending header',
    limits: {},
    head: `${REQUEST_LINE}Subject: `,
    filler: 'spam ',
    code: 'HEADER_LINE_TOO_LONG',
    bound: DEFAULT_LIMITS.maxHeaderLineBytes,
    held: REQUEST_LINE.length + DEFAULT_LIMITS.maxHeaderLineBytes,
    offset: REQUEST_LINE.length,
  },
  {
    name: 'the default limits against endless small fields',
    limits: {},
    head: REQUEST_LINE,
    filler: 'Via: SIP/2.0/UDP h\r\n',
    code: 'TOO_MANY_HEADERS',
    bound: DEFAULT_LIMITS.maxHeaderSectionBytes,
    held: REQUEST_LINE.length + (DEFAULT_LIMITS.maxHeaderCount + 1) * 20,
    offset: REQUEST_LINE.length + DEFAULT_LIMITS.maxHeaderCount * 20,
  },
];

/** Feeds `head` then `filler` forever in chunks of `size` bytes until the parser throws. */
function attack(
  { limits, head, filler, bound }: Attack,
  size: number,
): { error: unknown; fed: number; maxHeld: number; steps: number } {
  const parser = createParser({ limits });
  const stream = encoder.encode(
    head + filler.repeat(Math.ceil((4 * bound + 4 * size) / filler.length)),
  );
  let maxHeld = 0;
  let fed = 0;
  for (let at = 0; at < stream.length; at += size) {
    const chunk = stream.subarray(at, at + size);
    try {
      parser.push(chunk);
    } catch (error) {
      return { error, fed: fed + chunk.length, maxHeld, steps: parser.steps };
    }
    fed += chunk.length;
    maxHeld = Math.max(maxHeld, parser.bufferedBytes);
  }
  return { error: undefined, fed, maxHeld, steps: parser.steps };
}

describe('a hostile stream is cut off at its limit', () => {
  for (const spec of ATTACKS) {
    describe(spec.name, () => {
      it.each([1, 7, 512, 65_536])('in chunks of %i bytes', (size) => {
        const { error, fed, maxHeld, steps } = attack(spec, size);
        expect(error).toBeInstanceOf(ParseError);
        expect((error as ParseError).code).toBe(spec.code);
        expect((error as ParseError).offset).toBe(spec.offset);
        // Stopped by the chunk that crossed the limit, holding no more than the limit.
        expect(fed).toBeLessThanOrEqual(spec.bound + size + spec.head.length);
        expect(maxHeld).toBeLessThanOrEqual(spec.held);
        // Linear work: each byte examined once, plus the doubling copies of the buffer.
        expect(steps).toBeLessThanOrEqual(4 * fed + 64);
      });
    });
  }

  it('stays failed: the next push rethrows the same error without taking more bytes', () => {
    const parser = createParser({ limits: { maxHeaderLineBytes: 64 } });
    let first: unknown;
    try {
      parser.push(encoder.encode(`${REQUEST_LINE}X: ${'a'.repeat(100)}`));
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(ParseError);
    expect(() => parser.push(encoder.encode('a'.repeat(1 << 20)))).toThrow(first as ParseError);
    expect(parser.bufferedBytes).toBeLessThanOrEqual(64 + REQUEST_LINE.length);
  });

  it('holds nothing for a flood of keep-alive CRLFs (RFC 5626 §3.5.1)', () => {
    let pings = 0;
    const parser = createParser({
      onKeepAlive: (kind) => {
        if (kind === 'ping') pings++;
      },
    });
    const flood = encoder.encode('\r\n'.repeat(50_000));
    let messages = 0;
    let maxHeld = 0;
    for (let at = 0; at < flood.length; at += 3) {
      messages += parser.push(flood.subarray(at, at + 3)).length;
      maxHeld = Math.max(maxHeld, parser.bufferedBytes);
    }
    expect([messages, maxHeld, pings]).toEqual([0, 0, 25_000]);
    expect(parser.steps).toBe(flood.length);
  });

  it('refuses a Content-Length above maxBodyBytes before any body byte arrives', () => {
    const parser = createParser({ limits: { maxBodyBytes: 1000 } });
    const head = `${REQUEST_LINE}Content-Length: 1001\r\n\r\n`;
    expect(() => parser.push(encoder.encode(head))).toThrow(
      expect.objectContaining({
        code: 'BODY_TOO_LARGE',
        offset: REQUEST_LINE.length + 'Content-Length: '.length,
      }),
    );
  });
});

describe('a body announced but not sent', () => {
  // Was a bug: the stream parser allocated the whole announced body when the header section
  // completed, so 60 bytes announcing 1 MiB pinned 1 MiB. The body buffer now grows as body
  // bytes arrive.
  it('costs no more memory than the bytes received', () => {
    const head = encoder.encode(
      `${REQUEST_LINE}Content-Length: ${DEFAULT_LIMITS.maxBodyBytes}\r\n\r\n`,
    );
    const parsers = [];
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 64; i++) {
      const parser = createParser();
      expect(parser.push(head)).toEqual([]);
      expect(parser.bufferedBytes).toBe(head.length);
      parsers.push(parser);
    }
    const held = process.memoryUsage().arrayBuffers - before;
    // 64 idle peers that sent 64 × 61 bytes: anything near 64 MiB is the up-front allocation.
    expect(held).toBeLessThan(8 * 1024 * 1024);
    expect(parsers).toHaveLength(64);
  });
});

describe('work stays linear in the input, whatever the chunking', () => {
  /** Hostile but valid messages of about `size` bytes, with limits raised to let them in. */
  const SHAPES: readonly [string, (size: number) => string][] = [
    ['a folded header', (size) => `X-Fold: a${'\r\n b'.repeat(size / 4)}\r\n`],
    ['tiny headers', (size) => 'a:b\r\n'.repeat(size / 5)],
    ['one long quoted string', (size) => `From: "${'q'.repeat(size)}" <sip:a@b>;tag=1\r\n`],
    [
      'nested comments',
      (size) => `Retry-After: 5 ${'('.repeat(size / 2)}${')'.repeat(size / 2)}\r\n`,
    ],
    ['commas', (size) => `Supported: ${'a,'.repeat(size / 2)}b\r\n`],
    ['escapes', (size) => `To: <sip:${'%41'.repeat(size / 3)}@b>\r\n`],
  ];
  const RAISED: Partial<ParserLimits> = {
    maxHeaderLineBytes: 1 << 20,
    maxHeaderSectionBytes: 1 << 21,
    maxHeaderCount: 1 << 20,
  };

  function stepsFor(text: string, chunkSize: number): number {
    const bytes = encoder.encode(text);
    const parser = createParser({ limits: RAISED });
    let messages = 0;
    for (let at = 0; at < bytes.length; at += chunkSize) {
      messages += parser.push(bytes.subarray(at, at + chunkSize)).length;
    }
    expect(messages).toBe(1);
    return parser.steps;
  }

  it.each(SHAPES)('%s: doubling the input at most doubles the work', (_name, make) => {
    for (const chunkSize of [1, 100, 1 << 20]) {
      const message = (size: number): string =>
        `${REQUEST_LINE}${make(size)}Content-Length: 0\r\n\r\n`;
      const small = stepsFor(message(16_384), chunkSize);
      const large = stepsFor(message(32_768), chunkSize);
      expect(large / small).toBeLessThan(2.2);
      expect(large).toBeLessThanOrEqual(4 * encoder.encode(message(32_768)).length);
    }
  });
});
