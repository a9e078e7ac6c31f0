/**
 * Typed values as the reader hands them out, and the column types it knows how to decode.
 * integer → number; bigint and numeric → exact strings (JavaScript numbers would lose digits);
 * boolean → boolean; bytea → Buffer (a fresh copy, never a view into the parser's buffers);
 * everything else (text, timestamps, unknown types) → the exact text PostgreSQL would store.
 */
export type Value = string | number | boolean | Buffer | null;

export type ColumnType =
  'text' | 'int2' | 'int4' | 'int8' | 'numeric' | 'float' | 'bool' | 'bytea' | 'timestamp' | 'timestamptz' | 'other';

/** A PostgreSQL type name as it appears in a schema dump → the reader's column type. */
export function columnTypeOf(pgType: string): ColumnType {
  const t = pgType
    .toLowerCase()
    .replace(/^pg_catalog\./, '')
    .replace(/\s*\(.*\)$/, '')
    .trim();
  switch (t) {
    case 'smallint':
    case 'int2':
    case 'smallserial':
      return 'int2';
    case 'integer':
    case 'int':
    case 'int4':
    case 'serial':
      return 'int4';
    case 'bigint':
    case 'int8':
    case 'bigserial':
      return 'int8';
    case 'numeric':
    case 'decimal':
      return 'numeric';
    case 'real':
    case 'float4':
    case 'double precision':
    case 'float8':
      return 'float';
    case 'boolean':
    case 'bool':
      return 'bool';
    case 'bytea':
      return 'bytea';
    case 'timestamp':
    case 'timestamp without time zone':
      return 'timestamp';
    case 'timestamptz':
    case 'timestamp with time zone':
      return 'timestamptz';
    case 'text':
    case 'character varying':
    case 'varchar':
    case 'character':
    case 'char':
    case 'bpchar':
    case 'name':
    case 'citext':
      return 'text';
    default:
      return 'other';
  }
}
