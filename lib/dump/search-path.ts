/**
 * Where an unqualified table name is looked for. pg_dump 10.3 and later empty the search path
 * (`SELECT pg_catalog.set_config('search_path', '', false);`) and qualify every name; older ones set it to
 * `public, pg_catalog` and wrote names unqualified. The reader takes an unqualified name as public's, so the path
 * must hold public: with no schema on it but pg_catalog, PostgreSQL finds no table of that name (psql: relation
 * "tls_category" does not exist), and with another schema instead of public (`SET search_path = archive`) it looks
 * there, never in public. Either way the reader refuses the name.
 */
import { MigrateError } from '../errors.js';

/** Whether an unqualified table name on this search path (its schema names) can be public's. */
export function pathHoldsPublic(schemas: readonly string[]): boolean {
  return schemas.includes('public');
}

/**
 * The schema names of a search path as set_config takes it, one string: `'public, pg_catalog'`, `''`. A
 * double-quoted name keeps its case; the others fold to lower case, as PostgreSQL's list parsing does.
 */
export function searchPathSchemas(text: string): string[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const p = part.trim();
    return p.startsWith('"') && p.endsWith('"') && p.length >= 2 ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase();
  });
}

/** The refusal of an unqualified name (a table, or a sequence in setval) while the path has no schema for it. */
export function unqualifiedRefused(
  name: string,
  path: { readonly line: number; readonly schemas: readonly string[] },
): MigrateError {
  const others = path.schemas.filter((s) => s !== 'pg_catalog' && s !== '');
  const where =
    others.length === 0
      ? 'holds no schema for it, so PostgreSQL finds no such relation'
      : `does not hold public, so PostgreSQL looks for it in ${others.map((s) => JSON.stringify(s)).join(', ')} instead`;
  return new MigrateError(
    'TABLE_UNKNOWN',
    `"${name}" is not qualified with a schema, but the search path set on line ${path.line} ${where} (psql: relation "${name}" does not exist); write public.${name}, or dump again`,
    { table: name },
  );
}
