/**
 * What `transform --target-db` (or --target-schema/--target-data) reads of the ledger to list in advance what
 * migration.sql would refuse (issue 28 items 3 and 4): the app's edits since the latest standing run, and the
 * rows the app still references. Read-only queries (the snapshot is READ ONLY: no temporary tables), each one
 * JSON text; pure: the text only. The rules they mirror live in lib/sql/app-edits.ts (apply time); advance.ts
 * applies the same rules to what these read.
 */
import { imageDiffersSql } from '../compare.js';
import { quoteIdent, quoteString } from '../literals.js';
import { secretHashSql } from '../secrets.js';
import { PLACEHOLDER } from '../../transform/secrets.js';
import { MODEL } from '../../transform/model/tables.js';

/** The latest run that stands (not rolled back): the one whose record the app's edits are compared with. */
const LAST_RUN = `(SELECT run_id FROM totalis_migrate.runs WHERE rolled_back_at IS NULL ORDER BY seq DESC LIMIT 1)`;

/** A row of a ledger table by its key, as jsonb (null when the app deleted it). */
const currentRow = (tbl: string, key: string): string =>
  `CASE ${tbl} ${MODEL.map((m) => `WHEN ${quoteString(m.table)} THEN (SELECT to_jsonb(x) FROM public.${quoteIdent(m.table)} x WHERE x.${quoteIdent(m.key)}::text = ${key})`).join(' ')} END`;

/**
 * Each row the latest standing run left and still owns: deleted since, or the columns whose value differs from
 * the record by compare.ts's rule (created_at/updated_at aside: triggers set them; a secret's placeholder now
 * holding the value secrets.sql set is no edit). Which of those columns this run writes is advance.ts' question.
 */
export const WRITTEN_EDITS_SQL = `SELECT coalesce(jsonb_agg(jsonb_build_object('table', w.tbl, 'key', w.key, 'run', w.run_id,
    'legacyId', (SELECT max(s.legacy_id) FROM totalis_migrate.sources s WHERE s.tbl = w.tbl AND s.key = w.key),
    'name', coalesce(w.row_image ->> 'name', w.row_image ->> 'key', w.key),
    'deleted', c.j IS NULL,
    'columns', (SELECT coalesce(jsonb_agg(col ORDER BY col), '[]') FROM jsonb_object_keys(w.row_image) col
                 WHERE c.j IS NOT NULL AND col NOT IN ('created_at', 'updated_at') AND ${imageDiffersSql('w.row_image -> col', 'c.j -> col')}
                   AND NOT (w.tbl = 'app_config' AND col = 'value' AND (w.row_image ->> col) ~ ${quoteString(PLACEHOLDER.source)}
                        AND substring(w.row_image ->> col from ${quoteString(PLACEHOLDER.source)}) IS NOT DISTINCT FROM ${secretHashSql('w.key', `(c.j -> col)`)})))
  ORDER BY w.tbl, w.key), '[]')::text
  FROM totalis_migrate.written w JOIN totalis_migrate.owned o ON o.tbl = w.tbl AND o.key = w.key
  CROSS JOIN LATERAL (SELECT ${currentRow('w.tbl', 'w.key')} AS j) c
 WHERE w.run_id = ${LAST_RUN}`;

/** The rows a standing run adopted (the app's own before it): handed back, never removed (hand-back.ts). */
export const ADOPTED_SQL = `SELECT coalesce(jsonb_agg(DISTINCT s.tbl || ' ' || s.key), '[]')::text FROM totalis_migrate.sources s
  JOIN totalis_migrate.runs r ON r.run_id = s.run_id AND r.rolled_back_at IS NULL WHERE s.adopted`;

const KEYS = `(VALUES ${MODEL.map((m) => `(${quoteString(m.table)}, ${quoteString(m.key)})`).join(', ')})`;

/** Each single-column foreign key onto a ledger table's key that refuses a delete (as referencedCheckSql follows). */
export const REFUSING_KEYS_SQL = `SELECT coalesce(jsonb_agg(jsonb_build_object('src', c.conrelid::regclass::text, 'col', sa.attname::text,
    'dst', k.tbl, 'srcTable', ks.tbl, 'srcKey', ks.keycol) ORDER BY c.conrelid::regclass::text, sa.attname), '[]')::text
  FROM pg_constraint c
  JOIN ${KEYS} AS k(tbl, keycol) ON c.confrelid = to_regclass('public.' || quote_ident(k.tbl))
  JOIN pg_attribute sa ON sa.attrelid = c.conrelid AND sa.attnum = c.conkey[1]
  JOIN pg_attribute da ON da.attrelid = c.confrelid AND da.attnum = c.confkey[1] AND da.attname = k.keycol
  LEFT JOIN ${KEYS} AS ks(tbl, keycol) ON c.conrelid = to_regclass('public.' || quote_ident(ks.tbl))
 WHERE c.contype = 'f' AND cardinality(c.conkey) = 1`;

export interface RefusingKey {
  /** The referencing table as regclass prints it (quoted where needed). */
  readonly src: string;
  readonly col: string;
  /** The ledger table referenced. */
  readonly dst: string;
  /** When the referencing table is a ledger table too: its name and key column. */
  readonly srcTable: string | null;
  readonly srcKey: string | null;
}

/** The rows of one such key's table that reference a row the ledger owns, each named as referencedCheckSql names it. */
export const referencingRowsSql = (k: RefusingKey): string =>
  `SELECT coalesce(jsonb_agg(jsonb_build_object('table', ${quoteString(k.dst)}, 'key', s.${quoteIdent(k.col)}::text,
    'by', format('%s %s (%s)', ${quoteString(k.src)}, coalesce(to_jsonb(s) ->> 'name', to_jsonb(s) ->> 'id', to_jsonb(s)::text), ${quoteString(k.col)}),
    'byKey', ${k.srcTable !== null && k.srcKey !== null ? `${quoteString(k.srcTable)} || ' ' || (to_jsonb(s) ->> ${quoteString(k.srcKey)})` : 'NULL'})
    ORDER BY s.${quoteIdent(k.col)}::text, to_jsonb(s)::text), '[]')::text
  FROM ${k.src} s WHERE s.${quoteIdent(k.col)}::text IN (SELECT o.key FROM totalis_migrate.owned o WHERE o.tbl = ${quoteString(k.dst)})`;

/** One row the latest standing run left, as WRITTEN_EDITS_SQL found it. */
export interface WrittenEdit {
  readonly table: string;
  readonly key: string;
  readonly run: string;
  readonly legacyId: number | null;
  readonly name: string;
  readonly deleted: boolean;
  /** The columns whose value the app changed (all of them; advance.ts keeps the ones this run writes). */
  readonly columns: readonly string[];
}

/** A row outside the removal's reach referencing a row the ledger owns. */
export interface Reference {
  readonly table: string;
  readonly key: string;
  /** The referencing row, named: `public.profiles Maria (coach_id)`. */
  readonly by: string;
  /** `table key` when the referencing row is a ledger table's row. */
  readonly byKey: string | null;
}

/** What the target's ledger says beyond the owned set (only where there is a ledger). */
export interface LedgerView {
  readonly edits: readonly WrittenEdit[];
  /** `table key` of the rows a standing run adopted. */
  readonly adopted: readonly string[];
  readonly references: readonly Reference[];
}
