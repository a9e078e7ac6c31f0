/**
 * An unquoted constant in an INSERT (a number, TRUE/FALSE) has a type of its own in PostgreSQL, unlike a quoted
 * string, whose type the column decides. PostgreSQL assigns it to the column by its assignment casts: a number
 * into a text column is stored as the number's text after numeric parsing (`007` → `7`, `1e3` → `1000`,
 * `1.50` → `1.50`), a number into an integer column is rounded, TRUE into text is `true`, and a number into a
 * boolean, bytea or timestamp column (TRUE into anything but boolean and text) is refused. pg_dump never writes
 * such a constant for a text column; a hand-edited dump can, and the reader stores what PostgreSQL would.
 */
import { MigrateError } from '../errors.js';
import type { ColumnDecoder } from './column-decoders.js';
import type { Value } from './values.js';

/** numeric_in refuses an exponent beyond ±NUMERIC_MAX_PRECISION (PostgreSQL 15). */
const MAX_EXPONENT = 1000;

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The text PostgreSQL prints for a numeric constant: an integer without its leading zeros; a decimal with as
 * many fraction digits as written, less the exponent (numeric_in's display scale), never fewer than none.
 */
export function numberConstantText(written: string): string {
  const m = NUMBER_RE.exec(written);
  if (m === null) throw new MigrateError('SQL_SYNTAX', `not a number: ${written}`);
  const [, sign, int = '', frac = '', expText] = m;
  const exp = expText === undefined ? 0 : Number(expText);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT)
    throw new MigrateError(
      'VALUE_NUMERIC',
      `invalid input syntax for type numeric: "${written}" (exponent out of range)`,
    );
  const scale = Math.max(0, frac.length - exp);
  // all digits, the point moved by the exponent: the integer part is digits[0, point)
  let digits = int + frac;
  let point = int.length + exp;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fraction = digits.slice(point).padEnd(scale, '0').slice(0, scale);
  const zero = /^0*$/.test(whole + fraction);
  return `${sign === '-' && !zero ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`;
}

/** A numeric constant rounded to an integer as PostgreSQL's numeric → integer cast does (half away from zero). */
function roundedInteger(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d))?/.exec(text)!;
  let n = BigInt(m[2]!);
  if (m[3] !== undefined && m[3] >= '5') n += 1n;
  return n === 0n ? '0' : `${m[1]!}${n.toString()}`;
}

function hasPointOrExponent(src: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (src[i] === 0x2e || src[i] === 0x65 || src[i] === 0x45) return true;
  return false;
}

function refused(what: string, type: string, pgType: string): MigrateError {
  return new MigrateError(
    'SQL_VALUE_TYPE',
    `the column is of type ${type} but the unquoted ${what} is of type ${pgType} (PostgreSQL refuses it; quote the value)`,
  );
}

/** The reader's column types as PostgreSQL names them in its errors. */
export const PG_NAMES: Readonly<Record<string, string>> = {
  bool: 'boolean',
  bytea: 'bytea',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
};

/** The value of an unquoted number (written as src[start, end)) in a column of `decoder`'s type. */
export function numberInto(decoder: ColumnDecoder, src: Buffer, start: number, end: number): Value {
  const isInteger = !hasPointOrExponent(src, start, end);
  // the common case (pg_dump's own integers): the integer decoder reads the digits as written
  if (isInteger && (decoder.type === 'int2' || decoder.type === 'int4' || decoder.type === 'int8'))
    return decoder.decode(src, start, end);
  const written = src.toString('latin1', start, end);
  const text = numberConstantText(written);
  switch (decoder.type) {
    case 'bool':
    case 'bytea':
    case 'timestamp':
    case 'timestamptz':
      throw refused(`number ${written}`, PG_NAMES[decoder.type]!, isInteger ? 'integer' : 'numeric');
    case 'int2':
    case 'int4':
    case 'int8': {
      const n = Buffer.from(roundedInteger(text), 'latin1');
      return decoder.decode(n, 0, n.length);
    }
    default: {
      const b = Buffer.from(text, 'latin1');
      return decoder.decode(b, 0, b.length);
    }
  }
}

/** The value of TRUE or FALSE in a column of `decoder`'s type: boolean and text only take it. */
export function booleanInto(decoder: ColumnDecoder, value: boolean): Value {
  if (decoder.type === 'bool') return value;
  if (decoder.type === 'text' || decoder.type === 'other') return value ? 'true' : 'false';
  throw refused(`constant ${value ? 'TRUE' : 'FALSE'}`, PG_NAMES[decoder.type] ?? decoder.type, 'boolean');
}
