/**
 * Where each legacy field goes in a real target (issue 31; docs/mapping.md, "Into a real target"), one rule for
 * every table: a field goes to the target's column of its own name; else to the column the team's own tool used
 * for it (RENAMES); else into the row's `metadata` jsonb under its own name, where the table has `metadata`;
 * else it has no home (a finding; --strict blocks). The legacy id goes to `metadata.legacy_id` where there is
 * metadata, and always to the ledger (totalis_migrate.sources).
 */
import type { TargetTable } from '../../transform/target-rows.js';
import { MODEL, type ModelTable } from '../../transform/model/tables.js';
import type { TableShape } from './shape.js';

/** One value per table, from its model. */
function byTable<V>(f: (m: ModelTable) => V): Record<TargetTable, V> {
  return Object.fromEntries(MODEL.map((m) => [m.table, f(m)])) as Record<TargetTable, V>;
}

/**
 * A target column that takes a legacy field of another name, where the target has no column of that name: the
 * model's appColumn (lib/transform/model/tables.ts). The team's tool wrote description into bio (with intro when
 * there is no description: bind.ts) and the category icon into icon.
 */
export const RENAMES: Readonly<Record<TargetTable, Readonly<Record<string, string>>>> = byTable((m) =>
  Object.fromEntries(m.columns.flatMap((c) => (c.appColumn !== undefined ? [[c.name, c.appColumn]] : []))),
);

/** The key of each table as the migration writes it; the fields that are not data (handled on their own). */
export const KEY_FIELD: Readonly<Record<TargetTable, string>> = byTable((m) => m.key);

export type Home =
  | { readonly kind: 'column'; readonly column: string }
  | { readonly kind: 'metadata'; readonly key: string }
  | { readonly kind: 'ledger' }
  | { readonly kind: 'none' };

export const hasColumn = (shape: TableShape, name: string): boolean => shape.columns.some((c) => c.name === name);

/** Where one legacy field of `table` lands in a target of this shape. */
export function homeOf(table: TargetTable, field: string, shape: TableShape): Home {
  const metadata = hasColumn(shape, 'metadata');
  // a target of the fresh shape (schemas/target.sql) keeps the legacy id in its own column
  if (field === 'legacy_id') {
    if (hasColumn(shape, 'legacy_id')) return { kind: 'column', column: 'legacy_id' };
    return metadata ? { kind: 'metadata', key: 'legacy_id' } : { kind: 'ledger' };
  }
  if (hasColumn(shape, field)) return { kind: 'column', column: field };
  const renamed = RENAMES[table][field];
  if (renamed !== undefined && hasColumn(shape, renamed)) return { kind: 'column', column: renamed };
  return metadata ? { kind: 'metadata', key: field } : { kind: 'none' };
}

export function describeHome(h: Home): string {
  switch (h.kind) {
    case 'column':
      return `column ${h.column}`;
    case 'metadata':
      return `metadata.${h.key}`;
    case 'ledger':
      return 'the ledger only (totalis_migrate.sources)';
    case 'none':
      return 'no home (not migrated)';
  }
}
