/**
 * migration.sql: one transaction: the run recorded in the ledger with what it may change (ledger.ts), upserts of
 * coaches, then categories (parents first), then app_config, then the rows whose legacy source is gone removed.
 * Keyed by id (key for app_config). A row whose values are unchanged is not rewritten (the DO UPDATE has an
 * IS DISTINCT FROM guard), so a second run over an unchanged target changes nothing; created_at is never
 * overwritten. Rows whose created_at is unknown leave it to the column default at first insert.
 */
import type { MigrationRows } from './rows.js';
import { header, type RunDescription } from './header.js';
import { quoteIdent } from './literals.js';
import { APP_CONFIG, CATEGORIES, COACHES, payloadColumns, type TargetTableDef } from './target-tables.js';
import { literal } from './values.js';
import { interleave, lines, type TextParts } from '../text-parts.js';
import { newKeysSql, recordRunSql, removeStaleSql, runId } from './ledger.js';

export function upsert<R>(def: TargetTableDef<R>, rows: readonly R[]): TextParts {
  if (rows.length === 0) return [`-- ${def.table}: no rows\n`];
  const cols = def.columns.map((c) => quoteIdent(c.name)).join(', ');
  // each row as parts, its values not joined into one string (parts.ts: a long value is never copied whole)
  const values = rows.flatMap((r, i) => {
    const rec = r as Record<string, unknown>;
    const unknownCreated = rec['created_at'] === null;
    const lits = def.columns.map((c) => (unknownCreated && (c.name === 'created_at' || c.name === 'updated_at') ? 'DEFAULT' : literal(c.kind, rec[c.name])));
    return [i === 0 ? '(' : ',\n(', ...interleave(lits, ', '), ')'];
  });
  const payload = payloadColumns(def).map((c) => quoteIdent(c.name));
  const t = quoteIdent(def.table);
  return lines([
    `INSERT INTO public.${t} AS t (${cols}) VALUES`,
    values,
    `ON CONFLICT (${quoteIdent(def.key)}) DO UPDATE SET`,
    `  ${payload.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()`,
    `WHERE (${payload.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${payload.map((c) => `EXCLUDED.${c}`).join(', ')});`,
    '',
  ]);
}

export interface MigrationOptions {
  /** Rows whose legacy source is gone stay (each a warning of the transform) instead of being removed. */
  readonly keepRemoved?: boolean;
}

export function migrationSql(rows: MigrationRows, run: RunDescription, opts: MigrationOptions = {}): TextParts {
  const id = runId(run);
  return lines([
    header('migration', run, [
      `Rows: coaches ${rows.coaches.length}, categories ${rows.categories.length}, app_config ${rows.appConfig.length}.`,
      'Apply: psql -v ON_ERROR_STOP=1 -f migration.sql (one transaction; safe to run again).',
      `Run ${id}: recorded in the ledger (totalis_migrate, made by schemas/target.sql); its rollback.sql undoes it.`,
    ]),
    'BEGIN;',
    'SET LOCAL standard_conforming_strings = on;',
    '',
    ...newKeysSql(rows),
    '',
    recordRunSql(id, run),
    '',
    '-- coaches',
    upsert(COACHES, rows.coaches),
    '-- categories, parents before children',
    upsert(CATEGORIES, rows.categories),
    '-- app_config',
    upsert(APP_CONFIG, rows.appConfig),
    ...removeStaleSql(opts.keepRemoved ?? false),
    '',
    'COMMIT;',
    '',
  ]);
}
