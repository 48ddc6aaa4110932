import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/digest/algorithms.js';
import { sha512_256 } from '../../src/digest/sha512-256.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('sha512_256', () => {
  // NIST's published SHA-512/256 examples (one block, two blocks) and the empty message
  it.each([
    ['abc', '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23'],
    [
      'abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu',
      '3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a',
    ],
    ['', 'c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a'],
  ])('gives the published digest of "%s"', (input, digest) => {
    expect(toHex(sha512_256(text(input)))).toBe(digest);
  });

  it('pads correctly at every length around the 112- and 128-byte block edges', () => {
    for (let length = 100; length <= 260; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 13 + length) & 0xff);
      expect(toHex(sha512_256(bytes)), `length ${length}`).toBe(
        createHash('sha512-256').update(bytes).digest('hex'),
      );
    }
  });

  test.prop([fc.uint8Array({ maxLength: 400 })], { numRuns: 200 })(
    'agrees with node:crypto on any bytes',
    (bytes) => {
      expect(toHex(sha512_256(bytes))).toBe(createHash('sha512-256').update(bytes).digest('hex'));
    },
  );
});
