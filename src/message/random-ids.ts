/**
 * Branches, tags and Call-IDs without a crypto call each: 128 random bits are drawn once
 * (Web Crypto, so it runs in browsers too), then each value is SipHash-2-4 of a counter under
 * that key. SipHash is a keyed pseudo-random function: knowing earlier outputs does not help
 * to guess the next one, so each 64-bit output keeps 64 bits of unpredictability
 * (RFC 3261 §8.1.1.7 branch, §19.3 tags).
 */

const MASK = 0xffffffffffffffffn;

let key: readonly [bigint, bigint] | undefined;
let counter = 0n;

function rotl(x: bigint, bits: bigint): bigint {
  return ((x << bits) | (x >> (64n - bits))) & MASK;
}

/**
 * SipHash-2-4 of one 64-bit little-endian word (an 8-byte message) under a 128-bit key.
 * @internal
 */
export function sipHash24(k0: bigint, k1: bigint, word: bigint): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const rounds = (count: number): void => {
    for (let i = 0; i < count; i++) {
      v0 = (v0 + v1) & MASK;
      v1 = rotl(v1, 13n) ^ v0;
      v0 = rotl(v0, 32n);
      v2 = (v2 + v3) & MASK;
      v3 = rotl(v3, 16n) ^ v2;
      v0 = (v0 + v3) & MASK;
      v3 = rotl(v3, 21n) ^ v0;
      v2 = (v2 + v1) & MASK;
      v1 = rotl(v1, 17n) ^ v2;
      v2 = rotl(v2, 32n);
    }
  };
  // One full block, then the final block holding only the length (8) in its top byte
  v3 ^= word;
  rounds(2);
  v0 ^= word;
  const last = 8n << 56n;
  v3 ^= last;
  rounds(2);
  v0 ^= last;
  v2 ^= 0xffn;
  rounds(4);
  return (v0 ^ v1 ^ v2 ^ v3) & MASK;
}

function drawKey(): readonly [bigint, bigint] {
  const words = new BigUint64Array(2);
  crypto.getRandomValues(words);
  return [words[0] ?? 0n, words[1] ?? 0n];
}

/**
 * 64 unpredictable bits as 16 lower-case hex digits: the next output of the keyed generator.
 * @internal
 */
export function randomHex64(): string {
  key ??= drawKey();
  counter = (counter + 1n) & MASK;
  return sipHash24(key[0], key[1], counter).toString(16).padStart(16, '0');
}

/**
 * A fresh branch: the magic cookie then 64 unpredictable bits (RFC 3261 §8.1.1.7).
 * @internal
 */
export function newBranch(): string {
  return `z9hG4bK${randomHex64()}`;
}

/**
 * A fresh From or To tag: 64 unpredictable bits (RFC 3261 §19.3 asks for at least 32).
 * @internal
 */
export function newTag(): string {
  return randomHex64();
}

/**
 * A fresh Call-ID: 128 bits, unique in space and time (RFC 3261 §8.1.1.4).
 * @internal
 */
export function newCallId(): string {
  return randomHex64() + randomHex64();
}
