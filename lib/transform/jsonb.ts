/**
 * What PostgreSQL's jsonb refuses among values JSON itself allows, so that the transform decides, not the
 * migration at apply time: `\u0000` in a string or key ("unsupported Unicode escape sequence": jsonb strings
 * are text, which holds no NUL), a UTF-16 surrogate without its pair ("invalid input syntax for type json"),
 * and numbers outside numeric's range ("value overflows numeric format": at most 16383 digits after the
 * decimal point, and a most significant digit no higher than 10^131071). Each checked against PostgreSQL 15
 * and PGlite's 18: they differ only on a zero with an exponent of INT_MAX/2 or more, which 15 refuses and so
 * do we (the migration then applies on either).
 */
import { JsonNumber, type JsonValue } from './target-rows.js';

/** Why jsonb would refuse `v`, in PostgreSQL's words plus the offending part; null when it takes it. */
export function jsonbRefusal(v: JsonValue): string | null {
  if (v === null || typeof v === 'boolean') return null;
  if (typeof v === 'string') return stringRefusal(v);
  if (v instanceof JsonNumber) return numberRefusal(v.digits);
  if (Array.isArray(v)) {
    for (const x of v) {
      const r = jsonbRefusal(x);
      if (r !== null) return r;
    }
    return null;
  }
  for (const [k, x] of Object.entries(v as Readonly<Record<string, JsonValue>>)) {
    const r = stringRefusal(k) ?? jsonbRefusal(x);
    if (r !== null) return r;
  }
  return null;
}

function stringRefusal(s: string): string | null {
  if (s.includes('\u0000')) return 'unsupported Unicode escape sequence (\\u0000)';
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.exec(s);
  if (lone !== null)
    return `invalid input syntax for type json (a lone surrogate \\u${lone[0].charCodeAt(0).toString(16)})`;
  return null;
}

const NUMBER = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
/** numeric's limits (NUMERIC_DSCALE_MAX; NUMERIC_WEIGHT_MAX base-10000 digits, as a power of ten). */
const MAX_SCALE = 16383;
const MAX_POWER = 131071;

function numberRefusal(digits: string): string | null {
  const m = NUMBER.exec(digits);
  if (m === null) return null; // not produced by our parser
  const int = m[1]!;
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? '0');
  const overflow = `value overflows numeric format (${digits.length > 40 ? digits.slice(0, 40) + '…' : digits})`;
  // numeric's first check, on the exponent alone (INT_MAX / 2)
  if (Math.abs(exp) >= 1073741823) return overflow;
  if (Math.max(0, frac.length - exp) > MAX_SCALE) return overflow;
  const all = int + frac;
  const first = all.search(/[1-9]/);
  if (first === -1) return null; // zero: any exponent
  // the power of ten of the most significant digit
  const power = int.length - 1 - first + exp;
  return power > MAX_POWER ? overflow : null;
}
