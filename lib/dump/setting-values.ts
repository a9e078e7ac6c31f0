/**
 * The settings pg_dump's plain output sets (versions 9 to 17: search_path and the OID and escape ones by old
 * versions, transaction_timeout by 17), each with the values PostgreSQL 15 takes for it. psql refuses the whole
 * file at `SET xmloption = cootent`, so the reader refuses it too, as psql words it.
 */
/**
 * parse_bool: a unique prefix of true/false/yes/no, on/off (two letters at least), 1/0; any case. No space around
 * it: a setting's boolean is not trimmed (`' on'` is refused), unlike boolean input.
 */
function isBoolean(v: string): boolean {
  const s = v.toLowerCase();
  if (s === '') return false;
  if (s === '1' || s === '0') return true;
  if (s.length >= 2 && ('on'.startsWith(s) || 'off'.startsWith(s))) return true;
  return ['true', 'false', 'yes', 'no'].some((w) => w.startsWith(s));
}

/** A value of one of the listed words, any case (config enums compare case-insensitively). */
function oneOf(...words: string[]): (v: string) => boolean {
  return (v) => words.includes(v.toLowerCase());
}

/** A time in milliseconds within 0 .. 2^31-1, a number or a quoted number with a unit. */
function isTimeout(v: string): boolean {
  // C's isspace around the number and unit (strtod's rule), never JavaScript's \s, which also takes U+FEFF and NBSP
  const m = /^[ \t\n\v\f\r]*(\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\v\f\r]*(us|ms|s|min|h|d)?[ \t\n\v\f\r]*$/.exec(
    v,
  );
  if (m === null) return false;
  const perUnit: Readonly<Record<string, number>> = {
    us: 0.001,
    ms: 1,
    s: 1000,
    min: 60_000,
    h: 3_600_000,
    d: 86_400_000,
  };
  return Number(v.replace(/[a-z]+\s*$/, '')) * perUnit[m[2] ?? 'ms']! <= 2 ** 31 - 1;
}

const ANY = (): boolean => true;

/** Setting → whether PostgreSQL takes a value for it (`default` resets any setting). */
export const DUMP_SETTINGS: ReadonlyMap<string, (value: string) => boolean> = new Map([
  ['statement_timeout', isTimeout],
  ['lock_timeout', isTimeout],
  ['idle_in_transaction_session_timeout', isTimeout],
  ['transaction_timeout', isTimeout],
  ['client_encoding', ANY], // judged by lib/dump/encoding.ts, which says which encodings the reader reads
  ['standard_conforming_strings', isBoolean],
  ['check_function_bodies', isBoolean],
  ['xmloption', oneOf('content', 'document')],
  [
    'client_min_messages',
    oneOf('debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'debug', 'log', 'info', 'notice', 'warning', 'error'),
  ],
  ['row_security', isBoolean],
  // a tablespace or access method must exist; the only ones pg_dump's output can count on are the built-in ones
  ['default_tablespace', oneOf('', 'pg_default')],
  ['default_table_access_method', oneOf('heap')],
  // PostgreSQL 12 and later refuse WITH OIDS
  ['default_with_oids', (v) => isBoolean(v) && /^(0|f|fa|fal|fals|false|n|no|of|off)$/i.test(v)],
  ['escape_string_warning', isBoolean],
  ['search_path', ANY],
  ['session_replication_role', oneOf('origin', 'replica', 'local')],
]);

/** Why PostgreSQL refuses this value of a setting pg_dump writes, or null when it takes it. */
export function settingValueRefused(name: string, value: string, keyword: boolean): string | null {
  if (keyword && value === 'default') return null;
  const ok = DUMP_SETTINGS.get(name);
  return ok === undefined || ok(value)
    ? null
    : `invalid value for parameter "${name}": "${value}" (PostgreSQL refuses it); fix the value, or dump again`;
}
