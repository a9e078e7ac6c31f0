/**
 * Where an unqualified table name is looked for. pg_dump 10.3 and later empty the search path
 * (`SELECT pg_catalog.set_config('search_path', '', false);`) and qualify every name; older ones set it to
 * `public, pg_catalog` and wrote names unqualified. With no schema on the path but pg_catalog, PostgreSQL finds
 * no table of an unqualified name (psql: relation "tls_category" does not exist), so the reader refuses it too.
 */
import { MigrateError } from '../errors.js';

/** Names on a path that hold no table of a dump: the catalog, the user's own schema (none in a dump), temp. */
const NOT_A_DATA_SCHEMA = new Set(['pg_catalog', 'pg_temp', '$user', '']);

/** Whether a search path (its schema names) has a schema an unqualified table name can be found in. */
export function pathHasDataSchema(schemas: readonly string[]): boolean {
  return schemas.some((s) => !NOT_A_DATA_SCHEMA.has(s));
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
export function unqualifiedRefused(name: string, pathLine: number): MigrateError {
  return new MigrateError(
    'TABLE_UNKNOWN',
    `"${name}" is not qualified with a schema, but the search path set on line ${pathLine} holds no schema for it, so PostgreSQL finds no such relation (psql: relation "${name}" does not exist); write public.${name}, or dump again`,
    { table: name },
  );
}
