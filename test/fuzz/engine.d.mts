import type fc from 'fast-check';

/** The sipwire root module: src/index.ts under test, dist/index.js for `npm run fuzz`. */
export type FuzzLibrary = typeof import('../../src/index.js');

/** A corpus message mutants start from. */
export interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A mutation of a seed, as fast-check draws it (positions wrap around the input length). */
export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'insertBytes'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'splice'; at: number; other: number; from: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeatLine'; line: number; times: number }
  | { op: 'repeatText'; at: number; text: string; times: number }
  | { op: 'swapLines'; a: number; b: number };

/** How an input is made. */
export type InputRecipe =
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'fragments'; parts: string[] }
  | { kind: 'mutant'; seed: number; mutations: Mutation[] };

/** One fuzz case. */
export interface FuzzCase {
  input: InputRecipe;
  /** Chunk sizes for the stream parser, used in turn; empty means one byte at a time. */
  chunking: number[];
  options: {
    profile?: 'strict' | 'interop';
    allowBareLf?: boolean;
    allowUnterminatedHeaders?: boolean;
    limits?: Partial<import('../../src/parse/index.js').ParserLimits> | undefined;
  };
  build: { kind: 'none' | 'plausible' | 'hostile'; code: number; options: Record<string, unknown> };
}

/** Cases run, parsed (built, serialized …) and rejected with the target's typed error. */
export interface Counter {
  run: number;
  ok: number;
  rejected: number;
}

export type Counters = Record<
  'datagram' | 'stream' | 'accessors' | 'fields' | 'validate' | 'build' | 'serialize',
  Counter
>;

export interface Fuzzer {
  readonly counters: Counters;
  readonly caseArbitrary: fc.Arbitrary<FuzzCase>;
  /** Runs one case; throws FuzzFailure or the unexpected error when an invariant breaks. */
  exercise(testCase: FuzzCase): void;
  materialize(input: InputRecipe): Uint8Array;
  readonly maxStepsPerByte: number;
}

export const TARGETS: readonly (keyof Counters)[];
export const FRAGMENTS: readonly string[];
export const hostileText: fc.Arbitrary<string>;

export class FuzzFailure extends Error {}

export function createFuzzer(
  lib: FuzzLibrary,
  seeds: readonly Seed[],
  settings?: { raisedLimits: boolean },
): Fuzzer;
export function materialize(input: InputRecipe, seeds: readonly Seed[]): Uint8Array;
export function createCounters(): Counters;
export function fieldsOf(
  lib: FuzzLibrary,
  message: import('../../src/message/index.js').SipMessage,
): { start: string; headers: string[]; body: string };
export function showBytes(bytes: Uint8Array, max?: number): string;
export function formatCounters(counters: Counters): string;
export function minimizeCase(
  fuzzer: Fuzzer,
  testCase: FuzzCase,
  maxAttempts?: number,
): { testCase: FuzzCase; kind: string | undefined };
