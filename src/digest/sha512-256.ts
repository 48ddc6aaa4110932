/**
 * SHA-512/256 (FIPS 180-4 §6.7) over bytes. Web Crypto offers SHA-512 but not its truncated
 * variant with its own initial value, which RFC 7616 §3.2 and RFC 8760 §2.3 name
 * `SHA-512-256`; this small synchronous version fills the gap. 64-bit words are held as two
 * 32-bit halves (hi, lo) so no BigInt is needed on the hot path.
 */

/** The first 80 primes: FIPS 180-4 §4.2.3 derives the round constants from them. */
function firstPrimes(count: number): number[] {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((prime) => candidate % prime !== 0)) primes.push(candidate);
  }
  return primes;
}

/** floor(cbrt(n)) by Newton's method from above. */
function integerCubeRoot(n: bigint): bigint {
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 3) + 1);
  for (;;) {
    const next = (2n * x + n / (x * x)) / 3n;
    if (next >= x) return x;
    x = next;
  }
}

// FIPS 180-4 §4.2.3: K[t] = the first 64 bits of the fractional part of the cube root of the
// t-th prime; derived here, exactly, rather than typed as 80 hexadecimal literals
const K_HI: Int32Array = new Int32Array(80);
const K_LO: Int32Array = new Int32Array(80);
firstPrimes(80).forEach((prime, t) => {
  const fraction = integerCubeRoot(BigInt(prime) << 192n) & 0xffffffffffffffffn;
  K_HI[t] = Number(fraction >> 32n) | 0;
  K_LO[t] = Number(fraction & 0xffffffffn) | 0;
});

// FIPS 180-4 §5.3.6.2: the initial hash value of SHA-512/256, as (hi, lo) pairs
const IV: readonly number[] = [
  0x22312194, 0xfc2bf72c, 0x9f555fa3, 0xc84c64c2, 0x2393b86b, 0x6f53b151, 0x96387719, 0x5940eabd,
  0x96283ee2, 0xa88effe3, 0xbe5e1e25, 0x53863992, 0x2b0199fc, 0x2c85b8aa, 0x0eb72ddc, 0x81c52ca2,
];

const TWO_32 = 0x100000000;

/**
 * The SHA-512/256 digest of `bytes` (FIPS 180-4).
 * @param bytes - the message
 * @returns the 32-byte digest
 * @internal
 */
export function sha512_256(bytes: Uint8Array): Uint8Array {
  // FIPS 180-4 §5.1.2: 0x80, zeros to 112 mod 128, then the 128-bit big-endian bit length
  const blocks = Math.ceil((bytes.length + 17) / 128);
  const padded = new Uint8Array(blocks * 128);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bitLength = bytes.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bitLength / TWO_32));
  view.setUint32(padded.length - 4, bitLength >>> 0);

  const h = Int32Array.from(IV, (word) => word | 0);
  const wHi = new Int32Array(80);
  const wLo = new Int32Array(80);
  for (let offset = 0; offset < padded.length; offset += 128) {
    for (let t = 0; t < 16; t++) {
      wHi[t] = view.getInt32(offset + t * 8);
      wLo[t] = view.getInt32(offset + t * 8 + 4);
    }
    // FIPS 180-4 §6.4.2 step 1: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16]
    for (let t = 16; t < 80; t++) {
      const h2 = wHi[t - 2] ?? 0;
      const l2 = wLo[t - 2] ?? 0;
      const h15 = wHi[t - 15] ?? 0;
      const l15 = wLo[t - 15] ?? 0;
      // σ1 = ROTR19 ^ ROTR61 ^ SHR6
      const s1Hi = ((h2 >>> 19) | (l2 << 13)) ^ ((l2 >>> 29) | (h2 << 3)) ^ (h2 >>> 6);
      const s1Lo =
        ((l2 >>> 19) | (h2 << 13)) ^ ((h2 >>> 29) | (l2 << 3)) ^ ((l2 >>> 6) | (h2 << 26));
      // σ0 = ROTR1 ^ ROTR8 ^ SHR7
      const s0Hi = ((h15 >>> 1) | (l15 << 31)) ^ ((h15 >>> 8) | (l15 << 24)) ^ (h15 >>> 7);
      const s0Lo =
        ((l15 >>> 1) | (h15 << 31)) ^ ((l15 >>> 8) | (h15 << 24)) ^ ((l15 >>> 7) | (h15 << 25));
      const lo =
        (s1Lo >>> 0) + ((wLo[t - 7] ?? 0) >>> 0) + (s0Lo >>> 0) + ((wLo[t - 16] ?? 0) >>> 0);
      wLo[t] = lo | 0;
      wHi[t] = (s1Hi + (wHi[t - 7] ?? 0) + s0Hi + (wHi[t - 16] ?? 0) + Math.floor(lo / TWO_32)) | 0;
    }
    let aHi = h[0] ?? 0;
    let aLo = h[1] ?? 0;
    let bHi = h[2] ?? 0;
    let bLo = h[3] ?? 0;
    let cHi = h[4] ?? 0;
    let cLo = h[5] ?? 0;
    let dHi = h[6] ?? 0;
    let dLo = h[7] ?? 0;
    let eHi = h[8] ?? 0;
    let eLo = h[9] ?? 0;
    let fHi = h[10] ?? 0;
    let fLo = h[11] ?? 0;
    let gHi = h[12] ?? 0;
    let gLo = h[13] ?? 0;
    let hHi = h[14] ?? 0;
    let hLo = h[15] ?? 0;
    for (let t = 0; t < 80; t++) {
      // Σ1(e) = ROTR14 ^ ROTR18 ^ ROTR41
      const sigma1Hi =
        ((eHi >>> 14) | (eLo << 18)) ^ ((eHi >>> 18) | (eLo << 14)) ^ ((eLo >>> 9) | (eHi << 23));
      const sigma1Lo =
        ((eLo >>> 14) | (eHi << 18)) ^ ((eLo >>> 18) | (eHi << 14)) ^ ((eHi >>> 9) | (eLo << 23));
      // Ch(e, f, g) = (e & f) ^ (~e & g)
      const chHi = (eHi & fHi) ^ (~eHi & gHi);
      const chLo = (eLo & fLo) ^ (~eLo & gLo);
      // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
      const t1Lo =
        (hLo >>> 0) +
        (sigma1Lo >>> 0) +
        (chLo >>> 0) +
        ((K_LO[t] ?? 0) >>> 0) +
        ((wLo[t] ?? 0) >>> 0);
      const t1Hi =
        (hHi + sigma1Hi + chHi + (K_HI[t] ?? 0) + (wHi[t] ?? 0) + Math.floor(t1Lo / TWO_32)) | 0;
      // Σ0(a) = ROTR28 ^ ROTR34 ^ ROTR39
      const sigma0Hi =
        ((aHi >>> 28) | (aLo << 4)) ^ ((aLo >>> 2) | (aHi << 30)) ^ ((aLo >>> 7) | (aHi << 25));
      const sigma0Lo =
        ((aLo >>> 28) | (aHi << 4)) ^ ((aHi >>> 2) | (aLo << 30)) ^ ((aHi >>> 7) | (aLo << 25));
      // Maj(a, b, c) = (a & b) ^ (a & c) ^ (b & c)
      const majHi = (aHi & bHi) ^ (aHi & cHi) ^ (bHi & cHi);
      const majLo = (aLo & bLo) ^ (aLo & cLo) ^ (bLo & cLo);
      // T2 = Σ0(a) + Maj(a, b, c)
      const t2Lo = (sigma0Lo >>> 0) + (majLo >>> 0);
      const t2Hi = (sigma0Hi + majHi + Math.floor(t2Lo / TWO_32)) | 0;
      hHi = gHi;
      hLo = gLo;
      gHi = fHi;
      gLo = fLo;
      fHi = eHi;
      fLo = eLo;
      // e = d + T1
      const eSum = (dLo >>> 0) + (t1Lo >>> 0);
      eHi = (dHi + t1Hi + Math.floor(eSum / TWO_32)) | 0;
      eLo = eSum | 0;
      dHi = cHi;
      dLo = cLo;
      cHi = bHi;
      cLo = bLo;
      bHi = aHi;
      bLo = aLo;
      // a = T1 + T2
      const aSum = (t1Lo >>> 0) + (t2Lo >>> 0);
      aHi = (t1Hi + t2Hi + Math.floor(aSum / TWO_32)) | 0;
      aLo = aSum | 0;
    }
    addInto(h, 0, aHi, aLo);
    addInto(h, 2, bHi, bLo);
    addInto(h, 4, cHi, cLo);
    addInto(h, 6, dHi, dLo);
    addInto(h, 8, eHi, eLo);
    addInto(h, 10, fHi, fLo);
    addInto(h, 12, gHi, gLo);
    addInto(h, 14, hHi, hLo);
  }
  // FIPS 180-4 §6.7: the digest is the leftmost 256 bits (four 64-bit words)
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setInt32(i * 4, h[i] ?? 0);
  return out;
}

/** state[index..index+1] += (hi, lo) modulo 2^64. */
function addInto(state: Int32Array, index: number, hi: number, lo: number): void {
  const sum = ((state[index + 1] ?? 0) >>> 0) + (lo >>> 0);
  state[index] = ((state[index] ?? 0) + hi + Math.floor(sum / TWO_32)) | 0;
  state[index + 1] = sum | 0;
}
