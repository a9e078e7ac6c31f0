/**
 * Small byte-level helpers shared by the COPY and SQL scanners.
 */
import { BACKSLASH } from './sql-bytes.js';

/**
 * `buf.indexOf(byte, from)` with memory: the parser walks each buffer forwards, so a previous answer at or
 * after `from` is still the answer. Without this, searching for a byte that is absent from many short
 * lines (a backslash, say) would rescan the rest of a multi-MB buffer once per line.
 */
export class NextByte {
  private buf: Buffer | null = null;
  private from = 0;
  private at = -1;

  constructor(private readonly byte: number) {}

  find(buf: Buffer, from: number): number {
    if (buf === this.buf && from >= this.from && (this.at === -1 || this.at >= from)) return this.at;
    this.buf = buf;
    this.from = from;
    this.at = buf.indexOf(this.byte, from);
    return this.at;
  }

  reset(): void {
    this.buf = null;
  }
}

/** True when the byte at `i` is preceded by an odd number of backslashes (so it is escaped). */
export function isEscaped(src: Buffer, lineStart: number, i: number): boolean {
  let n = 0;
  let j = i - 1;
  while (j >= lineStart && src[j] === BACKSLASH) {
    n++;
    j--;
  }
  return (n & 1) === 1;
}

/** Count of `\n` bytes in [start, end). */
export function countNewlines(src: Buffer, start: number, end: number): number {
  let n = 0;
  let i = src.indexOf(0x0a, start);
  while (i !== -1 && i < end) {
    n++;
    i = src.indexOf(0x0a, i + 1);
  }
  return n;
}

/** A growable byte buffer reused across fields, shrunk back after a huge one. */
export class Scratch {
  buf: Buffer = Buffer.allocUnsafe(4096);

  ensure(n: number): Buffer {
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
    return this.buf;
  }

  /** Called between rows: give back memory a multi-MB field made us take. */
  shrink(): void {
    if (this.buf.length > 1 << 22) this.buf = Buffer.allocUnsafe(4096);
  }
}
