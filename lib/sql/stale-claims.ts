/**
 * Stale rows whoever wrote them (issue 28 item 9): a row that claims a legacy source the dump no longer has is
 * stale even when the ledger does not own it (run 1's row put back by hand after run 2 removed it). The sources a
 * dump ever had are the ledger's (totalis_migrate.sources, every applied run's rows with their legacy ids); a row
 * claims one by its legacy_id column (fresh target), metadata.legacy_id (the real target's HEAD shape) or the
 * ledger's sources under its key (the 0525 shape). Rows with no claim, or claiming an id no run ever wrote, are
 * the app's and not stale; rows the app had before a run adopted them are handed back, not stale.
 */
import { quoteIdent, quoteString } from './literals.js';
import { RUN_ID_SQL } from './ledger.js';
import { MODEL } from '../transform/model/tables.js';

/** One table as the check reads it: the key column, and which claims its shape can hold. */
export interface ClaimTable {
  readonly table: string;
  readonly key: string;
  /** The column that holds the legacy id (the model's; a real target's of that name), or null. */
  readonly legacyIdColumn: string | null;
  readonly metadata: boolean;
  readonly name: boolean;
}

/** The fresh target's tables as the check reads them: a legacy_id column and a name (verify.sql, reconcile.ts). */
export const FRESH_CLAIMS: readonly ClaimTable[] = MODEL.filter((m) => m.legacyIdColumn !== null).map((m) => ({
  table: m.table,
  key: m.key,
  legacyIdColumn: m.legacyIdColumn,
  metadata: false,
  name: true,
}));

/** A row migration.sql writes, with its legacy source (null: none, app_config) and whether it was the app's. */
export interface SourceRow {
  readonly table: string;
  readonly key: string;
  readonly legacyId: number | null;
  readonly adopted: boolean;
}

/**
 * migration.sql (fresh and real target alike): each row's legacy source in the ledger, so a later verify knows the
 * dump had it, and which rows were the app's before this run took them over (adopted: handed back, never deleted).
 */
export function recordSourcesSql(rows: readonly SourceRow[]): string[] {
  if (rows.length === 0) return [];
  // by table, then legacy id, then key: neither a value nor the tree's order moves a line of this list (issue 28
  // item 11)
  const text = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...rows].sort(
    (a, b) => text(a.table, b.table) || (a.legacyId ?? -1) - (b.legacyId ?? -1) || text(a.key, b.key),
  );
  return [
    "-- each row's legacy source (a later verify.sql knows the dump had it, whoever writes the row back), and the app's",
    '-- rows this run takes over (adopted)',
    `INSERT INTO totalis_migrate.sources (run_id, tbl, key, legacy_id, adopted) SELECT ${RUN_ID_SQL}, v.* FROM (VALUES`,
    sorted
      .map((r) => `  ('${r.table}', ${quoteString(r.key)}, ${r.legacyId ?? 'NULL::integer'}, ${r.adopted})`)
      .join(',\n'),
    ') AS v(tbl, key, legacy_id, adopted)',
    'ON CONFLICT DO NOTHING;',
  ];
}

/**
 * The rule itself, one query: each row that claims a source the dump lost, as text `x` ("categories legacy id 5
 * Snacks"). It reads the run's keys from the temporary table totalis_run_keys; verify.sql and reconcile.ts (`verify
 * --db`) both run it.
 */
export function staleClaimsQuery(tables: readonly ClaimTable[]): string {
  const selects = tables.map((d) => {
    const key = `t.${quoteIdent(d.key)}::text`;
    const claims = [
      ...(d.legacyIdColumn !== null ? [`t.${quoteIdent(d.legacyIdColumn)}`] : []),
      ...(d.metadata
        ? [
            "CASE WHEN jsonb_typeof(t.metadata -> 'legacy_id') = 'number' THEN (t.metadata ->> 'legacy_id')::numeric END",
          ]
        : []),
      `(SELECT min(o.legacy_id) FROM totalis_migrate.sources o WHERE o.tbl = '${d.table}' AND o.key = ${key})`,
    ];
    return `    SELECT format('%s legacy id %s %s', '${d.table}', c.legacy_id, ${d.name ? 't.name' : key}) AS x
      FROM public.${quoteIdent(d.table)} t CROSS JOIN LATERAL (SELECT coalesce(${claims.join(', ')}) AS legacy_id) c
     WHERE c.legacy_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = '${d.table}' AND n.key = ${key})
       AND EXISTS (SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.tbl = '${d.table}' AND s.legacy_id = c.legacy_id)
       AND NOT EXISTS (SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.adopted AND s.tbl = '${d.table}' AND s.key = ${key})`;
  });
  return selects.join('\n    UNION ALL\n');
}

/** verify.sql's check: fails (or, with --keep-removed, notes) naming each row that claims a source the dump lost. */
export function staleClaimsSql(tables: readonly ClaimTable[], keepRemoved: boolean): string {
  if (tables.length === 0) return '';
  return `
  -- rows claiming a legacy source the dump no longer has, whoever wrote them (the ledger's owned set or not)
  SELECT string_agg(x, '; ' ORDER BY x) INTO v_bad FROM (
${staleClaimsQuery(tables)}
  ) s;
  IF v_bad IS NOT NULL THEN
    ${keepRemoved ? "RAISE NOTICE 'verify: kept by --keep-removed, rows claiming a legacy source the dump no longer has: %', v_bad;" : "RAISE EXCEPTION 'verify: rows claim a legacy source the dump no longer has (stale, whoever wrote them): %', v_bad;"}
  END IF;
`;
}
