/**
 * Branches, tags and Call-IDs without a crypto call each: 128 random bits are drawn once
 * (Web Crypto, so it runs in browsers too), then each value is SipHash-2-4 of a counter under
 * that key. SipHash is a keyed pseudo-random function: knowing earlier outputs does not help
 * to guess the next one, so each 64-bit output keeps 64 bits of unpredictability
 * (RFC 3261 §8.1.1.7 branch, §19.3 tags). The 64-bit words are kept as two unsigned 32-bit
 * halves, which engines compute far faster than BigInt.
 */

/**
 * SipHash-2-4 of one 8-byte message (a 64-bit little-endian word, as high and low halves)
 * under the key k0, k1 (each as halves). Each 64-bit add carries from the low half into the
 * high one; each rotation moves bits across the halves (a rotation by 32 swaps them).
 * @returns the 64-bit result as [high, low]
 * @internal
 */
export function sipHash24Halves(
  key: readonly [number, number, number, number],
  wordHigh: number,
  wordLow: number,
): [number, number] {
  const [k0h, k0l, k1h, k1l] = key;
  let v0h = (k0h ^ 0x736f6d65) >>> 0;
  let v0l = (k0l ^ 0x70736575) >>> 0;
  let v1h = (k1h ^ 0x646f7261) >>> 0;
  let v1l = (k1l ^ 0x6e646f6d) >>> 0;
  let v2h = (k0h ^ 0x6c796765) >>> 0;
  let v2l = (k0l ^ 0x6e657261) >>> 0;
  let v3h = (k1h ^ 0x74656462) >>> 0;
  let v3l = (k1l ^ 0x79746573) >>> 0;
  let low = 0;
  let high = 0;
  // One full block (v3 ^= m, 2 rounds, v0 ^= m), the final block holding only the length 8 in
  // its top byte (v3 ^= b, 2 rounds, v0 ^= b), then v2 ^= 0xff and 4 rounds: one loop, so the
  // state stays in locals
  v3h = (v3h ^ wordHigh) >>> 0;
  v3l = (v3l ^ wordLow) >>> 0;
  for (let round = 0; round < 8; round++) {
    if (round === 2) {
      v0h = (v0h ^ wordHigh) >>> 0;
      v0l = (v0l ^ wordLow) >>> 0;
      v3h = (v3h ^ 0x08000000) >>> 0;
    } else if (round === 4) {
      v0h = (v0h ^ 0x08000000) >>> 0;
      v2l = (v2l ^ 0xff) >>> 0;
    }
    // v0 += v1; v1 = rotl(v1, 13) ^ v0; v0 = rotl(v0, 32)
    low = (v0l + v1l) >>> 0;
    v0h = (v0h + v1h + (low < v0l ? 1 : 0)) >>> 0;
    v0l = low;
    high = ((v1h << 13) | (v1l >>> 19)) >>> 0;
    v1l = (((v1l << 13) | (v1h >>> 19)) ^ v0l) >>> 0;
    v1h = (high ^ v0h) >>> 0;
    high = v0h;
    v0h = v0l;
    v0l = high;
    // v2 += v3; v3 = rotl(v3, 16) ^ v2
    low = (v2l + v3l) >>> 0;
    v2h = (v2h + v3h + (low < v2l ? 1 : 0)) >>> 0;
    v2l = low;
    high = ((v3h << 16) | (v3l >>> 16)) >>> 0;
    v3l = (((v3l << 16) | (v3h >>> 16)) ^ v2l) >>> 0;
    v3h = (high ^ v2h) >>> 0;
    // v0 += v3; v3 = rotl(v3, 21) ^ v0
    low = (v0l + v3l) >>> 0;
    v0h = (v0h + v3h + (low < v0l ? 1 : 0)) >>> 0;
    v0l = low;
    high = ((v3h << 21) | (v3l >>> 11)) >>> 0;
    v3l = (((v3l << 21) | (v3h >>> 11)) ^ v0l) >>> 0;
    v3h = (high ^ v0h) >>> 0;
    // v2 += v1; v1 = rotl(v1, 17) ^ v2; v2 = rotl(v2, 32)
    low = (v2l + v1l) >>> 0;
    v2h = (v2h + v1h + (low < v2l ? 1 : 0)) >>> 0;
    v2l = low;
    high = ((v1h << 17) | (v1l >>> 15)) >>> 0;
    v1l = (((v1l << 17) | (v1h >>> 15)) ^ v2l) >>> 0;
    v1h = (high ^ v2h) >>> 0;
    high = v2h;
    v2h = v2l;
    v2l = high;
  }
  return [(v0h ^ v1h ^ v2h ^ v3h) >>> 0, (v0l ^ v1l ^ v2l ^ v3l) >>> 0];
}

let key: readonly [number, number, number, number] | undefined;
let counterHigh = 0;
let counterLow = 0;

/** Two lower-case hex digits per byte value: a lookup beats toString(16) and padStart. */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

function hex8(value: number): string {
  return (
    (HEX_BYTES[value >>> 24] as string) +
    (HEX_BYTES[(value >>> 16) & 0xff] as string) +
    (HEX_BYTES[(value >>> 8) & 0xff] as string) +
    (HEX_BYTES[value & 0xff] as string)
  );
}

/**
 * 64 unpredictable bits as 16 lower-case hex digits: the next output of the keyed generator.
 * @internal
 */
export function randomHex64(): string {
  if (key === undefined) {
    const words = new Uint32Array(4);
    crypto.getRandomValues(words);
    key = [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0];
  }
  counterLow = (counterLow + 1) >>> 0;
  if (counterLow === 0) counterHigh = (counterHigh + 1) >>> 0;
  const [high, low] = sipHash24Halves(key, counterHigh, counterLow);
  return hex8(high) + hex8(low);
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
