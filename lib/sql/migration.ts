/**
 * migration.sql: one transaction: the run recorded in the ledger with what it may change (ledger.ts), upserts of
 * coaches, then categories (parents first), then app_config, then the rows whose legacy source is gone removed.
 * Keyed by id (key for app_config). A row whose values are unchanged is not rewritten (the DO UPDATE has an
 * IS DISTINCT FROM guard), so a second run over an unchanged target changes nothing; created_at is never
 * overwritten. Rows whose created_at is unknown leave it to the column default at first insert.
 */
import { byKey, byLegacyId, type MigrationRows } from './rows.js';
import { header, type RunDescription } from './header.js';
import { comment, quoteIdent } from './literals.js';
import { COMPARE } from './compare.js';
import type { AppConfigRow, CategoryRow, CoachRow } from '../transform/target-rows.js';
import { APP_CONFIG, CATEGORIES, COACHES, payloadColumns, type TargetTableDef } from './target-tables.js';
import { literal } from './values.js';
import { interleave, lines, type TextParts } from '../text-parts.js';
import { ledgerVersionCheckSql } from './ledger-version.js';
import { recordSourcesSql } from './stale-claims.js';
import { LOCK_SQL, newKeysSql, recordRunSql, removeStaleSql, runId } from './ledger.js';
import { appEditsCheckSql, recordWrittenSql, referencedCheckSql, type LedgerTable } from './app-edits.js';

/** The fresh target's ledger tables as app-edits.ts checks them: a row named by legacy id and name, or by key. */
const legacyLabel = (img: string): string => `format('legacy id %s %s', ${img} ->> 'legacy_id', ${img} ->> 'name')`;
export const FRESH_LEDGER_TABLES: readonly LedgerTable[] = [
  { table: COACHES.table, key: COACHES.key, columns: payloadColumns(COACHES).map((c) => c.name), label: legacyLabel },
  {
    table: CATEGORIES.table,
    key: CATEGORIES.key,
    columns: payloadColumns(CATEGORIES).map((c) => c.name),
    label: legacyLabel,
  },
  {
    table: APP_CONFIG.table,
    key: APP_CONFIG.key,
    columns: payloadColumns(APP_CONFIG).map((c) => c.name),
    label: (_img, k) => k,
    secretColumn: 'value',
  },
];

/**
 * One statement per row, each after a comment naming its legacy source and a handle a reviewer knows it by,
 * in an order no value change disturbs (by legacy id or key; categories by depth, then legacy id, so parents
 * still come first): a one-value change in the dump changes the one VALUES line of its row.
 */
export function upsert<R>(def: TargetTableDef<R>, rows: readonly R[], handle: (r: R) => string): TextParts {
  if (rows.length === 0) return [`-- ${def.table}: no rows\n`];
  const cols = def.columns.map((c) => quoteIdent(c.name)).join(', ');
  const payload = payloadColumns(def).map((c) => quoteIdent(c.name));
  const t = quoteIdent(def.table);
  // a row is rewritten when verify.sql would find it different: each column by its kind's rule (compare.ts)
  const compared = (alias: string): string =>
    payloadColumns(def)
      .map((c) => COMPARE[c.kind].comparedSql(`${alias}.${quoteIdent(c.name)}`))
      .join(', ');
  const conflict = [
    `ON CONFLICT (${quoteIdent(def.key)}) DO UPDATE SET ${payload.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()`,
    `WHERE (${compared('t')}) IS DISTINCT FROM (${compared('EXCLUDED')});`,
  ].join('\n');
  // each row as parts, its values not joined into one string (text-parts.ts: a long value is never copied whole)
  return rows.flatMap((r) => {
    const rec = r as Record<string, unknown>;
    const unknownCreated = rec['created_at'] === null;
    const lits = def.columns.map((c) =>
      unknownCreated && (c.name === 'created_at' || c.name === 'updated_at') ? 'DEFAULT' : literal(c.kind, rec[c.name]),
    );
    return [
      comment(handle(r)),
      '\n',
      `INSERT INTO public.${t} AS t (${cols})\nVALUES (`,
      ...interleave(lits, ', '),
      `)\n${conflict}\n\n`,
    ];
  });
}

/** The rows in the order migration.sql writes them, each with its handle (see upsert). */
export function orderedRows(rows: MigrationRows): {
  coaches: { row: CoachRow; handle: string }[];
  categories: { row: CategoryRow; handle: string }[];
  appConfig: { row: AppConfigRow; handle: string }[];
} {
  const depth = new Map(rows.tree.map((n) => [n.legacyId, n.depth]));
  const byId = new Map(rows.categories.map((c) => [c.id, c]));
  const path = (c: CategoryRow): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (
      let at: CategoryRow | undefined = c;
      at !== undefined && !seen.has(at.id);
      at = at.parent_id === null ? undefined : byId.get(at.parent_id)
    ) {
      seen.add(at.id);
      names.unshift(at.name);
    }
    return names.join(' › ');
  };
  const d = (c: CategoryRow): number => depth.get(c.legacy_id) ?? Number.MAX_SAFE_INTEGER;
  return {
    coaches: byLegacyId(rows.coaches).map((row) => ({ row, handle: `tls_coach#${row.legacy_id} ${row.name}` })),
    categories: [...rows.categories]
      .sort((a, b) => d(a) - d(b) || a.legacy_id - b.legacy_id)
      .map((row) => ({ row, handle: `tls_category#${row.legacy_id} ${path(row)}` })),
    appConfig: byKey(rows.appConfig).map((row) => ({
      row,
      handle: `${rows.appConfigOrigins?.get(row.key) ?? 'totalis-migrate'} → ${row.key}`,
    })),
  };
}

export interface MigrationOptions {
  /** Rows whose legacy source is gone stay (each a warning of the transform) instead of being removed. */
  readonly keepRemoved?: boolean;
  /** Rows the app changed or deleted since the last run are overwritten (each a NOTICE) instead of refused. */
  readonly overwriteAppEdits?: boolean;
}

export function migrationSql(rows: MigrationRows, run: RunDescription, opts: MigrationOptions = {}): TextParts {
  const id = runId(run);
  const ordered = orderedRows(rows);
  const handles = new Map<unknown, string>(
    [...ordered.coaches, ...ordered.categories, ...ordered.appConfig].map((o) => [o.row, o.handle]),
  );
  return lines([
    header('migration', run, [
      `Rows: coaches ${rows.coaches.length}, categories ${rows.categories.length}, app_config ${rows.appConfig.length}.`,
      'Apply: psql -v ON_ERROR_STOP=1 -f migration.sql (one transaction; safe to run again).',
      `Run ${id}: recorded in the ledger (totalis_migrate, made by schemas/target.sql); its rollback.sql undoes it.`,
    ]),
    'BEGIN;',
    LOCK_SQL,
    ledgerVersionCheckSql('migration'),
    'SET LOCAL standard_conforming_strings = on;',
    '',
    ...newKeysSql(rows),
    '',
    appEditsCheckSql(FRESH_LEDGER_TABLES, {
      keepRemoved: opts.keepRemoved ?? false,
      overwriteAppEdits: opts.overwriteAppEdits ?? false,
    }),
    '',
    recordRunSql(id, run),
    ...recordSourcesSql([
      ...rows.coaches.map((r) => ({ table: 'coaches', key: r.id, legacyId: r.legacy_id, adopted: false })),
      ...rows.categories.map((r) => ({ table: 'categories', key: r.id, legacyId: r.legacy_id, adopted: false })),
    ]),
    '',
    '-- coaches, by legacy id',
    upsert(
      COACHES,
      ordered.coaches.map((o) => o.row),
      (r) => handles.get(r)!,
    ),
    '-- categories, by depth then legacy id (parents before children)',
    upsert(
      CATEGORIES,
      ordered.categories.map((o) => o.row),
      (r) => handles.get(r)!,
    ),
    '-- app_config, by key',
    upsert(
      APP_CONFIG,
      ordered.appConfig.map((o) => o.row),
      (r) => handles.get(r)!,
    ),
    ...(opts.keepRemoved === true ? [] : [referencedCheckSql(FRESH_LEDGER_TABLES)]),
    ...removeStaleSql(opts.keepRemoved ?? false),
    ...recordWrittenSql(FRESH_LEDGER_TABLES),
    '',
    'COMMIT;',
    '',
  ]);
}
