/**
 * out/target-rows.json (issue 31 item 1): the rows transform bound to a real target (bind.ts), as `verify --db`
 * reconciles them with the live target row by row and column by column (lib/verify/reconcile-target.ts). out/data
 * keeps the fresh project's shape; this file holds each row under the target's own key and column names: the
 * columns migration.sql writes and verify.sql checks (created_at and updated_at aside, as there: the upsert leaves
 * created_at alone and triggers set updated_at), each column's comparison kind (sql/compare.ts), the metadata keys
 * merged into the row, and the row's legacy id and handle. A secret's value is its placeholder, as in out/data
 * (transform/secrets.ts took it out before binding). Written by the same render step as target.json; pure and
 * deterministic (the rows in migration.sql's order, the columns sorted).
 */
import type { ColumnKind } from '../target-tables.js';
import { kindOfType } from '../compare.js';
import type { ClaimTable } from '../stale-claims.js';
import { lines, type Part } from '../../text-parts.js';
import { stringifyExactJsonParts } from '../../transform/exact-json.js';
import type { JsonValue, TargetTable } from '../../transform/target-rows.js';
import type { Binding, BoundTable } from './bind.js';
import { claimTable, comparedColumns } from './existing-sql.js';

export const TARGET_ROWS_FILE = 'target-rows.json';

export interface RecordedRow {
  /** The key the row is written under (the app's own for an adopted row). */
  readonly key: string;
  /** How a reviewer knows it (migration.sql's comment): its legacy table, id and name. */
  readonly handle: string;
  readonly legacyId: number | null;
  /** The app's row it takes over (its natural key), or null. */
  readonly adopted: string | null;
  /** Compared columns → the value migration.sql writes (a secret: its placeholder). */
  readonly values: Readonly<Record<string, JsonValue>>;
  /** The metadata keys migration.sql merges into the row (null: the table has no metadata). */
  readonly metadata: Readonly<Record<string, JsonValue>> | null;
}

export interface RecordedTable {
  readonly table: TargetTable;
  readonly keyColumn: string;
  /** Each compared column and the kind whose rule (sql/compare.ts) compares it. */
  readonly columns: Readonly<Record<string, ColumnKind>>;
  /** How the stale-claims rule reads this table (sql/stale-claims.ts); null for app_config (no legacy source). */
  readonly claims: ClaimTable | null;
  /** Whether the table has a `name` column (how a row nobody bound is named). */
  readonly named: boolean;
  readonly rows: readonly RecordedRow[];
}

export interface TargetRows {
  readonly source: string;
  readonly tables: readonly RecordedTable[];
}

function recordedTable(t: BoundTable): RecordedTable {
  const compared = comparedColumns(t);
  const kinds = Object.fromEntries(
    compared.map((c) => [c, kindOfType(t.shape.columns.find((x) => x.name === c)?.type ?? 'text')]),
  );
  const only = new Set(compared);
  return {
    table: t.table,
    keyColumn: t.keyColumn,
    columns: kinds,
    claims: t.table === 'app_config' ? null : claimTable(t),
    named: t.shape.columns.some((c) => c.name === 'name'),
    rows: t.rows.map((r) => ({
      key: r.key,
      handle: r.handle,
      legacyId: r.legacyId,
      adopted: r.adopted,
      values: Object.fromEntries(Object.entries(r.values).filter(([c]) => only.has(c))),
      metadata: r.metadata,
    })),
  };
}

/** The file's text, a row at a time (a long value as slices, stringifyExactJsonParts). */
export function targetRowsJson(b: Binding): Part[] {
  const tables = b.tables.map(recordedTable);
  const head = (t: RecordedTable): string =>
    `    {\n      "table": ${JSON.stringify(t.table)},\n      "keyColumn": ${JSON.stringify(t.keyColumn)},\n      "columns": ${JSON.stringify(t.columns)},\n      "claims": ${JSON.stringify(t.claims)},\n      "named": ${String(t.named)},\n      "rows": [`;
  return lines([
    `{\n  "source": ${JSON.stringify(b.target.source)},\n  "tables": [`,
    ...tables.map((t, i) => [
      head(t),
      ...t.rows.flatMap((r, j) => [
        j === 0 ? '\n        ' : ',\n        ',
        ...stringifyExactJsonParts(r as unknown as JsonValue, '  ', 4),
      ]),
      `${t.rows.length === 0 ? '' : '\n      '}]\n    }${i < tables.length - 1 ? ',' : ''}`,
    ]),
    '  ]\n}',
    '',
  ]);
}
