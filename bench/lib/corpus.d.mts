import type { Reading } from './reference.mjs';

/** The values every contestant must read back from a message. */
export interface Expect {
  type: 'request' | 'response';
  status: number | undefined;
  method: string | undefined;
  callId: string | undefined;
  seq: number | undefined;
  cseqMethod: string | undefined;
  branch: string | undefined;
  toTag: string | undefined;
  bodyByteLength: number;
  /** Real corpus: the file the message came from. */
  label?: string;
  /** Real corpus: why the message breaks the grammar, when it does. */
  malformed?: string;
}

export interface CorpusEntry {
  bytes: Buffer;
  expect: Expect;
  file?: string;
  streamable?: boolean;
  headerCount?: number;
  viaCount?: number;
}

export interface CorpusStream {
  chunks: Buffer[];
  messages: CorpusEntry[];
  byteLength: number;
}

export const SYNTHETIC_SEED: number;
export const TORTURE_SEED: number;
export const CHUNK_SEED: number;
export const MESSAGE_COUNT: number;
export const MIN_MESSAGE_BYTES: number;
export const MAX_MESSAGE_BYTES: number;
export const MIN_HEADER_COUNT: number;
export const MAX_HEADER_COUNT: number;
export const MIN_CHUNK_BYTES: number;
export const MAX_CHUNK_BYTES: number;
export const REAL_CORPUS_DIR: string;
export const REAL_MALFORMED: Readonly<Record<string, string>>;
export const CORPUS_NAMES: readonly string[];
export const INVITE_390: string;

export function generateCorpus(options: {
  seed: number;
  count: number;
  torture: boolean;
}): CorpusEntry[];
export function loadCorpus(name: string): CorpusEntry[] | undefined;
export function loadRealCorpus(dir?: string): CorpusEntry[] | undefined;
export function toExpect(reading: Reading): Expect;
export function toStream(messages: readonly CorpusEntry[], seed?: number): CorpusStream;
