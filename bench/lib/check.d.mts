import type { Contestant } from '../contestants/index.mjs';
import type { Expect } from './corpus.mjs';
import type { Sink } from './sink.mjs';

export interface Tally {
  checked: number;
  fatal: number;
  minor: number;
  rejectedMalformed: number;
  examples: string[];
}

export function createTally(): Tally;
export function bodyByteLength(body: unknown, encoding: Contestant['bodyEncoding']): number;
export function compareReading(
  tally: Tally,
  index: number,
  sink: Sink,
  expect: Expect,
  contestant: Contestant,
  restError?: unknown,
): void;
export function noteFailure(tally: Tally, index: number, error: unknown, malformed?: string): void;
export function compareResponse(
  tally: Tally,
  index: number,
  output: Uint8Array,
  requestBytes: Uint8Array,
  status: number,
  toTag: string | undefined,
  content?: { names: readonly string[]; bodyByteLength: number },
): void;
