/**
 * Where each legacy field goes in a real target (issue 31; docs/mapping.md, "Into a real target"), one rule for
 * every table: a field goes to the target's column of its own name; else to the column the team's own tool used
 * for it (RENAMES); else into the row's `metadata` jsonb under its own name, where the table has `metadata`;
 * else it has no home (a finding; --strict blocks). The legacy id goes to `metadata.legacy_id` where there is
 * metadata, and always to the ledger (totalis_migrate.sources).
 */
import type { TargetTable } from '../../transform/target-rows.js';
import type { TableShape } from './shape.js';

/** A target column that takes a legacy field of another name, where the target has no column of that name. */
export const RENAMES: Readonly<Record<TargetTable, Readonly<Record<string, string>>>> = {
  // the team's tool: description → bio, with intro when there is no description
  coaches: { description: 'bio' },
  // the team's tool: the category icon → icon
  categories: { icon_url: 'icon' },
  app_config: {},
};

/** The key of each table as the migration writes it; the fields that are not data (handled on their own). */
export const KEY_FIELD: Readonly<Record<TargetTable, string>> = { coaches: 'id', categories: 'id', app_config: 'key' };

export type Home = { readonly kind: 'column'; readonly column: string } | { readonly kind: 'metadata'; readonly key: string } | { readonly kind: 'ledger' } | { readonly kind: 'none' };

export const hasColumn = (shape: TableShape, name: string): boolean => shape.columns.some((c) => c.name === name);

/** Where one legacy field of `table` lands in a target of this shape. */
export function homeOf(table: TargetTable, field: string, shape: TableShape): Home {
  const metadata = hasColumn(shape, 'metadata');
  if (field === 'legacy_id') return metadata ? { kind: 'metadata', key: 'legacy_id' } : { kind: 'ledger' };
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
