/**
 * The bytes a parser has been given and not yet consumed, as pg-protocol's BufferReader keeps them: the
 * caller's chunk is used as it is when nothing is pending (no copy); a line or statement that spans chunks
 * is gathered into a store of our own that grows by doubling and shrinks again after a huge one.
 *
 * Indexes into `bytes` count from bytes[0]. When consumed bytes are dropped, every index the owner holds
 * moves down by the same amount: add() and release() return that amount, and the owner shifts its own
 * positions (the buffer does not know them). `offsetOf` turns an index into an offset in the whole input.
 *
 * Byte searches that remember their answer (NextByte) are made here, by `finder`, and forgotten whenever the
 * bytes change, so a caller that reads its next chunk into the same Buffer object never gets a stale answer.
 */
import { collectGarbage, LARGE_PART } from '../collect-garbage.js';
import { NextByte } from './byte-scan.js';

const EMPTY = Buffer.alloc(0);
const FIRST_STORE = 1 << 16;
/** A store larger than this, and over 4× what is pending, is let go for a smaller one. */
const SHRINK_ABOVE = 1 << 24;

export class ChunkBuffer {
  /** Everything held: consumed bytes (up to the index the owner passes in) and pending ones after them. */
  private held: Buffer = EMPTY;
  private store: Buffer = EMPTY;
  /** Offset of held[0] in the whole input. */
  private base = 0;
  /** Counts every change of `held` (new bytes, or bytes moved); caches keyed on it stay honest. */
  private version = 0;
  private readonly finders: NextByte[] = [];
  /** A multi-MB store was outgrown since the last release(). */
  private outgrew = false;

  get bytes(): Buffer {
    return this.held;
  }

  /** Changes whenever `bytes` does: an answer computed from `bytes` stays good while this stays equal. */
  get generation(): number {
    return this.version;
  }

  /** Starts the count of offsets mid-file (a parser resumed at a known offset). */
  startAt(offset: number): void {
    this.base = offset;
  }

  offsetOf(index: number): number {
    return this.base + index;
  }

  /** Whether `bytes` is our own store (not the caller's chunk): bytes there may be rewritten in place. */
  ownsBytes(): boolean {
    return this.held.buffer === this.store.buffer && this.held.byteOffset === this.store.byteOffset;
  }

  /** A `bytes.indexOf(byte, from)` that remembers its answer until the bytes change. */
  finder(byte: number): (from: number) => number {
    const f = new NextByte(byte);
    this.finders.push(f);
    return (from) => f.find(this.held, from);
  }

  /**
   * Appends a chunk after bytes[consumed, …). Returns how far indexes moved down (consumed bytes dropped).
   * The chunk may be referenced until release(): call it before the caller reuses the chunk.
   */
  add(chunk: Buffer, consumed: number): number {
    if (this.held.length === consumed) return this.replace(chunk);
    return this.gather(chunk, consumed);
  }

  /**
   * Lets go of the caller's chunk: drops what was consumed, copies what is pending into the store. A store
   * left oversized by a huge line already consumed is let go here too, not when it next fills up.
   */
  release(consumed: number): number {
    let moved = 0;
    const pending = this.held.length - consumed;
    if (pending === 0) moved = this.replace(EMPTY);
    else if (!this.ownsBytes() || this.oversized(pending)) moved = this.gather(EMPTY, consumed);
    if (this.outgrew) {
      // A line of many MB outgrew a store of many MB, now garbage; but V8 frees an external buffer only at a
      // full collection, so dead stores (each half the next) held the line's bytes a second time while it was
      // decoded. Collected here, where nothing refers to them any more.
      this.outgrew = false;
      collectGarbage();
    }
    return moved;
  }

  /** Everything held was consumed: continue with `next`. */
  private replace(next: Buffer): number {
    const moved = this.held.length;
    this.base += moved;
    this.held = next;
    this.changed();
    return moved;
  }

  /** held[consumed, end) followed by the chunk, in the store (grown or shrunk as needed). */
  private gather(chunk: Buffer, consumed: number): number {
    const held = this.held;
    const store = this.store;
    const owned = this.ownsBytes();
    const pending = held.length - consumed;
    const need = pending + chunk.length;
    this.changed();
    if (owned && held.length + chunk.length <= store.length && !this.oversized(need)) {
      // room after what we hold: append in place, indexes stay valid
      chunk.copy(store, held.length);
      this.held = store.subarray(0, held.length + chunk.length);
      return 0;
    }
    let target = store;
    if (store.length < need || this.oversized(need)) {
      // grow by doubling; or shrink back after a huge line was consumed
      let size = FIRST_STORE;
      while (size < need * 2) size *= 2;
      target = Buffer.allocUnsafe(size);
    }
    if (owned && target === store) store.copyWithin(0, consumed, held.length);
    else held.copy(target, 0, consumed);
    chunk.copy(target, pending);
    if (target !== store && store.length >= LARGE_PART) this.outgrew = true;
    this.store = target;
    this.base += consumed;
    this.held = target.subarray(0, need);
    return consumed;
  }

  private oversized(need: number): boolean {
    return this.store.length > Math.max(SHRINK_ABOVE, need * 4);
  }

  private changed(): void {
    this.version++;
    for (const f of this.finders) f.reset();
  }
}
