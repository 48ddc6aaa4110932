/**
 * The bounded fuzz run of `npm test`: a fixed seed and a few thousand cases of mutated corpus
 * messages, random bytes and SIP fragments through parseDatagram, the stream parser (random
 * chunkings), every accessor and header-value parser, validate, buildResponse and serialize.
 * The invariants are in test/fuzz/engine.mjs; `npm run fuzz` runs the same harness for longer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as lib from '../../src/index.js';
import { SHARED_DIR, sharedAvailable } from '../helpers/shared.js';
import { createFuzzer, type Fuzzer } from './engine.mjs';
import { loadSeeds } from './seeds.mjs';

/** Fixed: a failure here replays with `node test/fuzz/fuzz.mjs --seed 4475 --runs 1200`. */
const SEED = 4475;
/** Cases of the corpus run: about five seconds on one core. */
const CASES = 1200;

function run(fuzzer: Fuzzer, numRuns: number): void {
  fc.assert(
    fc.property(fuzzer.caseArbitrary, (testCase) => {
      fuzzer.exercise(testCase);
    }),
    { seed: SEED, numRuns },
  );
}

describe.skipIf(!sharedAvailable('corpus'))('fuzzing the corpus', () => {
  it('mutated corpus messages never throw anything but the typed errors, and round-trip', () => {
    const seeds = loadSeeds(SHARED_DIR);
    expect(seeds.length).toBeGreaterThanOrEqual(150);
    // Raised limits too: the stream parser now grows a body buffer as bytes arrive, so a huge
    // announced Content-Length cannot make it allocate (test/fuzz/regressions.test.ts).
    const fuzzer = createFuzzer(lib, seeds, { raisedLimits: true });
    run(fuzzer, CASES);
    const { datagram, stream, build, serialize } = fuzzer.counters;
    // The run reached past the framing: messages parsed, responses built and serialized.
    expect(datagram.run).toBe(CASES);
    expect(datagram.ok).toBeGreaterThan(CASES / 5);
    expect(datagram.rejected).toBeGreaterThan(CASES / 5);
    expect(stream.ok).toBeGreaterThan(CASES / 10);
    expect(build.ok).toBeGreaterThan(CASES / 20);
    expect(serialize.ok).toBeGreaterThan(CASES / 5);
    expect(fuzzer.maxStepsPerByte).toBeLessThanOrEqual(4);
  });
});

describe('fuzzing without the corpus', () => {
  it('random bytes and SIP fragments never throw anything but the typed errors', () => {
    const fuzzer = createFuzzer(lib, [], { raisedLimits: false });
    run(fuzzer, 1000);
    expect(fuzzer.counters.datagram.run).toBe(1000);
    expect(fuzzer.counters.datagram.ok).toBeGreaterThan(10);
  });
});
