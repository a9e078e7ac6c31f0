/**
 * The ledger (issue 21): which rows of the target are the migration's, recorded in the target itself, not
 * guessed. schemas/target.sql creates the schema totalis_migrate once; each migration.sql, inside its own
 * transaction:
 *   - records its run (runs: id, tool version, inputs) and, before writing anything, the before-image of every
 *     row it may write or remove (undo: the row as JSON, or NULL for a row it inserts) and the owned set as it
 *     was (owned_before);
 *   - removes the rows it owned that the new dump no longer gives (their legacy source is gone);
 *   - sets the owned set to exactly what it wrote.
 * rollback.sql of a run puts every row back from its before-images (updated rows get their old values, removed
 * rows return, inserted rows go) and the owned set with them, so the target is as it was before that run; it
 * needs nothing but the ledger, never a file a later transform overwrote. Runs are rolled back newest first.
 * A second apply of the same migration.sql changes nothing, the ledger included.
 */
import { createHash } from 'node:crypto';
import type { RunDescription } from './header.js';
import { dollarTag, quoteAscii, quoteIdent, quoteString } from './literals.js';
import { byKey, byLegacyId, type MigrationRows } from './rows.js';
import { MODEL, type ModelTable } from '../transform/model/tables.js';
import type { TargetTable } from '../transform/target-rows.js';

/**
 * The tables the ledger covers, their names, keys and legacy-id homes: the table model's (issue 31 item 1), in the
 * order rows are written (parents before children is the upsert's business).
 */
const TABLES: readonly ModelTable[] = MODEL;
/** Rows go in the reverse order: a table's rows before those of the tables written before it. */
const REMOVAL_ORDER: readonly ModelTable[] = [...MODEL].reverse();

/** A run's identity: the same inputs, options and tool version give the same id (and the same migration.sql). */
export function runId(run: RunDescription): string {
  return createHash('sha256')
    .update(JSON.stringify([run.toolVersion, run.inputs, run.options]))
    .digest('hex')
    .slice(0, 16);
}

/** The key column as text, as the ledger stores keys. */
const keyText = (def: { readonly key: string }, alias: string): string => `${alias}.${quoteIdent(def.key)}::text`;

/** The ledger's set of rows that are the migration's: (tbl, key). */
export const OWNED_TABLE = 'totalis_migrate.owned';

/** The condition that row `alias` of def's table is the ledger's entry `owned` (an alias of OWNED_TABLE). */
export function ownedMatch(def: { readonly table: string; readonly key: string }, alias: string, owned = 'o'): string {
  return `${owned}.tbl = '${def.table}' AND ${owned}.key = ${keyText(def, alias)}`;
}

/** This run's id after recordRunSql, in any later statement of migration.sql (set transaction-locally there). */
export const RUN_ID_SQL = "current_setting('totalis_migrate.run_id')";

/** The advisory lock every apply and rollback takes (the ASCII of "totalis" as a number). */
export const LEDGER_LOCK = '32773642939820403';

/**
 * First in migration.sql's and rollback.sql's transaction: one of them at a time on a target. Two applies at once
 * would each capture before-images the other is about to change; the second waits until the first commits.
 */
export const LOCK_SQL = `-- one apply or rollback at a time: the second waits for the first to commit (transaction-scoped)
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(${LEDGER_LOCK}); END $lock$;`;

/** Every key a run writes, in a temporary table the rest of migration.sql and verify.sql read (in the order given). */
export function runKeysSql(keys: readonly { readonly table: string; readonly key: string }[], note: string): string[] {
  return [
    `-- ${note}`,
    'CREATE TEMPORARY TABLE totalis_run_keys (tbl text NOT NULL, key text NOT NULL, PRIMARY KEY (tbl, key)) ON COMMIT DROP;',
    ...(keys.length === 0
      ? []
      : [
          'INSERT INTO totalis_run_keys (tbl, key) VALUES',
          keys.map((k) => `  ('${k.table}', ${quoteAscii(k.key)})`).join(',\n') + ';',
        ]),
  ];
}

const ROWS_OF: Readonly<Record<TargetTable, (rows: MigrationRows) => readonly object[]>> = {
  coaches: (r) => r.coaches,
  categories: (r) => r.categories,
  app_config: (r) => r.appConfig,
};

/** A model table's rows of the fresh target, by legacy id where the model keeps one, else by key. */
function modelKeys(rows: MigrationRows, m: ModelTable): string[] {
  const list = ROWS_OF[m.table](rows) as readonly Record<string, unknown>[];
  const sorted =
    m.legacyIdColumn === null
      ? byKey(list as readonly { readonly key: string }[])
      : byLegacyId(list as readonly { readonly legacy_id: number }[]);
  return (sorted as readonly Record<string, unknown>[]).map((r) => String(r[m.key]));
}

/** Every key this run writes (fresh target): by legacy id (or key), never the tree's order, so a sort_order change moves no line. */
export function newKeysSql(rows: MigrationRows): string[] {
  return runKeysSql(
    TABLES.flatMap((m) => modelKeys(rows, m).map((key) => ({ table: m.table, key }))),
    'what this run writes: the rows of the ledger it will own',
  );
}

/** Before writing: the run recorded, with the before-image of every row it may change and the owned set as it is. */
export function recordRunSql(id: string, run: RunDescription): string {
  // the run id once, in a variable: a one-value change in the dump changes few lines of migration.sql
  // to_jsonb makes SQL NULL and the JSON null of a jsonb column the same `null`: the jsonb columns that are SQL
  // NULL are listed apart (sql_nulls), so rollback.sql puts back exactly the one the row held (app_config.value
  // is NOT NULL and holds JSON null: var_unset). The jsonb columns are the table's at apply time.
  const capture = TABLES.map(
    (
      def,
    ) => `  SELECT coalesce(string_agg(format('CASE WHEN t.%I IS NULL THEN %L END', attname, attname), ', ' ORDER BY attnum), '') INTO v_nulls
    FROM pg_attribute WHERE attrelid = 'public.${quoteIdent(def.table)}'::regclass AND atttypid = 'jsonb'::regtype AND attnum > 0 AND NOT attisdropped;
  EXECUTE format('INSERT INTO totalis_migrate.undo (run_id, tbl, key, old_row, sql_nulls)
    SELECT $1, ''${def.table}'', k.key, CASE WHEN t.${quoteIdent(def.key)} IS NOT NULL THEN to_jsonb(t) END, CASE WHEN t.${quoteIdent(def.key)} IS NOT NULL THEN array_remove(ARRAY[%s]::text[], NULL) END
      FROM (SELECT key FROM totalis_run_keys WHERE tbl = ''${def.table}'' UNION SELECT key FROM totalis_migrate.owned WHERE tbl = ''${def.table}'') k
      LEFT JOIN public.${quoteIdent(def.table)} t ON ${keyText(def, 't')} = k.key', v_nulls) USING v_run;`,
  );
  // the inputs' file names are embedded: the block's tag is one they do not hold (literals.ts)
  const body = `
DECLARE
  v_run constant text := ${quoteString(id)};
  v_nulls text;
  v_later text;
BEGIN
  IF to_regclass('totalis_migrate.runs') IS NULL THEN
    RAISE EXCEPTION 'the ledger schema totalis_migrate is missing: apply schemas/target.sql first (once; it is safe to repeat)';
  END IF;
  -- the run id for the rest of this transaction (RUN_ID_SQL): written once, so a changed run changes one line
  PERFORM set_config('totalis_migrate.run_id', v_run, true);
  -- a run the ledger knows, applied again while a newer one (first applied after it) stands: its older rows
  -- would overwrite the newer run's
  SELECT string_agg(run_id, ', ' ORDER BY seq DESC) INTO v_later FROM totalis_migrate.runs
   WHERE rolled_back_at IS NULL AND seq > (SELECT seq FROM totalis_migrate.runs WHERE run_id = v_run);
  IF v_later IS NOT NULL THEN
    RAISE EXCEPTION 'migration: run % is older than run(s) % applied after it: applying it again would bring older data back; nothing was changed. Apply the newest output, or roll the newer runs back first (their rollback.sql, newest first)', v_run, v_later;
  END IF;
  IF EXISTS (SELECT FROM totalis_migrate.runs WHERE run_id = v_run AND rolled_back_at IS NULL) THEN
    RETURN; -- applied already: its before-images stand, and the rest of this file changes nothing
  END IF;
  DELETE FROM totalis_migrate.undo WHERE run_id = v_run;
  DELETE FROM totalis_migrate.owned_before WHERE run_id = v_run;
  -- a run rolled back and applied again keeps its place (seq): runs are older or newer by their first apply
  INSERT INTO totalis_migrate.runs (run_id, tool_version, inputs) VALUES (v_run, ${quoteString(run.toolVersion)}, ${quoteString(JSON.stringify(run.inputs))}::jsonb)
    ON CONFLICT (run_id) DO UPDATE SET applied_at = now(), rolled_back_at = NULL;
  INSERT INTO totalis_migrate.owned_before (run_id, tbl, key) SELECT v_run, tbl, key FROM totalis_migrate.owned;
${capture.join('\n')}
END
`;
  const tag = dollarTag('ledger', [body]);
  return `-- the ledger: this run, and what the target held before it (rollback.sql puts it back)\nDO ${tag}${body}${tag};`;
}

/**
 * After the upserts: the rows this run's predecessors wrote that the dump no longer gives are removed (unless
 * kept), and the owned set becomes what this run wrote. Categories go in one statement, so a removed parent
 * and its removed children go together; a child the dump moved elsewhere was moved by the upsert already.
 * handBack (a real target, issue 31): the rows that were the app's go back to it first (its SQL), and the deletes
 * spare them (keep: an EXISTS query over the owned row `o`).
 */
export function removeStaleSql(
  keepRemoved: boolean,
  handBack?: { readonly sql: string; readonly keep: string },
): string[] {
  const out: string[] = [];
  if (!keepRemoved) {
    if (handBack === undefined)
      out.push('-- rows whose legacy source is gone from the dump: removed (the ledger says they were ours)');
    else
      out.push(
        "-- rows whose legacy source is gone from the dump: removed, unless they were the app's (adopted): those stay, handed back",
        handBack.sql,
      );
    for (const def of REMOVAL_ORDER) {
      out.push(
        `DELETE FROM public.${quoteIdent(def.table)} t USING ${OWNED_TABLE} o
 WHERE ${ownedMatch(def, 't')}
   AND NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)${handBack === undefined ? '' : `\n   AND NOT EXISTS (${handBack.keep})`};`,
      );
    }
    out.push(
      'DELETE FROM totalis_migrate.owned o WHERE NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key);',
    );
  } else {
    out.push('-- --keep-removed: rows whose legacy source is gone stay, and stay in the ledger (each was a warning)');
  }
  out.push(
    'INSERT INTO totalis_migrate.owned (tbl, key) SELECT tbl, key FROM totalis_run_keys ON CONFLICT DO NOTHING;',
  );
  return out;
}

/**
 * A real target's BEFORE UPDATE triggers set updated_at = now() (issue 31): while the old rows are put back they
 * are off (session_replication_role = replica, as `supabase db dump --data-only` does), so every column returns
 * exactly; a role that may not set it restores all but updated_at, and is told so. Back on before the deletes, so
 * foreign keys still guard them.
 */
export const QUIET_TRIGGERS = `  BEGIN
    PERFORM set_config('session_replication_role', 'replica', true);
  EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'rollback: this role may not set session_replication_role: the target''s triggers will set updated_at of the restored rows to now()';
  END;
`;
export const LOUD_TRIGGERS = `  IF current_setting('session_replication_role') = 'replica' THEN
    PERFORM set_config('session_replication_role', 'origin', true);
  END IF;
`;

/**
 * Over information_schema.columns (column_name, data_type): the SQL text that gives one column its value from a
 * before-image, u (totalis_migrate.undo) read through r (jsonb_populate_record of u.old_row): a jsonb column from
 * the JSON itself (jsonb_populate_record would make a JSON null SQL NULL), SQL NULL where sql_nulls says. rollback.sql
 * and the hand-back of adopted rows (target-model/hand-back.ts) restore by it.
 */
export const RESTORED_COLUMN_SQL = `CASE WHEN data_type = 'jsonb' THEN format('CASE WHEN u.old_row ? %L AND NOT %L = ANY (coalesce(u.sql_nulls, ''{}'')) THEN u.old_row -> %L END', column_name, column_name, column_name) ELSE format('r.%I', column_name) END`;

/** rollback.sql's body: the target as it was before the run, from the ledger alone. */
export function rollbackRunSql(id: string, quietTriggers = false): string {
  const run_ = quoteString(id);
  // every column of the table as it is now (the app may have added some), each from the before-image; a jsonb
  // column from the JSON itself (jsonb_populate_record would make a JSON null SQL NULL), SQL NULL where sql_nulls says
  const restore = TABLES.map(
    (
      def,
    ) => `  -- ${def.table}: rows it changed or removed get their old values back (one statement: parents and children together)
  SELECT string_agg(format('%I', column_name), ', ' ORDER BY ordinal_position),
         string_agg(${RESTORED_COLUMN_SQL}, ', ' ORDER BY ordinal_position),
         string_agg(format('%I = EXCLUDED.%I', column_name, column_name), ', ' ORDER BY ordinal_position) FILTER (WHERE column_name <> '${def.key}')
    INTO v_cols, v_exprs, v_sets
    FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${def.table}';
  EXECUTE format('INSERT INTO public.%I (%s) SELECT %s FROM totalis_migrate.undo u CROSS JOIN LATERAL jsonb_populate_record(NULL::public.%I, u.old_row) r WHERE u.run_id = $1 AND u.tbl = %L AND u.old_row IS NOT NULL ON CONFLICT (%I) DO UPDATE SET %s',
    '${def.table}', v_cols, v_exprs, '${def.table}', '${def.table}', '${def.key}', v_sets)
    USING v_run;`,
  );
  const remove = REMOVAL_ORDER.map(
    (def) => `  -- ${def.table}: rows it inserted go
  DELETE FROM public.${quoteIdent(def.table)} t USING totalis_migrate.undo u WHERE u.run_id = v_run AND u.tbl = '${def.table}' AND u.old_row IS NULL AND u.key = ${keyText(def, 't')};`,
  );
  const body = `
DECLARE
  v_run constant text := ${run_};
  v_later text;
  v_cols text;
  v_exprs text;
  v_sets text;
BEGIN
  IF to_regclass('totalis_migrate.runs') IS NULL OR NOT EXISTS (SELECT FROM totalis_migrate.runs WHERE run_id = v_run AND rolled_back_at IS NULL) THEN
    RAISE NOTICE 'rollback: run % is not applied to this database (never, or rolled back already): nothing to undo', v_run;
    RETURN;
  END IF;
  SELECT string_agg(run_id, ', ' ORDER BY seq DESC) INTO v_later FROM totalis_migrate.runs
   WHERE rolled_back_at IS NULL AND seq > (SELECT seq FROM totalis_migrate.runs WHERE run_id = v_run);
  IF v_later IS NOT NULL THEN
    RAISE EXCEPTION 'rollback: run(s) % were applied after run %; roll them back first, newest first (their rollback.sql)', v_later, v_run;
  END IF;
${quietTriggers ? QUIET_TRIGGERS : ''}${restore.join('\n')}
${quietTriggers ? LOUD_TRIGGERS : ''}${remove.join('\n')}
  -- the ledger as it was: the owned set before the run, and the run marked rolled back
  DELETE FROM totalis_migrate.owned;
  INSERT INTO totalis_migrate.owned (tbl, key) SELECT tbl, key FROM totalis_migrate.owned_before WHERE run_id = v_run;
  UPDATE totalis_migrate.runs SET rolled_back_at = now() WHERE run_id = v_run;
  -- what the run left stands no more: the next run compares the app's edits with the run before it (app-edits.ts)
  DELETE FROM totalis_migrate.written WHERE run_id = v_run;
  RAISE NOTICE 'rollback: run % undone', v_run;
END
`;
  const tag = dollarTag('rollback', [body]);
  return `DO ${tag}${body}${tag};`;
}

/**
 * A row of the fresh target as verify.sql names it: by its legacy id and name where the model keeps the legacy id
 * in a column, else by its key.
 */
const freshLabel = (def: ModelTable): string =>
  def.legacyIdColumn === null
    ? `t.${quoteIdent(def.key)}::text`
    : `format('legacy id %s %s', t.${quoteIdent(def.legacyIdColumn)}, t.name)`;

/**
 * verify.sql: the run is applied, and the migration owns exactly the rows it wrote: nothing stale is left. label:
 * how a row `t` is named (a real target names it by key: its legacy id may have no column).
 */
export function verifyLedgerSql(id: string, keepRemoved: boolean, label = freshLabel): string {
  const run_ = quoteString(id);
  return `
  -- the ledger: this run applied, and no row of the migration's left that this run did not write
  IF to_regclass('totalis_migrate.runs') IS NULL OR NOT EXISTS (SELECT FROM totalis_migrate.runs WHERE run_id = ${run_} AND rolled_back_at IS NULL) THEN
    RAISE EXCEPTION 'verify: run ${id} is not applied to this database (apply its migration.sql)';
  END IF;
  SELECT string_agg(x, '; ' ORDER BY x) INTO v_bad FROM (
${TABLES.map(
  (
    def,
  ) => `    SELECT '${def.table} ' || ${label(def)} AS x FROM public.${quoteIdent(def.table)} t JOIN ${OWNED_TABLE} o ON ${ownedMatch(def, 't')}
     WHERE NOT EXISTS (SELECT FROM totalis_run_keys n WHERE n.tbl = o.tbl AND n.key = o.key)`,
).join('\n    UNION ALL\n')}
  ) s;
  IF v_bad IS NOT NULL THEN
    ${keepRemoved ? "RAISE NOTICE 'verify: kept by --keep-removed, their legacy source gone: %', v_bad;" : "RAISE EXCEPTION 'verify: rows of the migration whose legacy source is gone are still there: %', v_bad;"}
  END IF;
`;
}
