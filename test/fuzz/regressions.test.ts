/**
 * Regression inputs: every file of test/fixtures/fuzz is a minimised input that once broke an
 * invariant (found by `npm run fuzz` or by review). Each is listed here with the options it
 * needs and the exact outcome it must have, and is replayed through the whole fuzz harness
 * (every entry point and invariant of test/fuzz/engine.mjs) with several chunkings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import type { ParserLimits } from '../../src/parse/index.js';
import { createFuzzer, type FuzzCase } from './engine.mjs';

const FIXTURES = fileURLToPath(new URL('../fixtures/fuzz/', import.meta.url));

function fixture(name: string): Uint8Array {
  const buffer = readFileSync(`${FIXTURES}${name}`);
  return new Uint8Array(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length));
}

/** Every limit raised as far as it goes: a caller who "turns the limits off". */
const RAISED: ParserLimits = {
  maxStartLineBytes: Number.MAX_SAFE_INTEGER,
  maxHeaderSectionBytes: Number.MAX_SAFE_INTEGER,
  maxHeaderLineBytes: Number.MAX_SAFE_INTEGER,
  maxHeaderCount: Number.MAX_SAFE_INTEGER,
  maxBodyBytes: Number.MAX_SAFE_INTEGER,
};

interface Regression {
  readonly file: string;
  /** How it was found. */
  readonly found: string;
  readonly limits?: ParserLimits;
  /** parseDatagram: the error code and offset, or 'parses'. */
  readonly datagram: readonly [string, number] | 'parses';
  /** The stream parser, the input pushed whole then end(): error code and offset, or messages. */
  readonly stream: readonly [string, number] | number;
  /** Set while the bug is open: the replay is expected to fail. */
  readonly open?: string;
}

const REGRESSIONS: readonly Regression[] = [
  {
    // A Content-Length of 9 004 740 991 with every limit raised: the stream parser allocated
    // header + body at once, and `new Uint8Array(9004741022)` threw a RangeError out of push().
    file: 'raised-limits-huge-content-length.sip',
    found: 'node test/fuzz/fuzz.mjs --seed 32 --raised-limits',
    limits: RAISED,
    datagram: ['CONTENT_LENGTH_EXCEEDS_DATAGRAM', 17],
    // Waiting for a body that never comes, then cut off by end().
    stream: ['INCOMPLETE_MESSAGE', 31],
  },
];

function outcomeOfDatagram(
  bytes: Uint8Array,
  limits?: ParserLimits,
): readonly [string, number] | 'parses' {
  try {
    lib.parseDatagram(bytes, limits === undefined ? {} : { limits });
    return 'parses';
  } catch (error) {
    if (!(error instanceof lib.ParseError)) throw error;
    return [error.code, error.offset];
  }
}

function outcomeOfStream(
  bytes: Uint8Array,
  limits?: ParserLimits,
): readonly [string, number] | number {
  const parser = lib.createParser(limits === undefined ? {} : { limits });
  try {
    const count = parser.push(bytes).length;
    parser.end();
    return count;
  } catch (error) {
    if (!(error instanceof lib.ParseError)) throw error;
    return [error.code, error.offset];
  }
}

describe('fuzz regressions', () => {
  it('lists every fixture of test/fixtures/fuzz', () => {
    const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.sip'));
    expect(files.sort()).toEqual(REGRESSIONS.map((regression) => regression.file).sort());
  });

  for (const regression of REGRESSIONS) {
    const bytes = fixture(regression.file);
    const check = regression.open === undefined ? it : it.fails;

    it(`${regression.file}: parseDatagram gives ${String(regression.datagram)}`, () => {
      expect(outcomeOfDatagram(bytes, regression.limits)).toEqual(regression.datagram);
    });

    // While `open` is set the bug is live and this test is expected to fail (it.fails).
    check(`${regression.file}: the stream parser gives ${String(regression.stream)}`, () => {
      expect(outcomeOfStream(bytes, regression.limits)).toEqual(regression.stream);
    });

    check(`${regression.file}: every fuzz invariant holds, in any chunking`, () => {
      const fuzzer = createFuzzer(lib, []);
      for (const chunking of [[], [3], [1 << 20]]) {
        const testCase: FuzzCase = {
          input: { kind: 'random', bytes },
          chunking,
          options: regression.limits === undefined ? {} : { limits: regression.limits },
          build: { kind: 'none', code: 200, options: {} },
        };
        fuzzer.exercise(testCase);
      }
    });
  }
});
