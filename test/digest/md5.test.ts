import { createHash } from 'node:crypto';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/digest/algorithms.js';
import { md5 } from '../../src/digest/md5.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('md5', () => {
  // RFC 1321 appendix A.5: the test suite
  it.each([
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    [
      'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
      'd174ab98d277d9f5a5611c2c9f419d9f',
    ],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ])('gives the RFC 1321 digest of "%s"', (input, digest) => {
    expect(toHex(md5(text(input)))).toBe(digest);
  });

  it('pads correctly at every length around the 56- and 64-byte block edges', () => {
    for (let length = 50; length <= 130; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 7 + length) & 0xff);
      expect(toHex(md5(bytes)), `length ${length}`).toBe(
        createHash('md5').update(bytes).digest('hex'),
      );
    }
  });

  test.prop([fc.uint8Array({ maxLength: 300 })], { numRuns: 200 })(
    'agrees with node:crypto on any bytes',
    (bytes) => {
      expect(toHex(md5(bytes))).toBe(createHash('md5').update(bytes).digest('hex'));
    },
  );
});
