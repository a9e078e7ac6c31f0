/**
 * Issue 28 items 3 and 4, in advance: with a target that has a ledger, transform lists what this run's
 * migration.sql would refuse, so the operator learns it from the change summary, report.md and review.html rather
 * than at apply time. The same rules as app-edits.ts, over what advance-sql.ts read in the target's snapshot:
 *
 * - an app edit: a row the latest standing run left that the app deleted (and this run writes it again), or whose
 *   written columns the app changed (and this run writes or removes it; with --keep-removed only if it writes
 *   it). An error, as migration.sql refuses it; a warning with --overwrite-app-edits, as it is then overwritten.
 * - a referenced row: a row whose legacy source is gone (owned, not written by this run, not adopted: those are
 *   handed back) that a row outside the removal references through a key that refuses the delete. An error
 *   (migration.sql refuses it); with --keep-removed nothing is removed and row.removed.kept names the row instead.
 */
import type { Finding } from '../../findings.js';
import { rowLabel } from '../../transform/changes.js';
import type { TargetTable } from '../../transform/target-rows.js';
import type { Binding } from './bind.js';
import { comparedColumns } from './existing-sql.js';

const label = (table: string, legacyId: number | null, name: string, key: string): string =>
  table === 'app_config'
    ? rowLabel('app_config', { key })
    : legacyId === null
      ? `${table} ${key}`
      : rowLabel(table as TargetTable, { legacy_id: String(legacyId), name });

export function advanceFindings(
  b: Binding,
  opts: { readonly keepRemoved: boolean; readonly overwriteAppEdits: boolean },
): Finding[] {
  const ledger = b.target.ledger;
  if (ledger === null) return [];
  const writes = new Set(b.tables.flatMap((t) => t.rows.map((r) => `${t.table} ${r.key}`)));
  const columns = new Map(b.tables.map((t) => [t.table as string, new Set(comparedColumns(t))]));
  const findings: Finding[] = [];
  for (const e of ledger.edits) {
    const written = writes.has(`${e.table} ${e.key}`);
    const changed = e.columns.filter((c) => columns.get(e.table)?.has(c) === true);
    const refused = e.deleted ? written : (opts.keepRemoved ? written : true) && changed.length > 0;
    if (!refused) continue;
    findings.push({
      severity: opts.overwriteAppEdits ? 'warning' : 'error',
      code: 'target.app.edited',
      subject: label(e.table, e.legacyId, e.name, e.key),
      message: `${e.deleted ? 'deleted' : `changed (${changed.join(', ')})`} by the app since run ${e.run}; ${
        opts.overwriteAppEdits
          ? 'this run overwrites it (--overwrite-app-edits)'
          : 'migration.sql would refuse to overwrite it: carry the edit into the legacy dump, or make the output with --overwrite-app-edits'
      }`,
    });
  }
  if (!opts.keepRemoved) {
    const adopted = new Set(ledger.adopted);
    const owned = new Set(b.target.owned);
    // as referencedCheckSql: a referencing row that the ledger owns and this run does not write goes too
    const removed = (k: string | null): boolean => k !== null && owned.has(k) && !writes.has(k);
    const named = new Map<string, { table: string; key: string; by: string[] }>();
    for (const r of ledger.references) {
      const k = `${r.table} ${r.key}`;
      if (!removed(k) || adopted.has(k) || removed(r.byKey)) continue;
      const entry = named.get(k) ?? { table: r.table, key: r.key, by: [] };
      entry.by.push(r.by);
      named.set(k, entry);
    }
    for (const { table, key, by } of named.values()) {
      const t = b.tables.find((x) => x.table === table);
      const row = t?.shape.rows.find((x) => String(x[t.keyColumn]) === key);
      const legacyId = ledger.edits.find((e) => e.table === table && e.key === key)?.legacyId ?? null;
      const name = typeof row?.['name'] === 'string' ? row['name'] : key;
      findings.push({
        severity: 'error',
        code: 'target.row.referenced',
        subject: label(table, legacyId, name, key),
        message: `its legacy source is gone, but the app still references it (${by.join('; ')}): migration.sql would refuse to remove it; make the output with --keep-removed to keep it, or change the referencing rows first`,
      });
    }
  }
  return findings;
}
