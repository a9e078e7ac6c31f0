/**
 * What the dump parser reports, in file order. A discriminated union: consumers switch on `kind`.
 */
import type { ClientEncoding } from './encoding.js';
import type { ColumnDecoder } from './column-decoders.js';
import type { Value } from './values.js';

export interface TableName {
  readonly schema: string | null;
  readonly name: string;
}

export function tableNameText(t: TableName): string {
  return t.schema === null ? t.name : `${t.schema}.${t.name}`;
}

export type DataForm = 'copy' | 'insert';

export type DumpEvent =
  /** `-- Dumped from database version …` / `-- Dumped by pg_dump version …` */
  | { readonly kind: 'version'; readonly which: 'server' | 'pg_dump'; readonly version: string; readonly line: number }
  | { readonly kind: 'encoding'; readonly encoding: ClientEncoding; readonly line: number }
  /** A `\restrict KEY` line was present. The key itself is never kept. */
  | { readonly kind: 'restrict'; readonly line: number }
  /** `\connect` (pg_dumpall, or pg_dump --create): skipped, but reported. */
  | { readonly kind: 'connect'; readonly line: number }
  /** A table's data begins (the COPY header, or the first INSERT of a run). */
  | {
      readonly kind: 'data-start';
      readonly table: TableName;
      readonly columns: readonly string[];
      /** false for `--inserts` without column names: columns came from the schema, by position. */
      readonly columnsFromHeader: boolean;
      readonly form: DataForm;
      readonly line: number;
    }
  | { readonly kind: 'row'; readonly table: TableName; readonly values: readonly Value[]; readonly line: number; readonly bytes: number }
  | { readonly kind: 'data-end'; readonly table: TableName; readonly rows: number; readonly bytes: number; readonly line: number }
  | { readonly kind: 'setval'; readonly sequence: string; readonly value: string; readonly isCalled: boolean; readonly line: number }
  /** A CREATE TABLE statement (schema dumps), as text. */
  | { readonly kind: 'create-table'; readonly sql: string; readonly line: number };

/** How the parser learns column types: resolved once per table, at its COPY header or first INSERT. */
export interface TableResolver {
  /** The column list for an INSERT that names none (`--inserts`), by the schema's column order. */
  columnsOf(table: TableName): readonly string[] | undefined;
  decodersOf(table: TableName, columns: readonly string[]): readonly ColumnDecoder[];
  /**
   * false: nobody reads this table's values (a table the caller does not migrate). Its rows are still
   * checked with the decoders given, as PostgreSQL would read them, but no row events are made: the
   * data-end event counts them. Absent: every row is reported.
   */
  valuesWanted?(table: TableName): boolean;
}
