import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  newBranch,
  newCallId,
  newTag,
  randomHex64,
  sipHash24Halves,
} from '../../src/message/random-ids.js';

describe('sipHash24Halves', () => {
  it('gives the reference output for key 00..0f and message 00..07', () => {
    // SipHash paper, appendix A test vectors: 8-byte message → 0x93f5f5799a932462
    const key = [0x07060504, 0x03020100, 0x0f0e0d0c, 0x0b0a0908] as const;
    const [high, low] = sipHash24Halves(key, 0x07060504, 0x03020100);
    expect(high.toString(16) + low.toString(16).padStart(8, '0')).toBe('93f5f5799a932462');
  });
});

describe('random ids', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('have their shapes: z9hG4bK + 16 hex, 16 hex, 32 hex', () => {
    expect(newBranch()).toMatch(/^z9hG4bK[0-9a-f]{16}$/);
    expect(newTag()).toMatch(/^[0-9a-f]{16}$/);
    expect(newCallId()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('do not repeat and cost no crypto call each', () => {
    randomHex64(); // the key is drawn on first use
    const spy = vi.spyOn(crypto, 'getRandomValues');
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(randomHex64());
    expect(seen.size).toBe(10_000);
    expect(spy).not.toHaveBeenCalled();
  });
});
