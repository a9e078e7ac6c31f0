/**
 * How a value of each column kind is compared: one rule per kind, its SQL form (verify.sql) and its JS form
 * (lib/verify/reconcile.ts, which reads the target's row through readSql and compares with out/data) side by
 * side, so that the two checks cannot mean different things by "equal". tests/compare-kinds.test.ts runs both on
 * PGlite over edge values (jsonb key order and number digits, timestamptz offsets and infinity, NULL against
 * JSON null) and requires that they agree. Pure.
 *
 * - text, uuid, int, bool: equal as PostgreSQL's values (uuid and int through their canonical text).
 * - timestamptz: as instants to the microsecond (an offset is not part of the value; infinity equals infinity).
 * - jsonb: as jsonb's text: key order and whitespace do not count, a number's digits do (3.50 is not 3.5: the
 *   migration keeps them, docs/mapping.md); SQL NULL is not JSON null.
 */
import { parseExactJson } from '../transform/exact-json.js';
import { JsonNumber, type JsonValue } from '../transform/target-rows.js';
import type { ColumnKind } from './target-tables.js';

/** `2023-03-14 09:26:53.589793+00:00` → microseconds since the epoch, exactly (BigInt). */
export function timestamptzMicros(text: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const m =
    /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/.exec(
      text,
    );
  if (m === null) return `unparsable:${text}`;
  const year = m[12] !== undefined ? 1 - Number(m[1]) : Number(m[1]);
  // days since 1970-01-01 of the proleptic Gregorian date by arithmetic, not a JS Date (which ends at 275760-09-13)
  const [mo, day] = [Number(m[2]), Number(m[3])];
  const y = mo <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  const seconds = BigInt(days) * 86400n + BigInt(Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]));
  const offset = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0));
  const micros = (seconds - BigInt(offset)) * 1_000_000n + BigInt((m[7] ?? '').padEnd(6, '0'));
  return micros.toString();
}

/** A decimal's exact value in one canonical form: 1.50, 1.5 and 15e-1 all give the same string. */
export function canonicalDecimal(digits: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(digits);
  if (m === null) return digits;
  let mant = (m[2]! + (m[3] ?? '')).replace(/^0+/, '');
  let exp = BigInt(m[4] ?? '0') - BigInt((m[3] ?? '').length);
  while (mant.endsWith('0')) {
    mant = mant.slice(0, -1);
    exp += 1n;
  }
  if (mant === '') return '0';
  return `${m[1]}${mant}e${exp}`;
}

export interface KindRule {
  /** SQL: true when the two (a column and a value of its type) differ, NULL counted as a value. */
  differsSql(found: string, expected: string): string;
  /**
   * SQL: the value as the rule compares it, for a row-wise IS DISTINCT FROM (the upserts' guards, fresh and real
   * target): the guard and verify.sql judge a value the same, so an apply rewrites what verify would find different.
   */
  comparedSql(value: string): string;
  /** SQL: a column as the text reconcile compares. */
  readSql(column: string): string;
  /** JS: whether the text readSql read (null: SQL NULL) is the value out/data holds. */
  same(expected: JsonValue | undefined, found: string | null): boolean;
}

const distinct = (found: string, expected: string): string => `${found} IS DISTINCT FROM ${expected}`;

/** out/data's value as the text PostgreSQL prints for it (text, uuid, int, bool). */
export function plainText(v: JsonValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof JsonNumber) return v.digits;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return v as string;
}

/** numeric's scale: the digits after the point that numeric prints (1.50 → 2, 1.5e1 → 0, 1.50e-1 → 3). */
function numericScale(digits: string): number {
  const m = /^-?\d+(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(digits);
  return m === null ? -1 : Math.max(0, (m[1] ?? '').length - Number(m[2] ?? '0'));
}

/** jsonb equality as jsonb's text decides it: objects by key, arrays in order, numbers by value and by scale. */
export function jsonbTextEqual(a: JsonValue, b: JsonValue): boolean {
  if (a instanceof JsonNumber || b instanceof JsonNumber) {
    return (
      a instanceof JsonNumber &&
      b instanceof JsonNumber &&
      canonicalDecimal(a.digits) === canonicalDecimal(b.digits) &&
      numericScale(a.digits) === numericScale(b.digits)
    );
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b))
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((x, i) => jsonbTextEqual(x as JsonValue, b[i] as JsonValue))
    );
  const ak = Object.keys(a);
  const bo = b as Record<string, JsonValue>;
  return (
    ak.length === Object.keys(bo).length &&
    ak.every((k) => k in bo && jsonbTextEqual((a as Record<string, JsonValue>)[k]!, bo[k]!))
  );
}

const plain: KindRule = {
  differsSql: distinct,
  comparedSql: (v) => v,
  readSql: (c) => `${c}::text`,
  same: (e, f) => plainText(e) === f,
};

/**
 * A real target's column (its format_type(), lib/sql/target-model/shape.ts) by the kind whose rule compares it:
 * the app's own columns are compared as the model's are (jsonb by its text), whatever their declared type.
 */
export function kindOfType(type: string): ColumnKind {
  if (type === 'jsonb' || type === 'json') return 'jsonb';
  if (type === 'uuid') return 'uuid';
  if (type === 'boolean') return 'bool';
  if (type === 'integer' || type === 'smallint' || type === 'bigint') return 'int';
  if (type === 'timestamp with time zone') return 'timestamptz';
  return 'text';
}

export const COMPARE: Readonly<Record<ColumnKind, KindRule>> = {
  uuid: plain,
  int: plain,
  bool: plain,
  text: { ...plain, readSql: (c) => c },
  timestamptz: {
    differsSql: distinct,
    comparedSql: (v) => v,
    // numeric, never bigint: extract's epoch is exact numeric, and past about 294247 micros overflow bigint
    readSql: (c) => `CASE WHEN isfinite(${c}) THEN trunc(extract(epoch FROM ${c}) * 1000000)::text ELSE ${c}::text END`,
    same: (e, f) => (e === null || e === undefined ? f === null : f !== null && timestamptzMicros(e as string) === f),
  },
  jsonb: {
    differsSql: (found, expected) => distinct(`${found}::text`, `${expected}::text`),
    comparedSql: (v) => `${v}::text`,
    readSql: (c) => `${c}::text`,
    // a missing value is written as JSON null (lib/sql/values.ts), never as SQL NULL
    same: (e, f) => {
      const parsed = f === null ? undefined : parseExactJson(f);
      return parsed !== undefined && jsonbTextEqual(e ?? null, parsed);
    },
  },
};

/**
 * SQL: true when one column's value differs between two row images (to_jsonb of a row: what a run left, as the
 * ledger recorded it, and the row as it stands; app-edits.ts at apply time, target-model/advance-sql.ts in advance),
 * by the rules above: a jsonb column by jsonb's text (an app's 3.50 → 3.5 is an edit, though jsonb's own = calls
 * them equal), text, uuid, int and bool by their values, which to_jsonb writes as one JSON text each. Not for
 * timestamptz (to_jsonb writes it in the session's time zone): the app's edits are compared over the columns a run
 * writes, never created_at or updated_at.
 */
export const imageDiffersSql = (recorded: string, current: string): string =>
  COMPARE.jsonb.differsSql(`(${recorded})`, `(${current})`);
