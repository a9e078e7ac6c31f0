/**
 * The target tables' columns as the SQL writers need them: name, kind (how to quote it, how verify
 * compares it) and whether an upsert may change it. Read from the table model (lib/transform/model/tables.ts).
 */
import type { AppConfigRow, CategoryRow, CoachRow, TargetTable } from '../transform/target-rows.js';
import {
  APP_CONFIG_MODEL,
  CATEGORIES_MODEL,
  COACHES_MODEL,
  type ColumnKind,
  type ModelTable,
} from '../transform/model/tables.js';

export { SQL_TYPE, type ColumnKind } from '../transform/model/tables.js';

export interface TargetColumn<R> {
  readonly name: keyof R & string;
  readonly kind: ColumnKind;
}

export interface TargetTableDef<R> {
  readonly table: TargetTable;
  /** The conflict target of the upsert. */
  readonly key: keyof R & string;
  readonly columns: readonly TargetColumn<R>[];
}

/** A model's columns, typed by its row (R is RowOf that model: target-rows.ts, so every name is one of R's keys). */
const defOf = <R>(m: ModelTable): TargetTableDef<R> => ({
  table: m.table,
  key: m.key as keyof R & string,
  columns: m.columns.map((c) => ({ name: c.name as keyof R & string, kind: c.kind })),
});

export const COACHES: TargetTableDef<CoachRow> = defOf(COACHES_MODEL);
export const CATEGORIES: TargetTableDef<CategoryRow> = defOf(CATEGORIES_MODEL);
export const APP_CONFIG: TargetTableDef<AppConfigRow> = defOf(APP_CONFIG_MODEL);

/** Columns an upsert compares and overwrites: all but the key and the two timestamps. */
export function payloadColumns<R>(def: TargetTableDef<R>): readonly TargetColumn<R>[] {
  return def.columns.filter((c) => c.name !== def.key && c.name !== 'created_at' && c.name !== 'updated_at');
}
