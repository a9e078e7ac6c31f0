/**
 * One line of COPY text format → typed values, exactly as PostgreSQL's CopyReadAttributesText reads it:
 * fields split on raw tabs (a backslash-escaped tab is data), `\N` is NULL only when the raw field is
 * exactly `\N`, escapes `\b \f \n \r \t \v`, octal `\1`..`\377`, hex `\xH`/`\xHH`, any other `\c` = `c`.
 * A `\.` inside a line is "end-of-copy marker corrupt", as in PostgreSQL.
 */
import { MigrateError, excerptOf } from '../errors.js';
import { NextByte, Scratch } from './byte-scan.js';
import { isUtf8 } from 'node:buffer';
import { checkUtf8Text, decodeByteaHexDigits, hexVal, type ColumnDecoder } from './column-decoders.js';
import { BACKSLASH, TAB } from './sql-bytes.js';
import type { Value } from './values.js';

/** Lines up to this long take the one-loop path. */
const SHORT_LINE = 256;
/** Text fields from this long on (bytes to the end of the line) are un-escaped in place when allowed. */
const IN_PLACE_FROM = 1 << 20;

/** Copies src[from, to) to out[o]: a plain loop for the short runs between escapes (Buffer.copy's
 * call overhead dominates there), Buffer.copy for long ones. Returns the new output length. */
function copyRun(src: Buffer, out: Buffer, o: number, from: number, to: number): number {
  if (to - from < 64) {
    for (let k = from; k < to; k++) out[o++] = src[k]!;
    return o;
  }
  return o + src.copy(out, o, from, to);
}

function extraData(src: Buffer, start: number, end: number): MigrateError {
  return new MigrateError('COPY_EXTRA_DATA', 'extra data after last expected column', {
    excerpt: excerptOf(src, start, end),
  });
}

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

  /**
   * Decodes the line [start, end) (end of line excluded). Errors carry the column; the caller adds the rest.
   * `knownValid`: the caller already checked these bytes are valid UTF-8 without NUL. `ownsSrc`: the bytes are
   * the caller's own copy, consumed once this returns: a long text field is then un-escaped where it is.
   */
  decode(src: Buffer, start: number, end: number, knownValid = false, ownsSrc = false): Value[] {
    // PostgreSQL verifies the input's encoding once, and a field again only when its escapes made a byte
    // >= 0x80 or a NUL. So do we: the caller checks whole stretches of lines, or we check this line once.
    let lineValid = knownValid;
    if (!lineValid) {
      const line = src.subarray(start, end);
      lineValid = isUtf8(line) && line.indexOf(0) === -1;
    }
    if (end - start <= SHORT_LINE) return this.decodeShort(src, start, end, lineValid);
    const n = this.decoders.length;
    const out = new Array<Value>(n);
    let field = 0;
    let pos = start;
    for (;;) {
      if (field >= n) throw extraData(src, start, end);
      let tab = this.tab.find(src, pos);
      if (tab === -1 || tab > end) tab = end;
      let bs = this.backslash.find(src, pos);
      if (bs === -1 || bs > end) bs = end;
      const decoder = this.decoders[field]!;
      let fieldEnd: number;
      try {
        if (bs >= tab) {
          fieldEnd = tab;
          out[field] = lineValid ? decoder.decodeValid(src, pos, tab) : decoder.decode(src, pos, tab);
        } else if (bs === pos && src[pos + 1] === 0x4e /* N */ && pos + 2 === tab) {
          fieldEnd = tab;
          out[field] = null;
        } else if (
          decoder.type === 'bytea' &&
          bs === pos &&
          src[pos + 1] === BACKSLASH &&
          src[pos + 2] === 0x78 &&
          this.noBackslashIn(src, pos + 3, tab)
        ) {
          // hex bytea, the bulk of an image dump: `\\x` then digits; decode the digits in place.
          fieldEnd = tab;
          out[field] = decodeByteaHexDigits(src, pos + 3, tab);
        } else {
          // A long text field (a prompt of many MB) is un-escaped in place (the result is never longer) when the
          // bytes are ours to change: a copy in the scratch buffer would hold the field a third time, beside
          // the line and the string made from it (20 MB prompt: 115 -> 92 MB peak RSS reading it).
          const inPlace =
            ownsSrc && end - pos >= IN_PLACE_FROM && (decoder.type === 'text' || decoder.type === 'other');
          const len = this.unescape(src, pos, end, inPlace);
          fieldEnd = this.fieldEnd;
          const [buf, at] = inPlace ? [src, pos] : [this.scratch.buf, 0];
          out[field] =
            lineValid && !this.sawHighOrNul
              ? decoder.decodeValid(buf, at, at + len)
              : decoder.decode(buf, at, at + len);
        }
      } catch (e) {
        throw this.inColumn(e, field);
      }
      field++;
      if (fieldEnd >= end) break;
      pos = fieldEnd + 1;
    }
    if (field < n) throw this.missingData(field, src, start, end);
    this.scratch.shrink();
    return out;
  }

  /**
   * A row nobody reads (see TableResolver.valuesWanted): checked as PostgreSQL would read it, no values
   * made. A short, valid line whose escapes are all of the kinds that cannot fail (`\\`, `\t`, `\n`, ...)
   * only needs its fields counted, in one byte loop; anything else (an octal or hex escape that may make
   * a byte >= 0x80 or a NUL, a `\.`, a wrong field count, a long or unchecked line) goes the exact way,
   * which throws what PostgreSQL would.
   */
  check(src: Buffer, start: number, end: number, knownValid: boolean): void {
    if (knownValid && end - start <= SHORT_LINE) {
      let fields = 1;
      let i = start;
      for (; i < end; i++) {
        const c = src[i]!;
        if (c === TAB) fields++;
        else if (c === BACKSLASH) {
          const e = src[i + 1];
          if (e === 0x2e /* . */ || e === 0x78 /* x */ || (e !== undefined && e >= 0x30 && e <= 0x37)) break;
          i++; // the escaped byte is data, even a tab
        }
      }
      if (i >= end && fields === this.decoders.length) return;
    }
    this.decode(src, start, end, knownValid);
  }

  /**
   * Short lines (most rows of most tables): one byte loop finds every field's end and whether it holds a
   * backslash, instead of an indexOf call per field and per escape.
   */
  private decodeShort(src: Buffer, start: number, end: number, lineValid: boolean): Value[] {
    const n = this.decoders.length;
    const out = new Array<Value>(n);
    let field = 0;
    let pos = start;
    let i = start;
    for (;;) {
      let escaped = false;
      while (i < end) {
        const c = src[i]!;
        if (c === TAB) break;
        if (c === BACKSLASH) {
          escaped = true;
          i += 2; // the escaped byte is data, even a tab
          continue;
        }
        i++;
      }
      if (i > end) i = end; // a trailing backslash
      if (field >= n) throw extraData(src, start, end);
      const decoder = this.decoders[field]!;
      try {
        if (!escaped) out[field] = lineValid ? decoder.decodeValid(src, pos, i) : decoder.decode(src, pos, i);
        else if (i - pos === 2 && src[pos + 1] === 0x4e /* N */) out[field] = null;
        else {
          const len = this.unescape(src, pos, end);
          out[field] =
            lineValid && !this.sawHighOrNul
              ? decoder.decodeValid(this.scratch.buf, 0, len)
              : decoder.decode(this.scratch.buf, 0, len);
        }
      } catch (e) {
        throw this.inColumn(e, field);
      }
      field++;
      if (i >= end) break;
      i++;
      pos = i;
    }
    if (field < n) throw this.missingData(field, src, start, end);
    return out;
  }

  private fieldEnd = 0;

  /** An error from a field's decoder, with the column it was decoding. */
  private inColumn(e: unknown, field: number): unknown {
    return e instanceof MigrateError ? e.withPosition({ column: this.columns[field] }) : e;
  }

  private missingData(field: number, src: Buffer, start: number, end: number): MigrateError {
    return new MigrateError('COPY_MISSING_DATA', `missing data for column "${this.columns[field]}"`, {
      column: this.columns[field],
      excerpt: excerptOf(src, start, end),
    });
  }
  /** Whether the last unescape made a byte >= 0x80 or a NUL from an escape (then it is checked again). */
  private sawHighOrNul = false;

  private noBackslashIn(src: Buffer, start: number, end: number): boolean {
    const i = this.backslash.find(src, start);
    return i === -1 || i >= end;
  }

  /**
   * The un-escaped field's length, once checked as PostgreSQL checks a field whose escapes made a byte >= 0x80 or
   * a NUL: valid UTF-8 in the server's encoding, whatever the column's type (`\xe9` into bytea is "invalid byte
   * sequence", seed 20261212 case 2704).
   */
  private checked(out: Buffer, base: number, o: number): number {
    if (this.sawHighOrNul) checkUtf8Text(out, base, o);
    return o - base;
  }

  /**
   * Un-escapes one field starting at `pos` into the scratch buffer, or `inPlace` over its own bytes from `pos`
   * on (the output never overtakes the input); returns its length and sets fieldEnd to its raw end.
   */
  private unescape(src: Buffer, pos: number, end: number, inPlace = false): number {
    const out = inPlace ? src : this.scratch.ensure(end - pos);
    const base = inPlace ? pos : 0;
    let o = base;
    let i = pos;
    this.sawHighOrNul = false;
    for (;;) {
      let tab = this.tab.find(src, i);
      if (tab === -1 || tab > end) tab = end;
      let bs = this.backslash.find(src, i);
      if (bs === -1 || bs > end) bs = end;
      if (tab <= bs) {
        o = copyRun(src, out, o, i, tab);
        this.fieldEnd = tab;
        return this.checked(out, base, o);
      }
      o = copyRun(src, out, o, i, bs);
      i = bs + 1;
      if (i >= end) {
        // A trailing backslash is dropped, as PostgreSQL does.
        this.fieldEnd = end;
        return this.checked(out, base, o);
      }
      const c = src[i++]!;
      if (c >= 0x30 && c <= 0x37) {
        let v = c - 0x30;
        if (i < end && src[i]! >= 0x30 && src[i]! <= 0x37) {
          v = (v << 3) + (src[i++]! - 0x30);
          if (i < end && src[i]! >= 0x30 && src[i]! <= 0x37) v = (v << 3) + (src[i++]! - 0x30);
        }
        v &= 0xff;
        if (v === 0 || v >= 0x80) this.sawHighOrNul = true;
        out[o++] = v;
      } else if (c === 0x78 /* x */ && i < end && hexVal(src[i]!) >= 0) {
        let v = hexVal(src[i++]!);
        if (i < end && hexVal(src[i]!) >= 0) v = (v << 4) + hexVal(src[i++]!);
        if (v === 0 || v >= 0x80) this.sawHighOrNul = true;
        out[o++] = v;
      } else if (c === 0x2e /* . */) {
        throw new MigrateError(
          'COPY_END_MARKER_CORRUPT',
          'end-of-copy marker corrupt: "\\." must stand alone on its line',
          { excerpt: excerptOf(src, pos, end) },
        );
      } else {
        out[o++] = SIMPLE_ESCAPES[c] ?? c;
      }
    }
  }
}
