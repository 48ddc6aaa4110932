import type { Sink } from '../lib/sink.mjs';

export type Workload = 'parse' | 'stream' | 'build';

/** What every adapter module exports as `contestant`. */
export interface Contestant {
  id: string;
  version: string;
  role: 'subject' | 'peer' | 'bound';
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
  buildResponse?(request: unknown, status: number, reason: string, toTag: string): Uint8Array;
}

export const CONTESTANTS: readonly { id: string; role: Contestant['role']; module: string }[];
export function loadContestant(id: string): Promise<Contestant>;
