// A small seeded PRNG (xorshift32 with a splitmix-style seed scramble). Benchmarks need the
// same corpus and the same chunk cuts on every run and every machine, so nothing here may
// read Math.random() or the clock.

/**
 * @param {number} seed any 32-bit integer; 0 is remapped so the generator never sticks at 0
 */
export function createRandom(seed) {
  let state = scramble(seed >>> 0) || 0x9e3779b9;

  /** Next unsigned 32-bit value. */
  function nextUint32() {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  }

  return {
    nextUint32,
    /** Float in [0, 1). */
    next() {
      return nextUint32() / 0x1_0000_0000;
    },
    /** Integer in [min, max], both included. */
    int(min, max) {
      return min + Math.floor((nextUint32() / 0x1_0000_0000) * (max - min + 1));
    },
    /** True with probability p. */
    chance(p) {
      return nextUint32() / 0x1_0000_0000 < p;
    },
    /** One element of a non-empty array. */
    pick(items) {
      return items[Math.floor((nextUint32() / 0x1_0000_0000) * items.length)];
    },
    /** `length` characters drawn from `alphabet`. */
    token(length, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789') {
      let out = '';
      for (let i = 0; i < length; i++) {
        out += alphabet[Math.floor((nextUint32() / 0x1_0000_0000) * alphabet.length)];
      }
      return out;
    },
    /** Picks an entry of `[[item, weight], …]` with probability proportional to its weight. */
    weighted(entries) {
      let total = 0;
      for (const entry of entries) total += entry[1];
      let roll = (nextUint32() / 0x1_0000_0000) * total;
      for (const entry of entries) {
        roll -= entry[1];
        if (roll < 0) return entry[0];
      }
      return entries[entries.length - 1][0];
    },
  };
}

/** Spreads the bits of a small seed so seeds 1, 2, 3 give unrelated sequences. */
function scramble(seed) {
  let z = (seed + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
