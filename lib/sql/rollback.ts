/**
 * rollback.sql: one transaction that removes exactly the rows migration.sql wrote (by their ids and keys),
 * categories deepest level first, so children go before their parents. Rows it did not write are left
 * alone; if someone else's row still points at one of ours, the foreign key stops the rollback whole.
 */
import { header, type RunDescription } from './header.js';
import { quoteString, quoteUuid } from './literals.js';
import type { MigrationRows } from './rows.js';
import { lines, type TextParts } from '../text-parts.js';

function inList(values: readonly string[]): string {
  return values.map((v) => `  ${v}`).join(',\n');
}

export function rollbackSql(rows: MigrationRows, run: RunDescription): TextParts {
  const out = [header('rollback', run, ['Apply: psql -v ON_ERROR_STOP=1 -f rollback.sql (one transaction).']), 'BEGIN;', 'SET LOCAL standard_conforming_strings = on;', ''];
  if (rows.appConfig.length > 0) out.push('DELETE FROM public.app_config WHERE key IN (', inList(rows.appConfig.map((r) => quoteString(r.key))), ');', '');
  const depthOf = new Map(rows.tree.map((n) => [n.legacyId, n.depth]));
  const levels = [...new Set(rows.categories.map((c) => depthOf.get(c.legacy_id) ?? -1))].sort((a, b) => b - a);
  for (const level of levels) {
    const ids = rows.categories.filter((c) => (depthOf.get(c.legacy_id) ?? -1) === level).map((c) => quoteUuid(c.id));
    out.push(`-- categories at depth ${level}`, 'DELETE FROM public.categories WHERE id IN (', inList(ids), ');', '');
  }
  if (rows.coaches.length > 0) out.push('DELETE FROM public.coaches WHERE id IN (', inList(rows.coaches.map((r) => quoteUuid(r.id))), ');', '');
  out.push('COMMIT;', '');
  return lines(out);
}
