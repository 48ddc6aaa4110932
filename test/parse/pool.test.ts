import { describe, expect, it } from 'vitest';
import { parseDatagram } from '../../src/parse/index.js';
import { takeBytes, takeInts } from '../../src/parse/pool.js';
import { bytes } from '../helpers/bytes.js';

describe('takeBytes', () => {
  it('hands out zeroed, 8-aligned ranges of the asked length that never overlap', () => {
    const views = [5, 8, 0, 1000, 3].map((length) => takeBytes(length));
    expect(views.map((view) => view.length)).toEqual([5, 8, 0, 1000, 3]);
    for (const view of views) {
      expect(view.byteOffset % 8).toBe(0);
      expect(view.every((byte) => byte === 0)).toBe(true);
      view.fill(0xff);
    }
    const [a, b] = views;
    if (a === undefined || b === undefined) throw new Error('missing views');
    if (a.buffer === b.buffer) expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 8);
    // Filling one view left the next one (taken after the fills) zeroed.
    expect(takeBytes(64).every((byte) => byte === 0)).toBe(true);
  });

  it('gives a large request a buffer of its own', () => {
    const view = takeBytes(100_000);
    expect([view.byteOffset, view.buffer.byteLength]).toEqual([0, 100_000]);
  });
});

describe('takeInts', () => {
  it('hands out Int32Arrays of the asked length, from the pool or their own buffer', () => {
    const small = takeInts(90);
    expect([small.length, small.byteOffset % 8]).toEqual([90, 0]);
    const large = takeInts(10_000);
    expect([large.length, large.byteOffset, large.buffer.byteLength]).toEqual([10_000, 0, 40_000]);
  });
});

describe('pooled messages', () => {
  it('keep their own bytes when the caller reuses its buffer and when more messages are parsed', () => {
    const input = bytes`OPTIONS sip:a@b SIP/2.0\r\nCall-ID: one\r\nl: 2\r\n\r\nhi`;
    const first = parseDatagram(input);
    input.fill(0x41);
    const second = parseDatagram(bytes`OPTIONS sip:a@b SIP/2.0\r\nCall-ID: two\r\nl: 2\r\n\r\nho`);
    expect([first.callId, new TextDecoder().decode(first.body)]).toEqual(['one', 'hi']);
    expect([second.callId, new TextDecoder().decode(second.body)]).toEqual(['two', 'ho']);
    expect(first.raw.length).toBe(input.length);
  });
});
