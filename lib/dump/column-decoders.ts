/**
 * Decoders from a field's text (as bytes, already un-escaped from COPY or SQL quoting, in UTF-8) to a
 * typed value, following PostgreSQL's own input functions: int4in/int8in (pg_strtoint*), boolin
 * (parse_bool_with_len), byteain (hex and escape formats), numeric_in. They throw MigrateError without a
 * position; the parser adds file, line, table and column.
 */
import { isUtf8 } from 'node:buffer';
import { MigrateError, excerptOf } from '../errors.js';
import type { ColumnType, Value } from './values.js';
import { decodeHexBlocks } from './hex-decode.js';
import { BACKSLASH, SPACE } from './sql-bytes.js';

export type Decode = (src: Buffer, start: number, end: number) => Value;

export interface ColumnDecoder {
  readonly type: ColumnType;
  readonly decode: Decode;
  /** The same, for bytes already known to be valid UTF-8 without NUL (the COPY reader checks each line
   * once, as PostgreSQL does, instead of each field). */
  readonly decodeValid: Decode;
}

function isPgSpace(c: number): boolean {
  // PostgreSQL's isspace() in the C locale: space, \t, \n, \v, \f, \r
  return c === SPACE || (c >= 0x09 && c <= 0x0d);
}

/** Buffer's own range decoders: no view object per field (they are not in @types/node). */
interface RangeDecoders {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

export function decodeText(src: Buffer, start: number, end: number): string {
  if (end === start) return '';
  // Decode straight from the range; only when the result holds U+FFFD (the replacement character, or a
  // genuine U+FFFD in the data) is the range validated strictly. Valid text pays for one decode.
  const s = (src as unknown as RangeDecoders).utf8Slice(start, end);
  if (s.includes('\uFFFD') && !isUtf8(src.subarray(start, end))) throw invalidUtf8(src, start, end);
  if (s.includes('\u0000')) throw nulInText();
  return s;
}

function invalidUtf8(src: Buffer, start: number, end: number): MigrateError {
  return new MigrateError(
    'ENCODING_INVALID',
    `invalid byte sequence for encoding "UTF8": ${firstBadUtf8(src.subarray(start, end))}`,
    { excerpt: excerptOf(src, start, end) },
  );
}

/**
 * Text PostgreSQL checks as a whole, whatever the column's type (even bytea): a statement as the server
 * receives it, and a string literal after its escapes when an escape made a byte >= 0x80 or a NUL (E'\xff'
 * is "invalid byte sequence" in PostgreSQL's lexer). Valid UTF-8, no NUL.
 */
export function checkUtf8Text(src: Buffer, start: number, end: number): void {
  if (!isUtf8(src.subarray(start, end))) throw invalidUtf8(src, start, end);
  if (src.subarray(start, end).indexOf(0) !== -1) throw nulInText();
}

function nulInText(): MigrateError {
  return new MigrateError(
    'ENCODING_INVALID',
    'invalid byte sequence for encoding "UTF8": 0x00 (text cannot contain NUL bytes)',
  );
}

/**
 * Text that nobody will read (a table the caller does not migrate): checked as text input would be
 * (valid UTF-8, no NUL), never made into a string. Its value is null.
 */
export const CHECKED_TEXT: ColumnDecoder = {
  type: 'text',
  decode(src, start, end) {
    const part = src.subarray(start, end);
    if (!isUtf8(part)) throw invalidUtf8(src, start, end);
    if (part.indexOf(0) !== -1) throw nulInText();
    return null;
  },
  decodeValid: () => null,
};

/** Text from bytes already checked: valid UTF-8, no NUL. */
export function decodeValidText(src: Buffer, start: number, end: number): string {
  return end === start ? '' : (src as unknown as RangeDecoders).utf8Slice(start, end);
}

/** Latin-1 text of a range (ASCII-only data: numbers, booleans, hex). */
export function latin1(src: Buffer, start: number, end: number): string {
  return (src as unknown as RangeDecoders).latin1Slice(start, end);
}

/** The first offending byte(s) of invalid UTF-8, in PostgreSQL's `0xNN 0xNN` style. */
function firstBadUtf8(b: Buffer): string {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len === 0 || i + len > b.length || !isUtf8(b.subarray(i, i + len))) {
      return Array.from(
        b.subarray(i, Math.min(b.length, i + Math.max(len, 1))),
        (x) => '0x' + x.toString(16).padStart(2, '0'),
      ).join(' ');
    }
    i += len;
  }
  return 'unknown';
}

/** Shared by int2/int4/int8: whitespace, optional sign, digits, whitespace (pg_strtoint, PostgreSQL 15). */
function integerDigits(src: Buffer, start: number, end: number): { neg: boolean; from: number; to: number } | null {
  let i = start;
  while (i < end && isPgSpace(src[i]!)) i++;
  let neg = false;
  if (i < end && (src[i] === 0x2d || src[i] === 0x2b)) {
    neg = src[i] === 0x2d;
    i++;
  }
  const from = i;
  while (i < end && src[i]! >= 0x30 && src[i]! <= 0x39) i++;
  const to = i;
  if (to === from) return null;
  while (i < end && isPgSpace(src[i]!)) i++;
  if (i !== end) return null;
  return { neg, from, to };
}

function integerDecoder(min: number, max: number, pgName: string): Decode {
  return (src, start, end) => {
    const d = integerDigits(src, start, end);
    if (d === null)
      throw new MigrateError('VALUE_INTEGER', `invalid input syntax for type ${pgName}: ${excerptOf(src, start, end)}`);
    let v = 0;
    for (let i = d.from; i < d.to; i++) {
      v = v * 10 + (src[i]! - 0x30);
      if (v > 2 ** 53) break; // far out of range already; stop before losing precision
    }
    if (d.neg) v = -v;
    if (v < min || v > max)
      throw new MigrateError('VALUE_INTEGER', `value ${excerptOf(src, start, end)} is out of range for type ${pgName}`);
    return v === 0 ? 0 : v; // never -0
  };
}

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

function decodeInt8(src: Buffer, start: number, end: number): string {
  const d = integerDigits(src, start, end);
  if (d === null)
    throw new MigrateError('VALUE_BIGINT', `invalid input syntax for type bigint: ${excerptOf(src, start, end)}`);
  const n = BigInt(src.toString('latin1', d.from, d.to)) * (d.neg ? -1n : 1n);
  if (n < INT8_MIN || n > INT8_MAX)
    throw new MigrateError('VALUE_BIGINT', `value ${excerptOf(src, start, end)} is out of range for type bigint`);
  return n.toString();
}

const DECIMAL_RE =
  /^[ \t\n\v\f\r]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:NaN|Infinity|inf))[ \t\n\v\f\r]*$/i;

/**
 * numeric and the float types keep their exact text (trimmed of the white space their input functions
 * ignore): numeric's digits must survive, and PostgreSQL's float output is already the shortest exact form.
 */
function decimalDecoder(pgName: string): Decode {
  return (src, start, end) => {
    const m = DECIMAL_RE.exec(latin1(src, start, end));
    if (m === null)
      throw new MigrateError('VALUE_NUMERIC', `invalid input syntax for type ${pgName}: ${excerptOf(src, start, end)}`);
    return m[1]!;
  };
}

/** boolin: trimmed, case-insensitive, any unique prefix of true/false/yes/no, on/off, 1/0. */
export function decodeBool(src: Buffer, start: number, end: number): boolean {
  let s = start;
  let e = end;
  while (s < e && isPgSpace(src[s]!)) s++;
  while (e > s && isPgSpace(src[e - 1]!)) e--;
  const word = src.toString('latin1', s, e).toLowerCase();
  const len = word.length;
  if (len > 0) {
    const c = word[0];
    if (c === 't' && 'true'.startsWith(word)) return true;
    if (c === 'f' && 'false'.startsWith(word)) return false;
    if (c === 'y' && 'yes'.startsWith(word)) return true;
    if (c === 'n' && 'no'.startsWith(word)) return false;
    if (c === 'o' && len >= 2) {
      if ('on'.startsWith(word)) return true;
      if ('off'.startsWith(word)) return false;
    }
    if (word === '1') return true;
    if (word === '0') return false;
  }
  throw new MigrateError('VALUE_BOOLEAN', `invalid input syntax for type boolean: ${excerptOf(src, start, end)}`);
}

/**
 * Two hex digits (as one little-endian 16-bit load) → their byte, or -1: a 128 kB table, built the first
 * time a hex bytea is decoded (not at start-up: most commands never need it).
 */
let hexPairs: Int16Array | null = null;
function hexPairTable(): Int16Array {
  if (hexPairs !== null) return hexPairs;
  const t = new Int16Array(65536).fill(-1);
  const v = (c: number): number =>
    c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
  for (let a = 0; a < 128; a++)
    for (let b = 0; b < 128; b++) if (v(a) >= 0 && v(b) >= 0) t[a | (b << 8)] = (v(a) << 4) | v(b);
  return (hexPairs = t);
}

/** From this many hex digits on, the WebAssembly routine beats the table loop (the call and two copies cost ~0.2 µs). */
const BULK_HEX_FROM = 256;

/**
 * The digits of a hex-format bytea (after the `\x`), into the Buffer handed out. Long values: a WebAssembly
 * SIMD routine for the digits in multiples of 32 (hex-decode.ts), the table for the rest; short values: a
 * table, two digits per lookup, straight from the buffer (no intermediate string). On any surprise (odd
 * length, a non-hex byte, whitespace) the exact slow path decides and explains.
 */
export function decodeByteaHexDigits(src: Buffer, start: number, end: number): Buffer {
  const n = end - start;
  if ((n & 1) === 0) {
    const out = Buffer.allocUnsafe(n >> 1);
    const bulk = n >= BULK_HEX_FROM ? n & ~31 : 0;
    if (
      (bulk === 0 || decodeHexBlocks(src, start, bulk, out, 0)) &&
      decodePairs(src, start + bulk, end, out, bulk >> 1)
    )
      return out;
  }
  return decodeByteaHexSlow(src, start, end);
}

function decodePairs(src: Buffer, start: number, end: number, out: Buffer, at: number): boolean {
  const HEX_PAIRS = hexPairTable();
  for (let i = at, j = start; j < end; i++, j += 2) {
    const b = HEX_PAIRS[src[j]! | (src[j + 1]! << 8)]!;
    if (b < 0) return false;
    out[i] = b;
  }
  return true;
}

/** byteain's hex_decode: pairs of hex digits, whitespace allowed between pairs. */
function decodeByteaHexSlow(src: Buffer, start: number, end: number): Buffer {
  const out = Buffer.allocUnsafe((end - start) >> 1);
  let o = 0;
  let i = start;
  while (i < end) {
    const c = src[i]!;
    if (isPgSpace(c)) {
      i++;
      continue;
    }
    const hi = hexVal(c);
    if (hi < 0)
      throw new MigrateError('VALUE_BYTEA', `invalid hexadecimal digit: ${JSON.stringify(String.fromCharCode(c))}`, {
        excerpt: excerptOf(src, start, end),
      });
    if (i + 1 >= end)
      throw new MigrateError('VALUE_BYTEA', 'invalid hexadecimal data: odd number of digits', {
        excerpt: excerptOf(src, start, end),
      });
    const lo = hexVal(src[i + 1]!);
    if (lo < 0)
      throw new MigrateError(
        'VALUE_BYTEA',
        `invalid hexadecimal digit: ${JSON.stringify(String.fromCharCode(src[i + 1]!))}`,
        { excerpt: excerptOf(src, start, end) },
      );
    out[o++] = (hi << 4) | lo;
    i += 2;
  }
  return Buffer.from(out.subarray(0, o));
}

export function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function isOct(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x37;
}

/** byteain: `\x` hex format, else escape format (`\\`, `\ooo`, other bytes as they are). */
export function decodeBytea(src: Buffer, start: number, end: number): Buffer {
  if (end - start >= 2 && src[start] === BACKSLASH && src[start + 1] === 0x78)
    return decodeByteaHexDigits(src, start + 2, end);
  let bs = src.indexOf(BACKSLASH, start);
  if (bs === -1 || bs >= end) return Buffer.from(src.subarray(start, end));
  const out = Buffer.allocUnsafe(end - start);
  let o = 0;
  let i = start;
  while (bs !== -1 && bs < end) {
    o += src.copy(out, o, i, bs);
    const c1 = bs + 1 < end ? src[bs + 1] : undefined;
    if (c1 === BACKSLASH) {
      out[o++] = BACKSLASH;
      i = bs + 2;
    } else if (
      c1 !== undefined &&
      c1 >= 0x30 &&
      c1 <= 0x33 &&
      isOct(src[bs + 2]) &&
      isOct(src[bs + 3]) &&
      bs + 3 < end
    ) {
      out[o++] = ((c1 - 0x30) << 6) | ((src[bs + 2]! - 0x30) << 3) | (src[bs + 3]! - 0x30);
      i = bs + 4;
    } else {
      throw new MigrateError('VALUE_BYTEA', 'invalid input syntax for type bytea', {
        excerpt: excerptOf(src, start, end),
      });
    }
    bs = src.indexOf(BACKSLASH, i);
  }
  if (i < end) o += src.copy(out, o, i, end);
  return Buffer.from(out.subarray(0, o));
}

const TIMESTAMP_RE = /^(?:\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?: BC)?|-?infinity)$/;
const TIMESTAMPTZ_RE =
  /^(?:\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?[+-]\d{2}(?::\d{2}){0,2}(?: BC)?|-?infinity)$/;

function timestampDecoder(re: RegExp, pgName: string, text: Decode): Decode {
  return (src, start, end) => {
    const t = text(src, start, end) as string;
    // pg_dump always writes DateStyle ISO; anything else would be read differently by the transform.
    if (!re.test(t))
      throw new MigrateError(
        'VALUE_TIMESTAMP',
        `expected a ${pgName} in ISO form (YYYY-MM-DD HH:MM:SS[.ffffff]), got ${excerptOf(src, start, end)}`,
      );
    if (!fieldsInRange(t))
      throw new MigrateError(
        'VALUE_TIMESTAMP',
        `a ${pgName} with a field out of range, as pg_dump never writes one (PostgreSQL refuses it, or moves 24:00:00 and :60 to the next day or minute), got ${excerptOf(src, start, end)}`,
      );
    return t;
  };
}

/**
 * The fields of an ISO timestamp as pg_dump writes them (PostgreSQL's output is normalised): a real day of
 * the proleptic Gregorian calendar (1 BC is a leap year), hours to 23, minutes and seconds to 59, years from
 * 4713 BC to 294276 AD.
 */
function fieldsInRange(t: string): boolean {
  if (t.endsWith('infinity')) return true;
  const m = /^(\d+)-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(t)!;
  const [year, month, day, h, min, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const bc = t.endsWith(' BC');
  if (year < 1 || year > (bc ? 4713 : 294276) || month < 1 || month > 12 || day < 1 || h > 23 || min > 59 || sec > 59)
    return false;
  const y = bc ? 1 - year : year; // astronomical year: 1 BC is year 0, a leap year
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

const DECODERS: Record<ColumnType, Decode> = {
  text: decodeText,
  other: decodeText,
  int2: integerDecoder(-32768, 32767, 'smallint'),
  int4: integerDecoder(-2147483648, 2147483647, 'integer'),
  int8: decodeInt8,
  numeric: decimalDecoder('numeric'),
  float: decimalDecoder('double precision'),
  bool: decodeBool,
  bytea: decodeBytea,
  timestamp: timestampDecoder(TIMESTAMP_RE, 'timestamp', decodeText),
  timestamptz: timestampDecoder(TIMESTAMPTZ_RE, 'timestamp with time zone', decodeText),
};

const VALID_DECODERS: Partial<Record<ColumnType, Decode>> = {
  text: decodeValidText,
  other: decodeValidText,
  timestamp: timestampDecoder(TIMESTAMP_RE, 'timestamp', decodeValidText),
  timestamptz: timestampDecoder(TIMESTAMPTZ_RE, 'timestamp with time zone', decodeValidText),
};

export function decoderFor(type: ColumnType): ColumnDecoder {
  return { type, decode: DECODERS[type], decodeValid: VALID_DECODERS[type] ?? DECODERS[type] };
}
