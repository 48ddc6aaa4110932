import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/parse/limits.js';
import { beginMessage, createState, FIELD_STRIDE } from '../../src/parse/state.js';

describe('createState', () => {
  it('starts between messages at offset 0 with nothing buffered', () => {
    const listener = (): void => {};
    const state = createState(DEFAULT_LIMITS, true, listener);
    expect(state).toMatchObject({
      limits: DEFAULT_LIMITS,
      allowBareLf: true,
      onKeepAlive: listener,
      phase: 'startLine',
      error: undefined,
      receivedBytes: 0,
      keepAliveCount: 0,
      pendingCr: false,
      fieldCount: 0,
      bufferLength: 0,
      raw: undefined,
      steps: 0,
    });
    expect(state.fields.length % FIELD_STRIDE).toBe(0);
  });
});

describe('beginMessage', () => {
  it('forgets the previous message and the keep-alive count, and keeps the counters of the stream', () => {
    const state = createState(DEFAULT_LIMITS, false, undefined);
    Object.assign(state, {
      receivedBytes: 90,
      steps: 90,
      keepAliveCount: 3,
      lineStart: 12,
      scanFrom: 20,
      startLineDone: true,
      isResponse: true,
      status: 200,
      fieldCount: 4,
      contentLengthCount: 2,
      headerByteLength: 60,
    });
    beginMessage(state, 77);
    expect(state).toMatchObject({
      messageOffset: 77,
      receivedBytes: 90,
      steps: 90,
      keepAliveCount: 0,
      lineStart: 0,
      scanFrom: 0,
      startLineDone: false,
      isResponse: false,
      status: 0,
      fieldCount: 0,
      contentLengthCount: 0,
      headerByteLength: 0,
    });
  });
});
