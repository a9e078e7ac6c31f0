/**
 * Casts written after a constant in an INSERT (`'007'::integer`). pg_dump never writes one, but psql restores
 * them, and a cast can change the value before the column gets it: `'007'::integer` into a text column stores
 * `7`, `'abcdef'::varchar(3)` stores `abc`, `'x '::char` drops the space. The reader lets the column decide, so
 * it accepts only the casts that change nothing: to the column's own kind of type, without a modifier or array
 * (and, for strings, only text and varchar, which keep every byte). Inside `||` every part becomes text, so
 * only a cast to text or varchar is taken there. Any other cast is refused, with the type it names.
 */
import { MigrateError } from '../errors.js';
import { columnTypeOf, type ColumnType } from './values.js';

/** String types whose values keep every byte (char pads and trims, name truncates, citext is not built in). */
const KEEPING_STRINGS = new Set(['text', 'character varying', 'varchar']);
/** real keeps 6 significant digits: a cast to it rounds a value a double precision column would keep. */
const ROUNDING = new Set(['real', 'float4']);

function castKind(cast: string): ColumnType | 'changes' {
  if (/[([]/.test(cast)) return 'changes';
  const type = columnTypeOf(cast);
  const name = cast.replace(/^pg_catalog\./, '');
  if (type === 'other' || ROUNDING.has(name) || (type === 'text' && !KEEPING_STRINGS.has(name))) return 'changes';
  return type;
}

/** Whether the literal just read was cast to a string type (its value then takes part in `||` as text). */
export function castToText(casts: readonly string[]): boolean {
  return casts.length > 0 && castKind(casts[casts.length - 1]!) === 'text';
}

/** Refuses a cast that could change the constant's value on its way into a column of `into` (`text` for a `||` part). */
export function checkCasts(casts: readonly string[], into: ColumnType, inConcatenation: boolean): void {
  for (const cast of casts) {
    const kind = castKind(cast);
    if (kind === into && kind !== 'other') continue;
    throw new MigrateError(
      'SQL_SYNTAX',
      `a cast to ${cast}${inConcatenation ? ' inside an expression joined with ||' : ''}, which pg_dump never writes (PostgreSQL converts the value to it first, which can change it; write the value without the cast)`,
    );
  }
}
