/**
 * Issue 31 item 4: an adopted row (the app's own, taken over in place) whose legacy source a later dump no longer
 * has is handed back to the app as it was before adoption, never deleted: users' profiles and default_coach point
 * at it by id. Its values before adoption are the before-image the adopting run recorded in the ledger (undo);
 * the latest run that adopted it is the one that counts (a row handed back and adopted again was the app's in
 * between). Every column returns, updated_at too (the target's BEFORE UPDATE triggers are quiet meanwhile, as in
 * rollback.sql). The row leaves the owned set with the other rows whose source is gone; this run's own before-image
 * of it (taken by recordRunSql) lets its rollback.sql take it over again.
 */
import { dollarTag, quoteIdent } from '../literals.js';
import { LOUD_TRIGGERS, QUIET_TRIGGERS, RESTORED_COLUMN_SQL } from '../ledger.js';
import type { Binding } from './bind.js';

/** The rows of `table` to hand back: owned, not written by this run, adopted by a run that stands. */
function handBackRows(table: string): string {
  return `SELECT DISTINCT ON (o.key) o.key, u.old_row, u.sql_nulls FROM totalis_migrate.owned o
      JOIN totalis_migrate.sources s ON s.tbl = o.tbl AND s.key = o.key AND s.adopted
      JOIN totalis_migrate.runs r ON r.run_id = s.run_id AND r.rolled_back_at IS NULL
      JOIN totalis_migrate.undo u ON u.run_id = s.run_id AND u.tbl = s.tbl AND u.key = s.key AND u.old_row IS NOT NULL
     WHERE o.tbl = '${table}' AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)
     ORDER BY o.key, r.seq DESC`;
}

/** migration.sql, before the owned set drops the rows whose source is gone: the adopted ones among them handed back. */
export function handBackSql(b: Binding): string {
  const tables = b.tables.map(
    (
      t,
    ) => `  -- ${t.table}: every column but the key from the before-image (a jsonb column from the JSON itself, SQL NULL where sql_nulls says)
  SELECT string_agg(format('%I = %s', column_name, ${RESTORED_COLUMN_SQL}), ', ' ORDER BY ordinal_position)
    INTO v_sets FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${t.table}' AND column_name <> '${t.keyColumn}';
  EXECUTE format('UPDATE public.${quoteIdent(t.table)} t SET %s FROM (${handBackRows(t.table).replace(/'/g, "''")}) u CROSS JOIN LATERAL jsonb_populate_record(NULL::public.${quoteIdent(t.table)}, u.old_row) r WHERE t.${quoteIdent(t.keyColumn)}::text = u.key', v_sets);
  GET DIAGNOSTICS v_n = ROW_COUNT;
  IF v_n > 0 THEN
    RAISE NOTICE 'migration: % row(s) of ${t.table} handed back to the app as they were before adoption (their legacy source is gone)', v_n;
  END IF;`,
  );
  const body = `
DECLARE
  v_sets text;
  v_n bigint;
BEGIN
${QUIET_TRIGGERS}${tables.join('\n')}
${LOUD_TRIGGERS}END
`;
  const tag = dollarTag('handback', [body]);
  return `-- the app's rows this migration took over whose legacy source is gone: handed back as they were before adoption, never deleted\nDO ${tag}${body}${tag};`;
}

/** One row this run hands back, for the change summary, report.md and review.html. */
export interface HandedBack {
  readonly table: string;
  readonly key: string;
  /** The row's name as the target holds it now (a config row: its key). */
  readonly name: string;
}

/**
 * The rows handBackSql hands back, known at transform time from the target's snapshot: adopted by a run that
 * stands, still owned, and not written by this run (the same three conditions as handBackRows).
 */
export function handedBack(b: Binding): HandedBack[] {
  const ledger = b.target.ledger;
  if (ledger === null) return [];
  const owned = new Set(b.target.owned);
  const out: HandedBack[] = [];
  for (const t of b.tables) {
    const written = new Set(t.rows.map((r) => r.key));
    for (const row of t.shape.rows) {
      const key = String(row[t.keyColumn]);
      const id = `${t.table} ${key}`;
      if (!ledger.adopted.includes(id) || !owned.has(id) || written.has(key)) continue;
      out.push({ table: t.table, key, name: typeof row['name'] === 'string' ? row['name'] : key });
    }
  }
  return out;
}

/** report.md, after the adopted rows: the rows handed back (or none). */
export function handedBackReportLines(b: Binding): string[] {
  const rows = handedBack(b);
  return [
    `Handed back (adopted by an earlier run, their legacy source now gone: restored as they were before adoption, never deleted): ${rows.length === 0 ? 'none' : rows.length}`,
    ...rows.map((r) => `- ${r.table} ${r.name}: the app's row ${r.key}`),
    '',
  ];
}
