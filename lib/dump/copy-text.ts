/**
 * One line of COPY text format → typed values, exactly as PostgreSQL's CopyReadAttributesText reads it:
 * fields split on raw tabs (a backslash-escaped tab is data), `\N` is NULL only when the raw field is
 * exactly `\N`, escapes `\b \f \n \r \t \v`, octal `\1`..`\377`, hex `\xH`/`\xHH`, any other `\c` = `c`.
 * A `\.` inside a line is "end-of-copy marker corrupt", as in PostgreSQL.
 */
import { MigrateError, excerptOf } from '../errors.js';
import { NextByte, Scratch } from './byte-scan.js';
import { decodeByteaHexDigits, hexVal, type ColumnDecoder } from './column-decoders.js';
import type { Value } from './values.js';

const TAB = 0x09;
const BACKSLASH = 0x5c;

const SIMPLE_ESCAPES: Readonly<Record<number, number>> = {
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
  0x76: 0x0b, // \v
};

export class CopyLineDecoder {
  private readonly scratch = new Scratch();
  private readonly backslash = new NextByte(BACKSLASH);
  private readonly tab = new NextByte(TAB);

  constructor(
    readonly columns: readonly string[],
    private readonly decoders: readonly ColumnDecoder[],
  ) {}

  /** Decodes the line [start, end) (end of line excluded). Errors carry the column; the caller adds the rest. */
  decode(src: Buffer, start: number, end: number): Value[] {
    const n = this.decoders.length;
    const out = new Array<Value>(n);
    let field = 0;
    let pos = start;
    for (;;) {
      if (field >= n) throw new MigrateError('COPY_EXTRA_DATA', 'extra data after last expected column', { excerpt: excerptOf(src, start, end) });
      let tab = this.tab.find(src, pos);
      if (tab === -1 || tab > end) tab = end;
      let bs = this.backslash.find(src, pos);
      if (bs === -1 || bs > end) bs = end;
      const decoder = this.decoders[field]!;
      let fieldEnd: number;
      try {
        if (bs >= tab) {
          fieldEnd = tab;
          out[field] = decoder.decode(src, pos, tab);
        } else if (bs === pos && src[pos + 1] === 0x4e /* N */ && pos + 2 === tab) {
          fieldEnd = tab;
          out[field] = null;
        } else if (decoder.type === 'bytea' && bs === pos && src[pos + 1] === BACKSLASH && src[pos + 2] === 0x78 && this.noBackslashIn(src, pos + 3, tab)) {
          // hex bytea, the bulk of an image dump: `\\x` then digits; decode the digits in place.
          fieldEnd = tab;
          out[field] = decodeByteaHexDigits(src, pos + 3, tab);
        } else {
          const len = this.unescape(src, pos, end);
          fieldEnd = this.fieldEnd;
          out[field] = decoder.decode(this.scratch.buf, 0, len);
        }
      } catch (e) {
        if (e instanceof MigrateError) throw e.withPosition({ column: this.columns[field] });
        throw e;
      }
      field++;
      if (fieldEnd >= end) break;
      pos = fieldEnd + 1;
    }
    if (field < n) throw new MigrateError('COPY_MISSING_DATA', `missing data for column "${this.columns[field]}"`, { column: this.columns[field], excerpt: excerptOf(src, start, end) });
    this.scratch.shrink();
    return out;
  }

  private fieldEnd = 0;

  private noBackslashIn(src: Buffer, start: number, end: number): boolean {
    const i = this.backslash.find(src, start);
    return i === -1 || i >= end;
  }

  /** Un-escapes one field starting at `pos` into the scratch buffer; sets fieldEnd to its raw end. */
  private unescape(src: Buffer, pos: number, end: number): number {
    const out = this.scratch.ensure(end - pos);
    let o = 0;
    let i = pos;
    for (;;) {
      let tab = this.tab.find(src, i);
      if (tab === -1 || tab > end) tab = end;
      let bs = this.backslash.find(src, i);
      if (bs === -1 || bs > end) bs = end;
      if (tab <= bs) {
        o += src.copy(out, o, i, tab);
        this.fieldEnd = tab;
        return o;
      }
      o += src.copy(out, o, i, bs);
      i = bs + 1;
      if (i >= end) {
        // A trailing backslash is dropped, as PostgreSQL does.
        this.fieldEnd = end;
        return o;
      }
      const c = src[i++]!;
      if (c >= 0x30 && c <= 0x37) {
        let v = c - 0x30;
        if (i < end && src[i]! >= 0x30 && src[i]! <= 0x37) {
          v = (v << 3) + (src[i++]! - 0x30);
          if (i < end && src[i]! >= 0x30 && src[i]! <= 0x37) v = (v << 3) + (src[i++]! - 0x30);
        }
        out[o++] = v & 0xff;
      } else if (c === 0x78 /* x */ && i < end && hexVal(src[i]!) >= 0) {
        let v = hexVal(src[i++]!);
        if (i < end && hexVal(src[i]!) >= 0) v = (v << 4) + hexVal(src[i++]!);
        out[o++] = v;
      } else if (c === 0x2e /* . */) {
        throw new MigrateError('COPY_END_MARKER_CORRUPT', 'end-of-copy marker corrupt: "\\." must stand alone on its line', { excerpt: excerptOf(src, pos, end) });
      } else {
        out[o++] = SIMPLE_ESCAPES[c] ?? c;
      }
    }
  }
}

