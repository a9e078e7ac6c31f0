/**
 * migration.sql and verify.sql for a real target (issue 31): the bound rows (bind.ts) written under the
 * target's own columns, `metadata` merged key by key (the app's own keys stay), the app's rows taken over in
 * place, and nothing about access touched. verify.sql checks the rows, the ledger, the default coach, that no
 * name or category path is doubled, and that the policies and grants on the three tables are exactly those the
 * target had when it was read. rollback.sql is the fresh path's (ledger.ts restores every column from the
 * before-images, whatever the shape).
 */
import { header, type RunDescription } from '../header.js';
import { verifyFileSql } from '../verify.js';
import { ledgerVersionCheckSql } from '../ledger-version.js';
import { recordSourcesSql, staleClaimsSql, type ClaimTable } from '../stale-claims.js';
import { secretDiffersSql } from '../secrets.js';
import { PLACEHOLDER, placeholderHash } from '../../transform/secrets.js';
import { LOCK_SQL, recordRunSql, removeStaleSql, runId, runKeysSql, verifyLedgerSql } from '../ledger.js';
import { COMPARE, kindOfType } from '../compare.js';
import type { ColumnKind } from '../target-tables.js';
import { comment, quoteIdent, quoteJsonbPart, quoteString } from '../literals.js';
import { lines, type TextParts } from '../../text-parts.js';
import type { JsonValue } from '../../transform/target-rows.js';
import { ACCESS_LINES_SQL } from './shape.js';
import type { Binding, BoundRow, BoundTable } from './bind.js';
import { handBackSql } from './hand-back.js';
import {
  ADOPTED_BY_STANDING_RUN,
  appEditsCheckSql,
  recordWrittenSql,
  referencedCheckSql,
  type LedgerTable,
} from '../app-edits.js';

/**
 * The bound tables as app-edits.ts checks them: the columns this run writes (metadata is merged key by key, the
 * app's keys stay, so it is not compared), a row named by its legacy source in the ledger and its name.
 */
function ledgerTables(b: Binding): LedgerTable[] {
  return b.tables.map((t) => ({
    table: t.table,
    key: t.keyColumn,
    columns: comparedColumns(t),
    ...(t.table === 'app_config' ? { secretColumn: 'value' } : {}),
    label: (img, k) =>
      `concat_ws(' ', 'legacy id ' || (SELECT max(s.legacy_id)::text FROM totalis_migrate.sources s WHERE s.tbl = '${t.table}' AND s.key = ${k}), coalesce(${img} ->> 'name', ${img} ->> 'key', ${k}))`,
  }));
}

const CREATED = 'created_at';
const UPDATED = 'updated_at';

/** The columns a bound table's rows write, as the app's edits are compared over them (advance.ts too). */
export const comparedColumns = (t: BoundTable): string[] =>
  [...new Set(t.rows.flatMap((r) => Object.keys(r.values)))].filter((c) => c !== CREATED && c !== UPDATED).sort();

/** The keys this run writes, as the ledger's SQL (ledger.ts) reads them. */
const runKeys = (b: Binding): string[] =>
  runKeysSql(
    b.tables.flatMap((t) => t.rows.map((r) => ({ table: t.table, key: r.key }))),
    "what this run writes: the rows of the ledger it will own (adopted rows under the app's own keys)",
  );

/** Each row's legacy source in the ledger, and which rows were the app's (adopted): the ledger's own record. */
const sourcesSql = (b: Binding): string[] =>
  recordSourcesSql(
    b.tables.flatMap((t) =>
      t.rows.map((r) => ({ table: t.table, key: r.key, legacyId: r.legacyId, adopted: r.adopted !== null })),
    ),
  );

/** The row as the JSON jsonb_populate_record reads: its columns, and its metadata keys. */
const rowJson = (r: BoundRow): JsonValue => ({ ...r.values, ...(r.metadata !== null ? { metadata: r.metadata } : {}) });

const unquote = (ident: string): string => (ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident);
const isJsonb = (t: BoundTable, ident: string): boolean =>
  t.shape.columns.some((c) => c.name === unquote(ident) && c.type === 'jsonb');
/** The kind whose rule (compare.ts) compares a target column. */
const kindOf = (t: BoundTable, name: string): ColumnKind =>
  kindOfType(t.shape.columns.find((c) => c.name === name)?.type ?? 'text');

function upsertRow(t: BoundTable, r: BoundRow): TextParts {
  const cols = [t.keyColumn, ...Object.keys(r.values), ...(r.metadata !== null ? ['metadata'] : [])].map(quoteIdent);
  const payload = Object.keys(r.values)
    .filter((c) => c !== CREATED && c !== UPDATED)
    .map(quoteIdent);
  const hasUpdated = t.shape.columns.some((c) => c.name === UPDATED);
  const merged = "coalesce(t.metadata, '{}') || EXCLUDED.metadata";
  const set = [
    ...payload.map((c) => `${c} = EXCLUDED.${c}`),
    ...(r.metadata !== null ? [`metadata = ${merged}`] : []),
    ...(hasUpdated ? [`${UPDATED} = now()`] : []),
  ];
  // a row is rewritten when verify.sql would find it different: each column by its kind's rule (compare.ts)
  const compared = (alias: string, c: string): string => COMPARE[kindOf(t, unquote(c))].comparedSql(`${alias}.${c}`);
  const asText = COMPARE.jsonb.comparedSql;
  const before = [...payload.map((c) => compared('t', c)), ...(r.metadata !== null ? [asText(`(${merged})`)] : [])];
  const after = [
    ...payload.map((c) => compared('EXCLUDED', c)),
    ...(r.metadata !== null ? [asText('t.metadata')] : []),
  ];
  const json = { [t.keyColumn]: r.key, ...(rowJson(r) as Record<string, JsonValue>) };
  // jsonb columns straight from the JSON (jsonb_populate_record would make JSON's null an SQL NULL)
  const picks = cols.map((c) => (isJsonb(t, c) ? `s.j -> ${quoteString(unquote(c))}` : `r.${c}`));
  return [
    comment(`${r.handle}${r.adopted !== null ? ` (adopted: the app's row ${r.key})` : ''}`),
    `\nINSERT INTO public.${quoteIdent(t.table)} AS t (${cols.join(', ')})\nSELECT ${picks.join(', ')} FROM (VALUES (`,
    quoteJsonbPart(json),
    `)) s(j), jsonb_populate_record(NULL::public.${quoteIdent(t.table)}, s.j) r\nON CONFLICT (${quoteIdent(t.keyColumn)}) DO UPDATE SET ${set.join(', ')}\nWHERE (${before.join(', ')}) IS DISTINCT FROM (${after.join(', ')});\n\n`,
  ];
}

const targetLine = (b: Binding): string =>
  `Target: ${b.target.source}: the app's own columns; access (policies, grants) left as it is.`;

export function existingMigrationSql(
  b: Binding,
  run: RunDescription,
  opts: { readonly keepRemoved?: boolean; readonly overwriteAppEdits?: boolean } = {},
): TextParts {
  const id = runId(run);
  const ledger = ledgerTables(b);
  const adopted = b.tables.flatMap((t) =>
    t.rows.filter((r) => r.adopted !== null).map((r) => comment(`  ${t.table} ${r.adopted} (${r.key}): ${r.handle}`)),
  );
  return lines([
    header('migration', run, [
      'Apply: psql -v ON_ERROR_STOP=1 -f migration.sql (one transaction; safe to run again).',
      targetLine(b),
    ]),
    ...(adopted.length > 0
      ? [
          comment(
            "The app's rows this run takes over in place (their values before go to the ledger; rollback.sql restores them):",
          ),
          ...adopted,
        ]
      : []),
    '',
    'BEGIN;',
    LOCK_SQL,
    ledgerVersionCheckSql('migration'),
    'SET LOCAL standard_conforming_strings = on;',
    ...runKeys(b),
    appEditsCheckSql(ledger, {
      keepRemoved: opts.keepRemoved ?? false,
      overwriteAppEdits: opts.overwriteAppEdits ?? false,
    }),
    recordRunSql(id, run),
    ...sourcesSql(b),
    '',
    ...b.tables.flatMap((t) =>
      t.rows.length === 0 ? [`-- ${t.table}: no rows`] : [`-- ${t.table}`, t.rows.flatMap((r) => upsertRow(t, r))],
    ),
    ...(opts.keepRemoved === true ? [] : [referencedCheckSql(ledger, { handedBack: true })]),
    // rows the ledger owned whose source is gone go, except rows that were the app's: those are handed back (kept)
    ...removeStaleSql(opts.keepRemoved ?? false, { sql: handBackSql(b), keep: ADOPTED_BY_STANDING_RUN }),
    ...recordWrittenSql(ledger),
    '',
    'COMMIT;',
    '',
  ]);
}

function rowChecks(t: BoundTable): TextParts {
  if (t.rows.length === 0) return [];
  const cols = [...new Set(t.rows.flatMap((r) => Object.keys(r.values)))].filter((c) => c !== CREATED && c !== UPDATED);
  const values = t.rows.flatMap((r, i) => [
    i === 0 ? '' : ',\n',
    `      (${quoteString(r.handle)}, ${quoteString(r.key)}, `,
    quoteJsonbPart(r.values as JsonValue),
    ', ',
    r.metadata === null ? 'NULL::jsonb' : quoteJsonbPart(r.metadata as JsonValue),
    ')',
  ]);
  const key = quoteIdent(t.keyColumn);
  // each column by its kind's rule (compare.ts, as the fresh target's verify.sql and reconcile): jsonb by its text,
  // so a number's digits count here too
  const differs = (c: string): string =>
    COMPARE[kindOf(t, c)].differsSql(
      `t.${quoteIdent(c)}`,
      isJsonb(t, c) ? `(v.e -> ${quoteString(c)})` : `e.${quoteIdent(c)}`,
    );
  // a secret's value was written as its placeholder and set by secrets.sql: compared by hash (sql/secrets.ts)
  const secret =
    t.table === 'app_config' && t.rows.some((r) => placeholderHash(r.values['value']) !== null) ? 'value' : null;
  const secretDiffers = (c: string): string =>
    `CASE WHEN (v.e ->> ${quoteString(c)}) ~ ${quoteString(PLACEHOLDER.source)} THEN ${secretDiffersSql(`t.${quoteIdent(t.keyColumn)}`, `t.${quoteIdent(c)}`, `(v.e -> ${quoteString(c)})`)} ELSE ${differs(c)} END`;
  const diffs = [
    ...cols.map(
      (c) =>
        `CASE WHEN v.e ? ${quoteString(c)} AND ${c === secret ? secretDiffers(c) : differs(c)} THEN ${quoteString(c)} END`,
    ),
    ...(t.rows.some((r) => r.metadata !== null)
      ? [
          `CASE WHEN v.m IS NOT NULL AND EXISTS (SELECT FROM jsonb_object_keys(v.m) k WHERE ${COMPARE.jsonb.differsSql('(t.metadata -> k)', '(v.m -> k)')}) THEN 'metadata' END`,
        ]
      : []),
  ];
  return [
    `
  -- ${t.table}: every row written, every column as written (metadata: the migration's keys)
  SELECT string_agg(v.label, ', ' ORDER BY v.label) FILTER (WHERE t.${key} IS NULL),
         string_agg(format('%s (%s)', v.label, array_to_string(d.cols, ', ')), '; ' ORDER BY v.label) FILTER (WHERE t.${key} IS NOT NULL AND cardinality(d.cols) > 0)
    INTO v_bad, v_differ
    FROM (VALUES
`,
    ...values,
    `
    ) AS v(label, key, e, m)
    LEFT JOIN public.${quoteIdent(t.table)} t ON t.${key}::text = v.key
    CROSS JOIN LATERAL jsonb_populate_record(NULL::public.${quoteIdent(t.table)}, v.e) e
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      ${diffs.join(',\n      ')}
    ]::text[], NULL) AS cols) d;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: ${t.table}: rows missing: %', v_bad;
  END IF;
  IF v_differ IS NOT NULL THEN
    RAISE EXCEPTION 'verify: ${t.table}: rows differ from what migration.sql wrote: %', v_differ;
  END IF;
`,
  ];
}

function uniquenessChecks(b: Binding): string {
  const coaches = b.tables.find((t) => t.table === 'coaches')!;
  const cats = b.tables.find((t) => t.table === 'categories')!;
  const names = coaches.rows.map((r) => r.values['name']).filter((n): n is string => typeof n === 'string');
  const catKeys = cats.rows.map((r) => quoteString(r.key));
  return `
  -- one coach of each name the migration wrote, one category at each path it wrote
  SELECT string_agg(name, ', ' ORDER BY name) INTO v_bad FROM (SELECT name FROM public.coaches WHERE name IN (${names.length === 0 ? 'NULL' : names.map(quoteString).join(', ')}) GROUP BY name HAVING count(*) > 1) s;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: coaches: more than one coach named %', v_bad;
  END IF;
  WITH RECURSIVE p AS (
    SELECT id, name::text AS path FROM public.categories WHERE parent_id IS NULL
    UNION ALL SELECT c.id, p.path || ' › ' || c.name FROM public.categories c JOIN p ON c.parent_id = p.id
  )
  SELECT string_agg(path, ', ' ORDER BY path) INTO v_bad FROM (SELECT path FROM p GROUP BY path HAVING count(*) > 1
     AND bool_or(id::text IN (${catKeys.length === 0 ? 'NULL' : catKeys.join(', ')}))) s;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: categories: more than one category at %', v_bad;
  END IF;
`;
}

function defaultCoachCheck(b: Binding): string {
  if (b.defaultCoachKey === null) return '';
  return `
  -- default_coach points at the one coach the migration chose (the app's own, where adopted)
  SELECT value INTO v_json FROM public.app_config WHERE key = 'default_coach';
  IF v_json IS NULL OR (v_json ->> 'default_coach_id') IS DISTINCT FROM ${quoteString(b.defaultCoachKey)} THEN
    RAISE EXCEPTION 'verify: app_config: default_coach is %, expected default_coach_id ${b.defaultCoachKey}', v_json;
  END IF;
`;
}

function accessCheck(b: Binding): string {
  const expected = b.target.access.join('\n');
  return `
  -- access as the target had it: the same policies and grants on the three tables, none added, none changed
  SELECT array_to_string(${ACCESS_LINES_SQL}, E'\\n') INTO v_bad;
  IF v_bad IS DISTINCT FROM ${quoteString(expected)} THEN
    RAISE EXCEPTION E'verify: the policies or grants on coaches, categories, app_config differ from the target\\'s when it was read.\\nnow:\\n%\\nthen:\\n%', v_bad, ${quoteString(expected)};
  END IF;
`;
}

/** How the stale-claims rule (stale-claims.ts) reads a bound table: which claims its shape can hold. */
export function claimTable(t: BoundTable): ClaimTable {
  const has = (c: string): boolean => t.shape.columns.some((x) => x.name === c);
  return {
    table: t.table,
    key: t.keyColumn,
    legacyIdColumn: has('legacy_id') ? 'legacy_id' : null,
    metadata: has('metadata'),
    name: has('name'),
  };
}

export function existingVerifySql(
  b: Binding,
  run: RunDescription,
  opts: { readonly keepRemoved?: boolean } = {},
): TextParts {
  const id = runId(run);
  const claims = b.tables.filter((t) => t.table !== 'app_config').map(claimTable);
  const body = [
    accessCheck(b),
    verifyLedgerSql(id, opts.keepRemoved ?? false, (m) => `t.${quoteIdent(m.key)}::text`),
    staleClaimsSql(claims, opts.keepRemoved ?? false),
    ...b.tables.flatMap(rowChecks),
    uniquenessChecks(b),
    defaultCoachCheck(b),
  ];
  return verifyFileSql(run, [targetLine(b)], runKeys(b), body);
}

/** For report.md: where each legacy field went, and which of the app's rows were taken over. */
export function bindingReportLines(b: Binding): string[] {
  const out = [
    '## Target',
    '',
    `Made for ${b.target.source} (its own columns; its policies and grants are left as they are).`,
    '',
    '| table | legacy field | goes to |',
    '| --- | --- | --- |',
  ];
  for (const h of b.homes) out.push(`| ${h.table} | ${h.field} | ${h.home} |`);
  const adopted = b.tables.flatMap((t) =>
    t.rows
      .filter((r) => r.adopted !== null)
      .map((r) => `- ${t.table} ${r.adopted}: the app's row ${r.key} taken over by ${r.handle}`),
  );
  out.push(
    '',
    `Adopted (the app's rows updated in place; rollback.sql restores them): ${adopted.length === 0 ? 'none' : ''}`,
    ...adopted,
    '',
  );
  return out;
}
