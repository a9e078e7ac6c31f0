/**
 * rehearse: the whole migration on a laptop. Transform, then in a target database (PGlite by default; a
 * real server in a scratch database with --db): Supabase's roles and default privileges where missing,
 * schemas/target.sql, migration.sql, migration.sql again (must rewrite no row), verify.sql, what anon and
 * authenticated may read and write (docs/access.md), reconciliation, rollback.sql, and a check that the
 * target is empty again. With `previous` (an earlier output) a re-run is rehearsed: its migration.sql goes
 * first, and after this run's rollback the target must be as the previous run left it, value by value; then
 * the previous rollback.sql. Each step reports pass or fail and its time; the first failure stops the run and says
 * where.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetDb } from '../db/target-db.js';
import { MigrateError } from '../errors.js';
import { ACCESS_TABLES, accessCheckSql, supabaseRolesSql, VISIBLE_WHEN, type AccessTable } from '../sql/access.js';
import { formatDifferences, reconcile } from '../verify/reconcile.js';
import { applyAndCount, COUNTS, db, migrationAgain, openTarget, outFile } from './rehearse-shared.js';
import { mismatch, runSteps, type Step, type StepResult } from './rehearse-step.js';
import { runTransform, type TransformOptions } from './transform.js';

export type { StepResult } from './rehearse-step.js';

export interface RehearseOptions extends TransformOptions {
  /** A real server to rehearse on (a scratch database is created there); undefined: PGlite. */
  readonly db?: string;
  /** An earlier output folder: its migration.sql is applied first, and its rollback.sql last (a re-run rehearsed). */
  readonly previous?: string;
  readonly onStep?: (s: StepResult) => void;
  /** Milliseconds since some origin; injected so tests can pin timings. */
  readonly now?: () => number;
}

const TARGET_SQL = fileURLToPath(new URL('../../schemas/target.sql', import.meta.url));

/** xmin of every row: unchanged xmin means the row was not rewritten. */
const SNAPSHOT = `SELECT coalesce(string_agg(x, ',' ORDER BY x), '') FROM (
  SELECT 'c' || legacy_id || ':' || xmin::text AS x FROM public.coaches
  UNION ALL SELECT 'k' || legacy_id || ':' || xmin::text FROM public.categories
  UNION ALL SELECT 'a' || key || ':' || xmin::text FROM public.app_config) s`;
/** Every row of the three tables, every column, as JSON: two states compared value by value. */
const STATE = `SELECT coalesce(string_agg(j, E'\\n' ORDER BY j), '') FROM (
  SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c
  UNION ALL SELECT 'categories ' || row_to_json(c)::text FROM public.categories c
  UNION ALL SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a) s`;

/** How many rows of each table a role under row-level security should see, counted as the owner. */
async function visibleRows(target: TargetDb): Promise<Record<AccessTable, number>> {
  const counts: Partial<Record<AccessTable, number>> = {};
  for (const t of ACCESS_TABLES)
    counts[t] = Number(await target.scalar(`SELECT count(*) FROM public.${t} WHERE ${VISIBLE_WHEN[t]}`));
  return counts as Record<AccessTable, number>;
}

/** What the steps share: the options, the target once opened, and its state after the previous run's migration. */
interface Rehearsal {
  readonly opts: RehearseOptions;
  target: TargetDb | null;
  afterPrevious: string | null;
}

export async function rehearse(opts: RehearseOptions): Promise<StepResult[]> {
  // a real target described by its dumps: built from them, and the runbook run on it (rehearse-target.ts)
  const schema = opts.target?.schema;
  if (schema !== undefined)
    return (await import('./rehearse-target.js')).rehearseTarget({ ...opts, target: { ...opts.target, schema } });
  if (opts.target?.db !== undefined)
    throw new MigrateError(
      'OPTION_INVALID',
      'rehearse builds its target from --target-schema/--target-data; it never runs on a live --target-db',
    );
  const r: Rehearsal = { opts, target: null, afterPrevious: null };
  const previous = opts.previous;
  try {
    return await runSteps(opts, [
      transform(opts),
      openTarget(r, () => `totalis_rehearse_${randomBytes(8).toString('hex')}`),
      supabaseRoles(r),
      targetSchema(r),
      ...(previous === undefined ? [] : [previousMigration(r, previous)]),
      ...migration(r),
      ...accessAsRoles(r),
      reconcileWithData(r),
      applyAndCount(r, 'rollback.sql'),
      ...(previous === undefined ? [] : previousRestored(r, previous)),
      emptyAgain(r),
    ]);
  } finally {
    await r.target?.close();
  }
}

/** The transform itself, its rows and images counted. */
function transform(opts: RehearseOptions): Step {
  return [
    'transform',
    async () => {
      const r = await runTransform(opts);
      return `coaches ${r.rows.coaches.length}, categories ${r.rows.categories.length}, app_config ${r.rows.appConfig.length}, images ${r.images.written}`;
    },
  ];
}

/** The roles and default privileges a Supabase project has, made where missing (on a server they stay). */
function supabaseRoles(r: Rehearsal): Step {
  return [
    'Supabase roles and default privileges',
    async () => {
      const missing = await db(r).scalar(
        "SELECT string_agg(r, ', ') FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) r WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r)",
      );
      await db(r).applySql(supabaseRolesSql(), 'Supabase roles');
      return missing === null
        ? 'anon, authenticated, service_role were there; default privileges set as Supabase sets them'
        : `created ${missing}${r.opts.db !== undefined ? ' (roles belong to the whole server, and stay)' : ''}; default privileges set as Supabase sets them`;
    },
  ];
}

/** README step 4's first file: the fresh tables. */
function targetSchema(r: Rehearsal): Step {
  return [
    'schemas/target.sql',
    async () => (await db(r).applyFile(TARGET_SQL, 'schemas/target.sql'), 'tables created, row-level security on'),
  ];
}

/** A re-run rehearsed: the previous output's migration.sql first, the state it leaves kept for the comparison. */
function previousMigration(r: Rehearsal, previous: string): Step {
  return [
    'the previous run: its migration.sql',
    async () => {
      await db(r).applyFile(join(previous, 'migration.sql'), `${previous}/migration.sql`);
      r.afterPrevious = (await db(r).scalar(STATE)) ?? '';
      return (await db(r).scalar(COUNTS)) ?? '';
    },
  ];
}

/** migration.sql, again (no row rewritten), secrets.sql when the run found secrets, and verify.sql. */
function migration(r: Rehearsal): Step[] {
  return [
    applyAndCount(r, 'migration.sql'),
    migrationAgain(r, SNAPSHOT, 'the second run rewrote rows: migration.sql is not idempotent', 'no row rewritten'),
    // the secrets' values, set as the runbook says: right after migration.sql (only when the run found secrets)
    [
      'secrets.sql',
      async () => (await db(r).applyFile(outFile(r, 'secrets.sql'), 'secrets.sql'), 'the secrets set'),
      () => existsSync(outFile(r, 'secrets.sql')),
    ],
    ['verify.sql', async () => (await db(r).applyFile(outFile(r, 'verify.sql'), 'verify.sql'), 'all checks passed')],
  ];
}

/** What anon and authenticated read (only the rows their policies show) and that every write is refused. */
function accessAsRoles(r: Rehearsal): Step[] {
  return (['anon', 'authenticated'] as const).map((role): Step => [
    `access as ${role}`,
    async () => {
      const visible = await visibleRows(db(r));
      await db(r).applySql(accessCheckSql(role, visible), `the access check as ${role}`);
      return `reads ${ACCESS_TABLES.map((t) => `${t} ${visible[t]}`).join(', ')} (only ${ACCESS_TABLES.map(
        (t) => VISIBLE_WHEN[t],
      )
        .filter((w, i, a) => a.indexOf(w) === i)
        .join(' / ')} rows); every insert, update and delete refused`;
    },
  ]);
}

/** The target's rows against out/data, value by value. */
function reconcileWithData(r: Rehearsal): Step {
  return [
    'reconcile with out/data',
    async () => {
      const rec = await reconcile(db(r).connectionString, r.opts.out);
      if (rec.differences.length > 0) mismatch(`the target differs from out/data:\n${formatDifferences(rec)}`);
      return (
        Object.entries(rec.compared)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ') + ' rows match'
      );
    },
  ];
}

/** A re-run rehearsed: after this rollback the target is as the previous run left it; then the previous rollback. */
function previousRestored(r: Rehearsal, previous: string): Step[] {
  return [
    [
      'the target is as after the previous run',
      async () => {
        // the previous output is this very run (the same inputs and options): applying it again changed
        // nothing, and this rollback undid it whole; the previous rollback.sql then has nothing to undo
        const runOf = async (dir: string): Promise<string | undefined> =>
          /^-- Run ([0-9a-f]{16}):/m.exec(await readFile(join(dir, 'migration.sql'), 'utf8'))?.[1];
        if ((await runOf(previous)) === (await runOf(r.opts.out))) {
          const counts = (await db(r).scalar(COUNTS)) ?? '';
          if (counts !== 'coaches 0, categories 0, app_config 0')
            mismatch(`the previous output is this run, and rows are left after its rollback: ${counts}`);
          return 'the previous output is this same run: its rollback is this one, and the target is as before it';
        }
        if ((await db(r).scalar(STATE)) !== r.afterPrevious)
          mismatch("rollback.sql did not restore the state after the previous run's migration.sql");
        return 'every row, every column, as it was';
      },
    ],
    [
      'the previous run: its rollback.sql',
      async () => (
        await db(r).applyFile(join(previous, 'rollback.sql'), `${previous}/rollback.sql`),
        (await db(r).scalar(COUNTS)) ?? ''
      ),
    ],
  ];
}

/** No row of the three tables left. */
function emptyAgain(r: Rehearsal): Step {
  return [
    'the target is empty again',
    async () => {
      const counts = (await db(r).scalar(COUNTS)) ?? '';
      if (counts !== 'coaches 0, categories 0, app_config 0') mismatch(`rows left after rollback: ${counts}`);
      return counts;
    },
  ];
}
