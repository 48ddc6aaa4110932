/**
 * Where parsed messages keep their bytes and field tables: views into shared slabs, the way
 * Node's Buffer pool works. Allocating a separate ArrayBuffer per message costs about a
 * microsecond in V8 (outside the JS heap, with GC bookkeeping), more than parsing the message;
 * cutting many messages out of one slab pays that once per slab.
 *
 * The cost is sharing: a view's `.buffer` is the whole slab, holding other messages' bytes,
 * and a message kept alive keeps its slab (SLAB_BYTES) alive. Messages above POOLED_MAX_BYTES
 * get a buffer of their own.
 */

/**
 * Size of one slab, in bytes. Larger slabs amortise better (measured on Node 20 with 800-byte
 * messages: about 250 ns per message for 16 KiB, 160 for 32 KiB, 130 for 64 KiB, allocation and
 * copy together) but let a message kept alive hold more memory.
 */
const SLAB_BYTES = 32 * 1024;
/** Larger requests get an ArrayBuffer of their own (it amortises over their size anyway). */
const POOLED_MAX_BYTES = 8 * 1024;

// The first take allocates the first slab: none is made at load time.
let slab = new ArrayBuffer(0);
/** Bytes of the current slab handed out; a multiple of 8, so every view is aligned. */
let used = SLAB_BYTES;

function reserve(byteLength: number): number {
  const rounded = (byteLength + 7) & ~7;
  if (used + rounded > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    used = 0;
  }
  const at = used;
  used += rounded;
  return at;
}

/**
 * A byte range of `byteLength` for one message to own: never handed out twice, zero until
 * written.
 * @internal
 */
export function takeBytes(byteLength: number): Uint8Array {
  if (byteLength > POOLED_MAX_BYTES) return new Uint8Array(byteLength);
  // A constructor call is cheaper than subarray(), which looks up a species constructor.
  const at = reserve(byteLength);
  return new Uint8Array(slab, at, byteLength);
}

/**
 * An Int32Array of `length` elements for one message's field table, from the same slabs.
 * @internal
 */
export function takeInts(length: number): Int32Array {
  const byteLength = length * 4;
  if (byteLength > POOLED_MAX_BYTES) return new Int32Array(length);
  const at = reserve(byteLength);
  return new Int32Array(slab, at, length);
}

/**
 * Copies `source[start, end)` into `target` at `targetIndex`. The source view is made by the
 * Uint8Array constructor: subarray() goes through the species constructor (FastBuffer for a
 * Node Buffer), which costs several times more.
 * @internal
 */
export function copyRange(
  target: Uint8Array,
  targetIndex: number,
  source: Uint8Array,
  start: number,
  end: number,
): void {
  target.set(new Uint8Array(source.buffer, source.byteOffset + start, end - start), targetIndex);
}
