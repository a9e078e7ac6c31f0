/**
 * What the app did between runs (issue 28 items 3 and 4), checked by migration.sql before it writes.
 *
 * The ledger's before-images say what a run found; to see what the app changed since, migration.sql also needs
 * what the last run left. Each run records it at its end (written: every owned row as it stood after the run).
 * The next apply compares the target's current rows that it owns with the latest standing run's record, column
 * by column over the migrated columns only (updated_at is set by triggers, and columns the app added are the
 * app's), and refuses, naming each row, when the app changed or deleted a row this run would write or remove,
 * unless the output was made with --overwrite-app-edits (then each is a NOTICE and the run goes on).
 *
 * Before the removals, a row whose legacy source is gone but that an app row still references (a foreign key
 * that would refuse the delete) is named with the referencing row, instead of the server's bare FK error.
 */
import { imageDiffersSql } from './compare.js';
import { dollarTag, quoteIdent, quoteString } from './literals.js';
import { OWNED_TABLE, RUN_ID_SQL } from './ledger.js';
import { secretHashSql } from './secrets.js';
import { PLACEHOLDER } from '../transform/secrets.js';

/** One table the ledger covers, as these checks need it. */
export interface LedgerTable {
  readonly table: string;
  /** The key column (id, or key for app_config). */
  readonly key: string;
  /** The columns the migration writes and compares (not the key, not created_at/updated_at). */
  readonly columns: readonly string[];
  /** SQL naming a row from its recorded image `img` (jsonb) and its key `k` (text): legacy id and name, or key. */
  readonly label: (img: string, k: string) => string;
  /** A column that may hold a secret's placeholder (app_config.value): secrets.sql setting it is no app edit. */
  readonly secretColumn?: string;
}

/** The record of what each run left: made by schemas/target.sql (ledger version 2; migration.sql checks the version first). */
export const WRITTEN_TABLE = 'totalis_migrate.written';
const ARRAY = (xs: readonly string[]): string => `ARRAY[${xs.map(quoteString).join(', ')}]::text[]`;

/** A value of a recorded row, short enough for one message line. */
const shown = (v: string): string =>
  `CASE WHEN ${v} IS NULL THEN 'none' WHEN length((${v})::text) > 40 THEN left((${v})::text, 37) || '...' ELSE (${v})::text END`;

/** One row per app edit of `t` this run would overwrite: its description (x). */
function editsOf(t: LedgerTable, keepRemoved: boolean): string {
  const cur = `to_jsonb(c)`;
  // by compare.ts's rule of equality, as verify.sql and the upserts' guards judge a value (3.50 is not 3.5)
  const differs = imageDiffersSql('w.row_image -> col', `${cur} -> col`);
  // a placeholder the run wrote, and now the value secrets.sql set (its hash in the placeholder): no app edit;
  // any other value is one, and is never shown
  const isSecret =
    t.secretColumn === undefined
      ? 'false'
      : `(col = ${quoteString(t.secretColumn)} AND (w.row_image ->> col) ~ ${quoteString(PLACEHOLDER.source)})`;
  const secretDiffers = `${differs} AND substring(w.row_image ->> col from ${quoteString(PLACEHOLDER.source)}) IS DISTINCT FROM ${secretHashSql('w.key', `(${cur} -> col)`)}`;
  const changed = `(SELECT string_agg(CASE WHEN ${isSecret} THEN format('%s (a secret: not the value secrets.sql sets; not shown)', col) ELSE format('%s %s -> %s', col, ${shown('w.row_image -> col')}, ${shown(`${cur} -> col`)}) END, ', ' ORDER BY col)
          FROM unnest(${ARRAY(t.columns)}) col WHERE CASE WHEN ${isSecret} THEN ${secretDiffers} ELSE ${differs} END)`;
  // a row this run writes (the upsert would overwrite it, or bring a deleted row back), or removes
  const touched = `EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = w.tbl AND n.key = w.key)`;
  return `    SELECT format('%s %s: %s', w.tbl, ${t.label('w.row_image', 'w.key')},
             CASE WHEN c.${quoteIdent(t.key)} IS NULL THEN 'deleted by the app' ELSE 'changed by the app: ' || ${changed} END) AS x
      FROM ${WRITTEN_TABLE} w JOIN ${OWNED_TABLE} o ON o.tbl = w.tbl AND o.key = w.key
      LEFT JOIN public.${quoteIdent(t.table)} c ON c.${quoteIdent(t.key)}::text = w.key
     WHERE w.run_id = v_last AND w.tbl = ${quoteString(t.table)}
       AND CASE WHEN c.${quoteIdent(t.key)} IS NULL THEN ${touched}
                ELSE ${keepRemoved ? touched : 'true'} AND ${changed} IS NOT NULL END`;
}

/**
 * Before the ledger records the run (so a run applied again is checked too): the app's edits since the latest
 * standing run, refused unless overwriteAppEdits.
 */
export function appEditsCheckSql(
  tables: readonly LedgerTable[],
  opts: { readonly keepRemoved: boolean; readonly overwriteAppEdits: boolean },
): string {
  const raise = opts.overwriteAppEdits
    ? `RAISE NOTICE 'migration: --overwrite-app-edits: these rows the app changed or deleted since run % are overwritten: %', v_last, v_edits;`
    : `RAISE EXCEPTION 'migration: the app changed or deleted rows since run % was applied, and this run would overwrite them: %. Nothing was changed. Carry the edits into the legacy dump, or make the output again with --overwrite-app-edits to overwrite them', v_last, v_edits;`;
  const body = `
DECLARE
  v_last text;
  v_edits text;
BEGIN
  IF to_regclass('totalis_migrate.runs') IS NULL THEN
    RETURN; -- no ledger: the next block says so
  END IF;
  SELECT run_id INTO v_last FROM totalis_migrate.runs WHERE rolled_back_at IS NULL ORDER BY seq DESC LIMIT 1;
  IF v_last IS NULL THEN
    RETURN;
  END IF;
  SELECT string_agg(x, '; ' ORDER BY x) INTO v_edits FROM (
${tables.map((t) => editsOf(t, opts.keepRemoved)).join('\n    UNION ALL\n')}
  ) s;
  IF v_edits IS NOT NULL THEN
    ${raise}
  END IF;
END
`;
  const tag = dollarTag('appedits', [body]);
  return `-- the app's edits since the last run: refused${opts.overwriteAppEdits ? ' (here overwritten: --overwrite-app-edits)' : ''} (app-edits.ts)\nDO ${tag}${body}${tag};`;
}

/** At the end of migration.sql: what this run left, every row it owns as it stands now. */
export function recordWrittenSql(tables: readonly LedgerTable[]): string[] {
  const run = RUN_ID_SQL;
  return [
    '-- what this run left, for the next run to see what the app changed since (app-edits.ts)',
    `DELETE FROM ${WRITTEN_TABLE} WHERE run_id = ${run};`,
    ...tables.map(
      (t) => `INSERT INTO ${WRITTEN_TABLE} (run_id, tbl, key, row_image)
SELECT ${run}, o.tbl, o.key, to_jsonb(c) FROM ${OWNED_TABLE} o JOIN public.${quoteIdent(t.table)} c ON c.${quoteIdent(t.key)}::text = o.key WHERE o.tbl = ${quoteString(t.table)};`,
    ),
  ];
}

/** A row `o` of the ledger that a run still standing adopted (the app's before it). */
export const ADOPTED_BY_STANDING_RUN = `SELECT FROM totalis_migrate.sources s JOIN totalis_migrate.runs r USING (run_id) WHERE r.rolled_back_at IS NULL AND s.adopted AND s.tbl = o.tbl AND s.key = o.key`;

/**
 * Before the removals: rows of ours whose legacy source is gone that a row outside the removal still references
 * through a foreign key, whatever its ON DELETE: NO ACTION and RESTRICT would refuse the delete with a bare error,
 * CASCADE, SET NULL and SET DEFAULT would silently delete or change the app's row. One message names them all.
 */
export function referencedCheckSql(
  tables: readonly LedgerTable[],
  opts: { readonly handedBack?: boolean } = {},
): string {
  // on a real target the rows a standing run adopted are handed back, not removed (hand-back.ts): no obstacle
  const kept = opts.handedBack === true ? `\n       AND NOT EXISTS (${ADOPTED_BY_STANDING_RUN})` : '';
  const keys = (alias: string): string =>
    `(VALUES ${tables.map((t) => `(${quoteString(t.table)}, ${quoteString(t.key)})`).join(', ')}) AS ${alias}(tbl, keycol)`;
  const named = tables.map(
    (t) => `    SELECT format('%s %s is still referenced by %s', f.tbl, ${t.label('to_jsonb(p)', 'f.key')}, f.by) AS x
      FROM totalis_refs f JOIN public.${quoteIdent(t.table)} p ON p.${quoteIdent(t.key)}::text = f.key WHERE f.tbl = ${quoteString(t.table)}`,
  );
  const body = `
DECLARE
  r record;
  v_bad text;
BEGIN
  CREATE TEMPORARY TABLE totalis_refs (tbl text, key text, by text) ON COMMIT DROP;
  -- each single-column foreign key onto a ledger table, whatever its ON DELETE (a cascade would lose the app's row)
  FOR r IN SELECT c.conrelid::regclass AS src, sa.attname AS col, k.tbl AS dst, ks.tbl AS srctbl, ks.keycol AS srckey
             FROM pg_constraint c
             JOIN ${keys('k')} ON c.confrelid = ('public.' || quote_ident(k.tbl))::regclass
             JOIN pg_attribute sa ON sa.attrelid = c.conrelid AND sa.attnum = c.conkey[1]
             JOIN pg_attribute da ON da.attrelid = c.confrelid AND da.attnum = c.confkey[1] AND da.attname = k.keycol
             LEFT JOIN ${keys('ks')} ON c.conrelid = ('public.' || quote_ident(ks.tbl))::regclass
            WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
            ORDER BY 1, 2
  LOOP
    -- a referencing row that goes in the same removal (a removed child of a removed parent) is no obstacle
    EXECUTE format('INSERT INTO totalis_refs SELECT o.tbl, o.key, format(''%%s %%s (%%s)'', %L, coalesce(to_jsonb(s) ->> ''name'', to_jsonb(s) ->> ''id'', to_jsonb(s)::text), %L)
      FROM ${OWNED_TABLE} o JOIN %s s ON s.%I::text = o.key
     WHERE o.tbl = %L AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)${kept}
       AND NOT coalesce(EXISTS (SELECT FROM ${OWNED_TABLE} so WHERE so.tbl = %L AND so.key = (to_jsonb(s) ->> %L)
                AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = so.tbl AND n.key = so.key)), false)',
      r.src::text, r.col, r.src, r.col, r.dst, r.srctbl, r.srckey);
  END LOOP;
  SELECT string_agg(x, '; ' ORDER BY x) INTO v_bad FROM (
${named.join('\n    UNION ALL\n')}
  ) s;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'migration: rows whose legacy source is gone cannot be removed, the app still references them: %. Nothing was changed. Make the output again with --keep-removed to keep them, or change the referencing rows in the app first', v_bad;
  END IF;
END
`;
  const tag = dollarTag('refs', [body]);
  return `-- rows to remove that the app still references: named, not a bare foreign-key error (app-edits.ts)\nDO ${tag}${body}${tag};`;
}
