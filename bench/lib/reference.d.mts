/** One header field as the reference reader saw it: lower-case full name, unfolded value. */
export interface ReferenceField {
  name: string;
  value: string;
}

/** What the reference reader takes from one message. */
export interface Reading {
  type: 'request' | 'response';
  status: number | undefined;
  reason: string | undefined;
  method: string | undefined;
  uri: string | undefined;
  callId: string | undefined;
  seq: number | undefined;
  cseqMethod: string | undefined;
  branch: string | undefined;
  toTag: string | undefined;
  viaCount: number;
  contentLength: number | undefined;
  bodyByteLength: number;
  headerCount: number;
  fields: ReferenceField[];
}

export function readMessage(bytes: Uint8Array): Reading;
export function frameStream(bytes: Uint8Array): Buffer[];
