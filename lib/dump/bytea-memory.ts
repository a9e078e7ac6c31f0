/**
 * Memory for long bytea values, used again once their consumer says it is done with them. A 1 GB image dump
 * decodes ~500 MB of image bytes; a fresh allocation for each makes the kernel hand out (and zero) fresh pages
 * every time, and V8 collect after every few hundred MB of them. On the benchmark VM, decoding every image
 * into one reused buffer (a test of the idea, not correct) took the 1 GB transform's median 1.22 → 1.12 s;
 * this, which reuses only what was given back, 1.49 → 1.45 s and 1.19 → 1.19 s (min 1.13 → 1.08).
 *
 * The contract is explicit: only a consumer that knows nothing else holds a value gives it back
 * (`recycleBytea`), and only the very Buffer handed out last for a piece of memory is taken back, once: any
 * other Buffer (a slice of Node's shared pool, a copy, a value given back twice, even after its memory went
 * to another value) is ignored. A consumer that never gives anything back simply gets fresh memory.
 */

/** Values at least this long come from here; shorter ones are cheap to allocate as usual. */
export const POOLED_FROM = 64 << 10;
/** At most this many bytes wait to be used again; more are left to the garbage collector. */
const KEEP_AT_MOST = 32 << 20;

/**
 * Marks the Buffer a piece of memory was lent as, until it is given back: the only one taken back. A mark on
 * the Buffer itself, not a WeakMap of them: V8 keeps WeakMap entries alive until a full collection, which
 * raised the peak memory of a reader that never gives anything back by ~35 MB.
 */
const LENT = Symbol('lent bytea memory');
type Lent = Buffer & { [LENT]?: true };
/** Given back, not yet handed out again: smallest first. */
const free: ArrayBuffer[] = [];
let freeBytes = 0;

/** A Buffer of exactly `n` bytes (contents undefined), from memory given back if some is large enough. */
export function byteaBuffer(n: number): Buffer {
  if (n < POOLED_FROM) return Buffer.allocUnsafe(n);
  // smallest first: the first that fits wastes least
  const i = free.findIndex((ab) => ab.byteLength >= n);
  if (i !== -1) {
    const ab = free.splice(i, 1)[0]!;
    freeBytes -= ab.byteLength;
    return lend(ab, n);
  }
  // sizes rounded up to 64 kB steps so that one value's memory fits more of the next ones
  // allocUnsafeSlow: memory of its own, not zero-filled (a new ArrayBuffer would be, for nothing)
  return lend(Buffer.allocUnsafeSlow(Math.ceil(n / POOLED_FROM) * POOLED_FROM).buffer as ArrayBuffer, n);
}

function lend(ab: ArrayBuffer, n: number): Buffer {
  const b: Lent = Buffer.from(ab, 0, n);
  b[LENT] = true;
  return b;
}

/**
 * Gives back a value the reader made, which the caller knows nothing references any more (an image written
 * or not wanted). Anything else is ignored.
 */
export function recycleBytea(value: Buffer | null): void {
  if (value === null) return;
  const v: Lent = value;
  if (v[LENT] !== true) return;
  delete v[LENT];
  const ab = value.buffer as ArrayBuffer;
  if (freeBytes + ab.byteLength > KEEP_AT_MOST) return;
  let at = 0;
  while (at < free.length && free[at]!.byteLength < ab.byteLength) at++;
  free.splice(at, 0, ab);
  freeBytes += ab.byteLength;
}

/** For tests: how much memory waits to be used again. */
export function recycledBytes(): number {
  return freeBytes;
}
