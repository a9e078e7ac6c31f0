/**
 * verify.sql: a self-checking script. One DO block that assumes nothing and raises, with a message that
 * says what differs, on the first mismatch: every migrated row present with the values migration.sql
 * wrote (long text compared by md5, timestamps as instants, jsonb as jsonb's text, so a number's digits count;
 * updated_at, and created_at where time_create was NULL, by what they may be), every migrated category's
 * parent present, the hierarchy's row count per depth, the default coach present and pointing to a
 * migrated coach, and app_config's row count per key prefix.
 * `psql -v ON_ERROR_STOP=1 -f verify.sql` exits non-zero on any mismatch.
 */
import { createHash } from 'node:crypto';
import { KEY_PREFIXES } from '../transform/app-config.js';
import { ACCESS_TABLES } from './access.js';
import { COMPARE } from './compare.js';
import { newKeysSql, runId, verifyLedgerSql } from './ledger.js';
import { ledgerVersionCheckSql } from './ledger-version.js';
import { FRESH_CLAIMS, staleClaimsSql } from './stale-claims.js';
import { header, type RunDescription } from './header.js';
import { splitSecretRows } from './secrets.js';
import { dollarTag, quoteAscii as quoteString, quoteIdent, quoteUuid } from './literals.js';
import type { MigrationRows } from './rows.js';
import { APP_CONFIG, CATEGORIES, COACHES, SQL_TYPE, type TargetTableDef } from './target-tables.js';
import { literal } from './values.js';
import { lines, slicesOf, type Part, type TextParts } from '../text-parts.js';

/** md5 of the text's UTF-8, a slice at a time (hashing a 20 MB string whole first copies it into a buffer). */
const md5 = (s: string): string => {
  const h = createHash('md5');
  for (const slice of slicesOf(s)) h.update(slice, 'utf8');
  return h.digest('hex');
};

/** Text compared through its md5 rather than as it is: long text, and text shaped like the hash form itself. */
const hashed = (s: string): boolean => s.length > 64 || /^md5:[0-9a-f]{32}$/.test(s);

/** Checks every row of one table against the values written, naming each differing column. */
function rowCheck<R>(def: TargetTableDef<R>, rows: readonly R[], label: (r: R) => string): TextParts {
  if (rows.length === 0) return [];
  const cols = def.columns.filter((c) => c.name !== 'updated_at');
  // each row as parts, its values not joined into one string (parts.ts: a long jsonb value is never copied whole)
  const values = rows.flatMap((r, i) => {
    const rec = r as Record<string, unknown>;
    const vals = cols.flatMap((c) => {
      const v = rec[c.name];
      // short text as it is, so a failure shows it; long text (or text that looks like a hash) as `md5:<hex>`
      const lit =
        c.kind === 'text' && v !== null && c.name !== def.key && hashed(v as string)
          ? quoteString(`md5:${md5(v as string)}`)
          : literal(c.kind, v, true);
      // the first row types the VALUES columns; a literal that casts itself needs no second cast
      const cast = `::${c.kind === 'text' ? 'text' : SQL_TYPE[c.kind]}`;
      return i === 0 && !(typeof lit === 'string' && lit.endsWith(cast)) ? [', ', lit, cast] : [', ', lit];
    });
    return [i === 0 ? '' : ',\n', `      (${quoteString(label(r))}::text`, ...vals, ')'];
  });
  const key = quoteIdent(def.key);
  const isHash = (name: string): string => `(v.${name} LIKE 'md5:%' AND length(v.${name}) = 36)`;
  const actual = (name: string, kind: string): string =>
    kind === 'text' ? `CASE WHEN ${isHash(name)} THEN 'md5:' || md5(t.${name}) ELSE t.${name} END` : `t.${name}`;
  // a differing column with what was found and what was expected (cut at 60 characters); a hashed one by name only
  const shown = (name: string, kind: string): string => {
    const pair = `format('%s: %s, expected %s', ${quoteString(name)}, coalesce(quote_literal(left(t.${name}::text, 60)), 'NULL'), coalesce(quote_literal(left(v.${name}::text, 60)), 'NULL'))`;
    return kind === 'text' ? `CASE WHEN ${isHash(name)} THEN ${quoteString(name)} ELSE ${pair} END` : pair;
  };
  const diffs = cols
    .filter((c) => c.name !== def.key)
    .map((c) => {
      const n = quoteIdent(c.name);
      if (c.name === 'created_at') {
        // time_create NULL: the column default set it at the first insert, so it is a time, and not a later one than
        // now
        return `CASE WHEN v.created_at IS NOT NULL AND ${COMPARE.timestamptz.differsSql('t.created_at', 'v.created_at')} THEN ${shown(n, c.kind)}
              WHEN v.created_at IS NULL AND t.created_at IS NOT NULL AND NOT t.created_at <= now() THEN format('created_at: %s, expected the time of the first insert (time_create was NULL)', t.created_at) END`;
      }
      // each kind by its rule (compare.ts, shared with reconcile): jsonb as its text, so a number's digits count
      return `CASE WHEN ${COMPARE[c.kind].differsSql(actual(n, c.kind), `v.${n}`)} THEN ${shown(n, c.kind)} END`;
    });
  // updated_at: created_at as inserted, or the time of a later change (an upsert's or the app's now()): not after now,
  // not before created_at (unless created_at is itself after now, as infinity is)
  if (def.columns.some((c) => c.name === 'updated_at')) {
    diffs.push(`CASE WHEN t.${key} IS NOT NULL AND NOT coalesce(t.updated_at = t.created_at OR (t.updated_at <= now() AND (t.updated_at >= t.created_at OR t.created_at > now())), false)
              THEN format('updated_at: %s, expected created_at (%s) or the time of a later change', coalesce(t.updated_at::text, 'NULL'), t.created_at) END`);
  }
  const t = def.table;
  return [
    `
  -- ${t}: every migrated row present, every column as written
  SELECT string_agg(v.label, ', ' ORDER BY v.label) FILTER (WHERE t.${key} IS NULL),
         count(*) FILTER (WHERE t.${key} IS NULL),
         string_agg(format('%s (%s)', v.label, array_to_string(d.cols, ', ')), '; ' ORDER BY v.label) FILTER (WHERE t.${key} IS NOT NULL AND cardinality(d.cols) > 0)
    INTO v_bad, v_n, v_differ
    FROM (VALUES
`,
    ...values,
    `
    ) AS v(label, ${cols.map((c) => quoteIdent(c.name)).join(', ')})
    LEFT JOIN public.${quoteIdent(t)} t ON t.${key} = v.${key}
    CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
      ${diffs.join(',\n      ')}
    ]::text[], NULL) AS cols) d;
  IF v_n > 0 THEN
    RAISE EXCEPTION 'verify: ${t}: % of ${rows.length} migrated rows missing: %', v_n, v_bad;
  END IF;
  IF v_differ IS NOT NULL THEN
    RAISE EXCEPTION 'verify: ${t}: rows differ from what migration.sql wrote: %', v_differ;
  END IF;
`,
  ];
}

function categoryChecks(rows: MigrationRows): string {
  if (rows.categories.length === 0) return '';
  const ids = rows.categories.map((c) => quoteUuid(c.id)).join(', ');
  const perDepth = new Map<number, number>();
  for (const n of rows.tree) perDepth.set(n.depth, (perDepth.get(n.depth) ?? 0) + 1);
  const depths = [...perDepth.entries()].filter(([d]) => d >= 0).sort((a, b) => a[0] - b[0]);
  const expected = depths.map(([d, n]) => `depth ${d}: ${n}`).join(', ');
  return `
  -- categories: every migrated category's parent is present
  SELECT string_agg(c.legacy_id::text, ', ' ORDER BY c.legacy_id) INTO v_bad
    FROM public.categories c
   WHERE c.id IN (${ids})
     AND c.parent_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM public.categories p WHERE p.id = c.parent_id);
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: categories: the parents of legacy ids % are missing', v_bad;
  END IF;
  -- categories: rows per level of the hierarchy
  WITH RECURSIVE tree AS (
    SELECT id, 0 AS depth FROM public.categories WHERE id IN (${ids}) AND parent_id IS NULL
    UNION ALL
    SELECT c.id, tree.depth + 1 FROM public.categories c JOIN tree ON c.parent_id = tree.id WHERE c.id IN (${ids})
  )
  SELECT string_agg(format('depth %s: %s', depth, n), ', ' ORDER BY depth) INTO v_bad
    FROM (SELECT depth, count(*) AS n FROM tree GROUP BY depth) s;
  IF v_bad IS DISTINCT FROM ${quoteString(expected)} THEN
    RAISE EXCEPTION 'verify: categories: rows per level are (%), expected (${expected})', coalesce(v_bad, 'none');
  END IF;
`;
}

function defaultCoachCheck(rows: MigrationRows): string {
  const c = rows.defaultCoach;
  if (c === null) return '';
  return `
  -- the default coach is present and points to a migrated coach
  SELECT value INTO v_json FROM public.app_config WHERE key = 'default_coach';
  IF v_json IS NULL THEN
    RAISE EXCEPTION 'verify: app_config: the default_coach key is missing';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.coaches WHERE id = (v_json->>'default_coach_id')::uuid AND legacy_id = (v_json->>'legacy_id')::int) THEN
    RAISE EXCEPTION 'verify: app_config: default_coach points to %, which is not a migrated coach', v_json;
  END IF;
  IF (v_json->>'default_coach_id')::uuid IS DISTINCT FROM ${quoteUuid(c.id)} THEN
    RAISE EXCEPTION 'verify: app_config: default_coach is %, expected legacy id ${c.legacy_id}', v_json;
  END IF;
`;
}

function prefixCounts(rows: MigrationRows): string {
  if (rows.appConfig.length === 0) return '';
  const keys = rows.appConfig.map((r) => quoteString(r.key)).join(', ');
  const prefixes = [...Object.values(KEY_PREFIXES), 'default_coach'];
  const checks = prefixes.map((p) => {
    const expected = rows.appConfig.filter((r) => (p === 'default_coach' ? r.key === p : r.key.startsWith(p))).length;
    const cond = p === 'default_coach' ? `key = 'default_coach'` : `starts_with(key, ${quoteString(p)})`;
    return `  SELECT count(*) INTO v_n FROM public.app_config WHERE key IN (${keys}) AND ${cond};
  IF v_n <> ${expected} THEN
    RAISE EXCEPTION 'verify: app_config: % rows with prefix ${p}, expected ${expected}', v_n;
  END IF;`;
  });
  return `\n  -- app_config: rows per key prefix\n${checks.join('\n')}\n`;
}

/** Row-level security on for every table the migration writes (docs/access.md): off, the anon key reads and writes them. */
function accessCheck(): string {
  return `
  -- access: row-level security on (schemas/target.sql); without it the anon key reads and writes every row
  SELECT string_agg(c.relname, ', ' ORDER BY c.relname) INTO v_bad
    FROM pg_class c
   WHERE c.oid IN (${ACCESS_TABLES.map((t) => `'public.${t}'::regclass`).join(', ')}) AND NOT c.relrowsecurity;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: row-level security is off on %: the anon key could read and write every row; apply schemas/target.sql', v_bad;
  END IF;
`;
}

export function verifySql(
  rows: MigrationRows,
  run: RunDescription,
  opts: { readonly keepRemoved?: boolean } = {},
): TextParts {
  // the secrets' values are not here: their rows are checked by hash (secrets.ts)
  const secrets = splitSecretRows(rows.appConfig);
  const body = [
    accessCheck(),
    verifyLedgerSql(runId(run), opts.keepRemoved ?? false),
    staleClaimsSql(FRESH_CLAIMS, opts.keepRemoved ?? false),
    ...rowCheck(COACHES, rows.coaches, (r) => `coach legacy id ${r.legacy_id}`),
    ...rowCheck(CATEGORIES, rows.categories, (r) => `category legacy id ${r.legacy_id}`),
    ...rowCheck(APP_CONFIG, secrets.plain, (r) => `key ${r.key}`),
    secrets.check,
    categoryChecks(rows),
    defaultCoachCheck(rows),
    prefixCounts(rows),
  ];
  return verifyFileSql(run, [], newKeysSql(rows), body);
}

/**
 * verify.sql's frame, for the fresh target and a real one alike: the header, one transaction that changes
 * nothing, the run's keys, and the checks in one DO block that fails by raising. `notes` go into the header.
 */
export function verifyFileSql(
  run: RunDescription,
  notes: readonly string[],
  keys: readonly string[],
  body: readonly Part[],
): TextParts {
  // a value holding "$verify$" must not end the DO block early (literals.ts)
  const tag = dollarTag('verify', body);
  return lines([
    header('verify', run, [
      'Check: psql -v ON_ERROR_STOP=1 -f verify.sql (exits non-zero on any mismatch; changes nothing).',
      ...notes,
    ]),
    'BEGIN;',
    'SET LOCAL standard_conforming_strings = on;',
    ledgerVersionCheckSql('verify'),
    ...keys,
    `DO ${tag}`,
    'DECLARE',
    '  v_n bigint;',
    '  v_bad text;',
    '  v_differ text;',
    '  v_json jsonb;',
    'BEGIN',
    body,
    "  RAISE NOTICE 'verify: all checks passed';",
    'END',
    `${tag};`,
    'ROLLBACK;',
    '',
  ]);
}
