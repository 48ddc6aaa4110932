/**
 * HalfSipHash-2-4 (Aumasson and Bernstein's SipHash on 32-bit words): a keyed pseudorandom
 * function over short inputs, cheap in JavaScript because every step is a 32-bit integer
 * operation. It derives the To tag of a response from the request's identity (to-tag.ts), so
 * no call to the platform's random generator is made per response.
 */

/** One HalfSipHash state: the four 32-bit words v0–v3. @internal */
interface State {
  v0: number;
  v1: number;
  v2: number;
  v3: number;
}

function rotl(x: number, bits: number): number {
  return (x << bits) | (x >>> (32 - bits));
}

function round(s: State): void {
  s.v0 = (s.v0 + s.v1) | 0;
  s.v1 = rotl(s.v1, 5) ^ s.v0;
  s.v0 = rotl(s.v0, 16);
  s.v2 = (s.v2 + s.v3) | 0;
  s.v3 = rotl(s.v3, 8) ^ s.v2;
  s.v0 = (s.v0 + s.v3) | 0;
  s.v3 = rotl(s.v3, 7) ^ s.v0;
  s.v2 = (s.v2 + s.v1) | 0;
  s.v1 = rotl(s.v1, 13) ^ s.v2;
  s.v2 = rotl(s.v2, 16);
}

function compress(s: State, word: number): void {
  s.v3 ^= word;
  round(s);
  round(s);
  s.v0 ^= word;
}

function readWord(bytes: Uint8Array, at: number): number {
  return (
    (bytes[at] as number) |
    ((bytes[at + 1] as number) << 8) |
    ((bytes[at + 2] as number) << 16) |
    ((bytes[at + 3] as number) << 24) |
    0
  );
}

/**
 * HalfSipHash-2-4 of `bytes[0, length)` under the 64-bit key `k0`, `k1` (little-endian words).
 * @param outputWords - 1 for the 32-bit output, 2 for the 64-bit one
 * @returns the output words, low word first (as the reference writes them little-endian)
 * @internal
 */
export function halfSipHash(
  k0: number,
  k1: number,
  bytes: Uint8Array,
  length: number,
  outputWords: 1 | 2,
): [number, number] {
  const s: State = { v0: k0 | 0, v1: k1 | 0, v2: 0x6c796765 ^ k0, v3: 0x74656462 ^ k1 };
  if (outputWords === 2) s.v1 ^= 0xee;
  const whole = length - (length % 4);
  for (let at = 0; at < whole; at += 4) compress(s, readWord(bytes, at));
  let last = (length & 0xff) << 24;
  for (let i = length - 1; i >= whole; i--) last |= (bytes[i] as number) << (8 * (i - whole));
  compress(s, last | 0);
  s.v2 ^= outputWords === 2 ? 0xee : 0xff;
  for (let i = 0; i < 4; i++) round(s);
  const low = (s.v1 ^ s.v3) >>> 0;
  if (outputWords === 1) return [low, 0];
  s.v1 ^= 0xdd;
  for (let i = 0; i < 4; i++) round(s);
  return [low, (s.v1 ^ s.v3) >>> 0];
}
