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
  /** `\unrestrict KEY`: the guard of the last `\restrict` is lifted (pg_dump writes it after everything else). */
  | { readonly kind: 'unrestrict'; readonly line: number }
  /**
   * The end of the input, always the last event. `complete`: pg_dump's last words were read, its
   * `-- PostgreSQL database dump complete` footer with nothing but comments and `\unrestrict` after it.
   * `openRestrict`: the line of a `\restrict` that no `\unrestrict` closed (null when none).
   */
  | {
      readonly kind: 'input-end';
      readonly complete: boolean;
      readonly openRestrict: number | null;
      readonly line: number;
    }
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
      /** How the text that follows is read: what a reader needs to read one of its rows again (ResumePoint). */
      readonly encoding: ClientEncoding;
      readonly standardConformingStrings: boolean;
    }
  | {
      readonly kind: 'row';
      readonly table: TableName;
      readonly values: readonly Value[];
      readonly line: number;
      /** Bytes of the row itself (the COPY line, or the INSERT's parenthesised tuple). */
      readonly bytes: number;
      /**
       * Where the row can be read again: `span` bytes of SQL text from `offset` (counted in the SQL text, after
       * any gunzip) hold its COPY line (end of line included) or its whole INSERT statement, of which it is
       * tuple number `tuple` (0 for COPY).
       */
      readonly offset: number;
      readonly span: number;
      readonly tuple: number;
    }
  | {
      readonly kind: 'data-end';
      readonly table: TableName;
      readonly rows: number;
      readonly bytes: number;
      readonly line: number;
    }
  /**
   * pg_dump's table-of-contents comment `-- Data for Name: T; Type: TABLE DATA; Schema: S; …`: T's data
   * follows. pg_dump writes it for every table it dumps, an empty one too, where the INSERT forms then
   * write no statement at all.
   */
  | { readonly kind: 'table-data'; readonly table: TableName; readonly line: number }
  | {
      readonly kind: 'setval';
      readonly sequence: string;
      readonly value: string;
      readonly isCalled: boolean;
      readonly line: number;
    }
  /** A CREATE TABLE statement (schema dumps), as text. */
  | { readonly kind: 'create-table'; readonly table: TableName; readonly sql: string; readonly line: number };

/** Where a parser can begin mid-file, as it stood before a row (DumpParser.resume): read-again.ts uses it. */
export interface ResumePoint {
  readonly encoding: ClientEncoding;
  readonly standardConformingStrings: boolean;
  /** The row's first line and its offset in the SQL text (errors then name the real line). */
  readonly line: number;
  readonly offset: number;
  /** Inside a COPY block of this table and these columns; absent: at an INSERT statement. */
  readonly copy?: { readonly table: TableName; readonly columns: readonly string[]; readonly headerLine: number };
}

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
