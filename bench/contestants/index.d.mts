import type { BuildPlan } from '../lib/build-plan.mjs';
import type { Tally } from '../lib/check.mjs';
import type { CorpusEntry } from '../lib/corpus.mjs';
import type { Sink } from '../lib/sink.mjs';

export type Workload = 'parse' | 'stream' | 'build' | 'build-bare';

/** What every adapter module exports as `contestant`. */
export interface Contestant {
  id: string;
  version: string;
  role: 'subject' | 'peer' | 'bound' | 'baseline';
  bodyEncoding: 'bytes' | 'utf8' | 'latin1';
  takesToTag?: boolean;
  api: Partial<Record<Workload, string>>;
  notApplicable: Partial<Record<Workload, string>>;
  decode(bytes: Buffer): unknown;
  readCore(message: unknown, sink: Sink): void;
  readRest(message: unknown, sink: Sink): void;
  createStream?(onMessage: (message: unknown) => void): {
    push(chunk: Buffer): void;
    end(): void;
  };
  prepareRequest?(bytes: Buffer): unknown;
  buildResponse?(request: unknown, plan: BuildPlan, toTag: string): Uint8Array;
  /** C peers: checks and times the parse workload in a driver process (lib/native.mjs). */
  measureParse?(
    corpus: readonly CorpusEntry[],
    job: { warmupMs: number; measureMs: number; round?: number; check?: boolean },
  ): { status: string; reason?: string; check?: Tally };
}

export const CONTESTANTS: readonly { id: string; role: Contestant['role']; module: string }[];
export function loadContestant(id: string): Promise<Contestant>;
