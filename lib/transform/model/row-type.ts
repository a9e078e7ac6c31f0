/**
 * A table's row type, derived from its `as const` model (tables.ts): each column's value by its kind (a CHECK's
 * allowed values as a union of literals), null where the column is nullable or where null leaves the column to
 * its default. lib/transform/target-rows.ts names the three row types with it. Types only.
 */
import type { ColumnKind, ModelColumn } from './tables.js';

interface ValueOfKind<J> {
  uuid: string;
  int: number;
  text: string;
  bool: boolean;
  jsonb: J;
  timestamptz: string;
}

type ValueOf<C extends ModelColumn, J> = C extends { readonly allowed: readonly (infer A)[] }
  ? A
  : ValueOfKind<J>[C['kind'] & ColumnKind];

type NullOf<C extends ModelColumn> = C extends { readonly nullMeansDefault: true }
  ? null
  : C extends { readonly alwaysWritten: true }
    ? never
    : C extends { readonly notNull: false }
      ? null
      : never;

/** The row of a table model, with `J` the type of a jsonb value (target-rows.ts' JsonValue). */
export type RowOf<T extends { readonly columns: readonly ModelColumn[] }, J> = {
  readonly [C in T['columns'][number] as C['name']]: ValueOf<C, J> | NullOf<C>;
};
