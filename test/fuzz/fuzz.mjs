#!/usr/bin/env node
// `npm run fuzz`: the long, time-boxed fuzz run for people and nightly CI, against the built
// package (dist/). The bounded run inside `npm test` is test/fuzz/fuzz.test.ts.
//
//   node test/fuzz/fuzz.mjs [--seconds N] [--seed S] [--runs N] [--path P] [--save]
//
// --seconds  time box (default 60); the run stops after it, without failing
// --seed     fast-check seed (default: derived from the current time, and printed)
// --runs     stop after this many cases (default: no limit but the time box)
// --path     replay one shrunk case: pass the seed and path a failing run printed
// --save     write the minimised input of a failure to test/fixtures/fuzz/found-<seed>.sip
// --raised-limits  also try every limit raised to Number.MAX_SAFE_INTEGER (a caller who
//            "turns the limits off"); off by default while the stream parser allocates a body
//            up front (see test/security/bounded.test.ts)
//
// Exit status 0 when no invariant broke, 1 when one did (the shrunk case is printed).

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createFuzzer, formatCounters, minimizeCase, showBytes } from './engine.mjs';
import { loadSeeds } from './seeds.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    seed: { type: 'string' },
    runs: { type: 'string' },
    path: { type: 'string' },
    save: { type: 'boolean', default: false },
    'raised-limits': { type: 'boolean', default: false },
  },
});

function integerOption(name, text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    console.error(`--${name} expects an integer, got ${text}`);
    process.exit(2);
  }
  return value;
}

const seconds = integerOption('seconds', values.seconds);
// The clock only picks a default seed; the run itself never reads it.
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : integerOption('seed', values.seed);
const runs =
  values.runs === undefined ? Number.MAX_SAFE_INTEGER : integerOption('runs', values.runs);

const lib = await import(new URL('../../dist/index.js', import.meta.url).href);
const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));
const seeds = loadSeeds(sharedDir);
if (seeds.length === 0) {
  console.warn(`No corpus under ${sharedDir}: fuzzing random bytes and fragments only`);
}

const fuzzer = createFuzzer(lib, seeds, { raisedLimits: values['raised-limits'] });
console.log(
  `sipwire fuzz: seed ${seed}, ${seeds.length} corpus seeds, ${seconds} s${values.runs ? `, at most ${runs} cases` : ''}`,
);
const started = performance.now();
const details = fc.check(
  fc.property(fuzzer.caseArbitrary, (testCase) => {
    fuzzer.exercise(testCase);
  }),
  {
    seed,
    numRuns: runs,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
    ...(values.path !== undefined && { path: values.path }),
  },
);
const elapsed = (performance.now() - started) / 1000;

console.log(formatCounters(fuzzer.counters));
console.log(
  `${details.numRuns} cases in ${elapsed.toFixed(1)} s; seed ${details.seed}; most bytes examined per input byte: ${fuzzer.maxStepsPerByte.toFixed(2)}`,
);

if (!details.failed) {
  console.log(details.interrupted ? 'Time box reached: no failure' : 'No failure');
  process.exit(0);
}

const [shrunk] = details.counterexample ?? [];
console.log(
  `\nFAILED after ${details.numShrinks} shrinks: ${details.errorInstance?.message ?? ''}`,
);
console.log(
  `replay: node test/fuzz/fuzz.mjs --seed ${details.seed} --path ${details.counterexamplePath}`,
);
// fast-check shrinks the recipe; then the bytes themselves are cut down to a minimal input.
const { testCase, kind } = minimizeCase(fuzzer, shrunk);
const bytes = fuzzer.materialize(testCase.input);
const { input: _input, ...rest } = testCase;
console.log(`minimal failure (${kind}) with ${JSON.stringify(rest)}`);
console.log(`input (${bytes.length} bytes): "${showBytes(bytes)}"`);
if (values.save) {
  const file = fileURLToPath(
    new URL(`../fixtures/fuzz/found-${details.seed}.sip`, import.meta.url),
  );
  writeFileSync(file, bytes);
  console.log(`saved ${file}`);
}
process.exit(1);
