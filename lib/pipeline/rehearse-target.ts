/**
 * rehearse --target-schema FILE [--target-data FILE] (issue 31): the real target built from its dumps on PGlite
 * (or in a scratch database with --db), then the runbook on it: schemas/target.sql (which must leave the app's
 * access alone), migration.sql, migration.sql again (no row rewritten: xmin), verify.sql, what anon and
 * authenticated read and write (as PostgREST runs them) and that it widened not (the probe and rule verify --db
 * uses, lib/verify/access.ts), reconciliation with the rows transform bound to the target (out/target-rows.json,
 * lib/verify/reconcile-target.ts, as verify --db runs it), rollback.sql, and the three tables exactly as before.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TargetDb } from '../db/target-db.js';
import { SUPABASE_STUBS_SQL, withoutMetaCommands } from '../db/introspect.js';
import type { RoleTableAccess } from '../sql/role-access.js';
import { ACCESS_LINES_SQL } from '../sql/target-model/shape.js';
import { roleAccessAt } from '../verify/access.js';
import { formatDifferences } from '../verify/reconcile.js';
import { reconcileTarget } from '../verify/reconcile-target.js';
import type { RehearseOptions } from './rehearse.js';
import { applyAndCount, COUNTS, db, migrationAgain, openTarget, outFile } from './rehearse-shared.js';
import { mismatch, runSteps, type Step, type StepResult } from './rehearse-step.js';
import { runTransform } from './transform.js';

const TARGET_SQL = fileURLToPath(new URL('../../schemas/target.sql', import.meta.url));
const STATE = `SELECT md5(coalesce(string_agg(j, E'\\n' ORDER BY j), '')) FROM (
  SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c UNION ALL
  SELECT 'categories ' || row_to_json(c)::text FROM public.categories c UNION ALL
  SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a) s`;
const XMIN = `SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (SELECT id::text || ':' || xmin::text AS x FROM public.coaches
  UNION ALL SELECT id::text || ':' || xmin::text FROM public.categories UNION ALL SELECT key || ':' || xmin::text FROM public.app_config) s`;

type TargetRehearseOptions = RehearseOptions & { readonly target: { readonly schema: string; readonly data?: string } };

/** What the steps share: the options, the target once opened, and the app's state, access and roles before. */
interface TargetRehearsal {
  readonly opts: TargetRehearseOptions;
  target: TargetDb | null;
  /** md5 of the three tables' rows as the dumps made them. */
  before: string;
  /** The policies and grants of the three tables as the dumps made them. */
  access: string;
  rolesBefore: readonly RoleTableAccess[];
}

export async function rehearseTarget(opts: TargetRehearseOptions): Promise<StepResult[]> {
  const r: TargetRehearsal = { opts, target: null, before: '', access: '', rolesBefore: [] };
  try {
    return await runSteps(opts, [
      transform(opts),
      openTarget(r, () => `totalis_rehearse_${process.pid}`),
      fromDumps(r),
      targetSchema(r),
      ...migration(r),
      ...accessAsRoles(r),
      reconcileWithBound(r),
      applyAndCount(r, 'rollback.sql'),
      asItWas(r),
    ]);
  } finally {
    await r.target?.close();
  }
}

/** The transform bound to the target: its rows counted, and which of the app's rows it takes over. */
function transform(opts: TargetRehearseOptions): Step {
  return [
    'transform',
    async () => {
      const r = await runTransform(opts);
      const adopted =
        r.binding?.tables.flatMap((t) =>
          t.rows.filter((x) => x.adopted !== null).map((x) => `${t.table} ${x.adopted}`),
        ) ?? [];
      return `coaches ${r.rows.coaches.length}, categories ${r.rows.categories.length}, app_config ${r.rows.appConfig.length}; adopted: ${adopted.join(', ') || 'none'}`;
    },
  ];
}

/** The app's target made from its dumps (on Supabase's stubs), its rows, access and roles kept for later steps. */
function fromDumps(r: TargetRehearsal): Step {
  return [
    'the target, from its dumps',
    async () => {
      await db(r).applySql(SUPABASE_STUBS_SQL, 'Supabase roles and auth stubs');
      for (const [file, label] of [
        [r.opts.target.schema, '--target-schema'],
        ...(r.opts.target.data !== undefined ? [[r.opts.target.data, '--target-data']] : []),
      ] as [string, string][]) {
        await db(r).applySql(withoutMetaCommands(await readFile(file, 'utf8')), `${label} ${file}`);
        await db(r).applySql('RESET ALL', 'RESET ALL'); // pg_dump empties search_path and turns row_security off
      }
      r.before = (await db(r).scalar(STATE)) ?? '';
      r.access = (await db(r).scalar(`SELECT array_to_string(${ACCESS_LINES_SQL}, E'\\n')`)) ?? '';
      r.rolesBefore = (await roleAccessAt(db(r).connectionString)).roles;
      return (await db(r).scalar(COUNTS)) ?? '';
    },
  ];
}

/** schemas/target.sql on the app's tables: the ledger made, the app's policies and grants untouched. */
function targetSchema(r: TargetRehearsal): Step {
  return [
    'schemas/target.sql',
    async () => {
      await db(r).applyFile(TARGET_SQL, 'schemas/target.sql');
      if ((await db(r).scalar(`SELECT array_to_string(${ACCESS_LINES_SQL}, E'\\n')`)) !== r.access)
        mismatch('schemas/target.sql changed the policies or grants of the three tables');
      return "the app's tables, policies and grants left as they are; the ledger made";
    },
  ];
}

/** migration.sql, again (no row rewritten: xmin), and verify.sql. */
function migration(r: TargetRehearsal): Step[] {
  return [
    applyAndCount(r, 'migration.sql'),
    migrationAgain(
      r,
      XMIN,
      'the second run rewrote rows: migration.sql is not idempotent on this target',
      'no row rewritten (xmin)',
    ),
    [
      'verify.sql',
      async () => (
        await db(r).applyFile(outFile(r, 'verify.sql'), 'verify.sql'),
        'all checks passed (policies and grants as they were)'
      ),
    ],
  ];
}

/** What anon and authenticated read and write, against what the app's rules allowed before. */
function accessAsRoles(r: TargetRehearsal): Step[] {
  return (['anon', 'authenticated'] as const).map((role): Step => [
    `access as ${role}`,
    async () => {
      // the policies and grants are the app's, unchanged (verify.sql checks them); the rows they show may be more,
      // but none the rules before did not allow, and no write (the one probe and rule verify --db uses)
      const { roles, widened } = await roleAccessAt(db(r).connectionString, r.rolesBefore);
      const mine = widened.filter((l) => l.startsWith(`${role} `));
      if (mine.length > 0) mismatch(`access widened: ${mine.join('; ')}`);
      const reads = (rs: readonly RoleTableAccess[]): string =>
        rs
          .filter((x) => x.role === role)
          .map((x) => `${x.table} ${x.reads.rows ?? 'none'}`)
          .join(', ');
      return `reads ${reads(roles)} (before: ${reads(r.rolesBefore)}) under the app's own policies; no row or write its rules before did not allow`;
    },
  ]);
}

/** The target's rows against the rows transform bound to it (out/target-rows.json), as verify --db compares. */
function reconcileWithBound(r: TargetRehearsal): Step {
  return [
    'reconcile with out/target-rows.json',
    async () => {
      // the rows transform bound to this target, row by row and column by column (verify --db's comparison)
      const rec = await reconcileTarget(db(r).connectionString, r.opts.out);
      if (rec.differences.length > 0)
        mismatch(
          `the target differs from the rows transform bound to it:\n${formatDifferences(rec, 'out/target-rows.json')}`,
        );
      const others = Object.entries(rec.others)
        .filter(([, o]) => o.count > 0)
        .map(([t, o]) => `${t} ${o.count}`);
      return `${Object.entries(rec.compared)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ')} rows read, every bound row and column as written; the app's own: ${others.join(', ') || 'none'}`;
    },
  ];
}

/** The three tables exactly as the dumps made them. */
function asItWas(r: TargetRehearsal): Step {
  return [
    'the target is as it was',
    async () => {
      if ((await db(r).scalar(STATE)) !== r.before) mismatch('rollback.sql did not restore the three tables exactly');
      return 'every row, every column, as before';
    },
  ];
}
