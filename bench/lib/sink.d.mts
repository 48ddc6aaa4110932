/** What every contestant reads from a parsed message. */
export interface Sink {
  type: string;
  status: number;
  reason: string;
  method: string;
  uri: unknown;
  callId: string | undefined;
  seq: number | string;
  cseqMethod: string | undefined;
  branch: string | undefined;
  toTag: string | undefined | null;
  body: Uint8Array | string | undefined;
}

export function createSink(): Sink;
export function poisonSink(sink: Sink): void;
