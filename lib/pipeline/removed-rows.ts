/**
 * Which rows a --keep-removed run keeps although their legacy source is gone, and on whose word. With a target
 * (--target-db, or --target-schema/--target-data) the ledger decides, as migration.sql does: the rows it owns
 * that this run does not write. Without one, the previous out/ on disk is all there is (changes.ts); the report
 * names which of the two was used, since a lost or wrong out/ can make it disagree with the SQL.
 */
import type { Finding } from '../findings.js';
import type { Binding } from '../sql/target-model/bind.js';
import { rowLabel, type ChangeSummary } from '../transform/changes.js';
import type { JsonValue } from '../transform/target-rows.js';

export type RemovedAuthority = "the target's ledger" | 'the previous out/ on disk';

export function keptRemovedFindings(
  binding: Binding | null,
  changes: ChangeSummary | null,
): { findings: Finding[]; authority: RemovedAuthority } {
  const finding = (table: string, subject: string): Finding => ({
    severity: 'warning',
    code: 'row.removed.kept',
    subject,
    message: `its legacy source is gone from the dump; --keep-removed leaves it in ${table}`,
  });
  if (binding === null) {
    const findings =
      changes === null
        ? []
        : Object.entries(changes).flatMap(([table, c]) => c.removed.map((row) => finding(table, row)));
    return { findings, authority: 'the previous out/ on disk' };
  }
  const findings: Finding[] = [];
  for (const t of binding.tables) {
    const written = new Set(t.rows.map((r) => r.key));
    const gone = binding.target.owned
      .filter((o) => o.startsWith(`${t.table} `))
      .map((o) => o.slice(t.table.length + 1))
      .filter((k) => !written.has(k));
    for (const key of gone) {
      const row = t.shape.rows.find((r) => String(r[t.keyColumn]) === key);
      // the legacy id is a column of the fresh target, in metadata on the real one; without either, the key
      const meta = row?.['metadata'];
      const legacyId =
        row?.['legacy_id'] ??
        (meta !== null && typeof meta === 'object' && !Array.isArray(meta)
          ? (meta as Record<string, JsonValue>)['legacy_id']
          : undefined);
      findings.push(
        finding(
          t.table,
          row === undefined || (t.table !== 'app_config' && legacyId === undefined)
            ? `${t.table} ${key}`
            : rowLabel(t.table, { ...row, legacy_id: legacyId ?? null }),
        ),
      );
    }
  }
  return { findings, authority: "the target's ledger" };
}
