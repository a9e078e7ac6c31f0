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
import { serverTarget } from '../db/server-target.js';
import { pgliteTarget, type TargetDb } from '../db/target-db.js';
import { MigrateError } from '../errors.js';
import { ACCESS_TABLES, accessCheckSql, supabaseRolesSql, VISIBLE_WHEN, type AccessTable } from '../sql/access.js';
import { formatDifferences, reconcile } from '../verify/reconcile.js';
import { runStep, type StepResult } from './rehearse-step.js';
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
const COUNTS = `SELECT format('coaches %s, categories %s, app_config %s', (SELECT count(*) FROM public.coaches), (SELECT count(*) FROM public.categories), (SELECT count(*) FROM public.app_config))`;

/** How many rows of each table a role under row-level security should see, counted as the owner. */
async function visibleRows(target: TargetDb): Promise<Record<AccessTable, number>> {
  const counts: Partial<Record<AccessTable, number>> = {};
  for (const t of ACCESS_TABLES)
    counts[t] = Number(await target.scalar(`SELECT count(*) FROM public.${t} WHERE ${VISIBLE_WHEN[t]}`));
  return counts as Record<AccessTable, number>;
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
  const now = opts.now ?? (() => performance.now());
  const results: StepResult[] = [];
  let target: TargetDb | null = null;
  const log = { results, now, ...(opts.onStep !== undefined ? { onStep: opts.onStep } : {}) };
  const step = (name: string, fn: () => Promise<string>): Promise<boolean> => runStep(log, name, fn);
  const out = (f: string): string => join(opts.out, f);
  const fail = (msg: string): never => {
    throw new MigrateError('VERIFY_MISMATCH', msg);
  };
  const previous = opts.previous;
  let afterPrevious: string | null = null;
  try {
    const steps: [string, () => Promise<string>][] = [
      [
        'transform',
        async () => {
          const r = await runTransform(opts);
          return `coaches ${r.rows.coaches.length}, categories ${r.rows.categories.length}, app_config ${r.rows.appConfig.length}, images ${r.images.written}`;
        },
      ],
      [
        'open the target',
        async () => {
          target =
            opts.db === undefined
              ? await pgliteTarget()
              : await serverTarget(opts.db, `totalis_rehearse_${randomBytes(8).toString('hex')}`);
          return target.description;
        },
      ],
      [
        'Supabase roles and default privileges',
        async () => {
          const missing = await target!.scalar(
            "SELECT string_agg(r, ', ') FROM unnest(ARRAY['anon', 'authenticated', 'service_role']) r WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r)",
          );
          await target!.applySql(supabaseRolesSql(), 'Supabase roles');
          return missing === null
            ? 'anon, authenticated, service_role were there; default privileges set as Supabase sets them'
            : `created ${missing}${opts.db !== undefined ? ' (roles belong to the whole server, and stay)' : ''}; default privileges set as Supabase sets them`;
        },
      ],
      [
        'schemas/target.sql',
        async () => (
          await target!.applyFile(TARGET_SQL, 'schemas/target.sql'),
          'tables created, row-level security on'
        ),
      ],
      ...(previous === undefined
        ? []
        : ([
            [
              'the previous run: its migration.sql',
              async () => {
                await target!.applyFile(join(previous, 'migration.sql'), `${previous}/migration.sql`);
                afterPrevious = (await target!.scalar(STATE)) ?? '';
                return (await target!.scalar(COUNTS)) ?? '';
              },
            ],
          ] as [string, () => Promise<string>][])),
      [
        'migration.sql',
        async () => (
          await target!.applyFile(out('migration.sql'), 'migration.sql'),
          (await target!.scalar(COUNTS)) ?? ''
        ),
      ],
      [
        'migration.sql again (must change nothing)',
        async () => {
          const before = await target!.scalar(SNAPSHOT);
          await target!.applyFile(out('migration.sql'), 'migration.sql (second run)');
          const after = await target!.scalar(SNAPSHOT);
          if (before !== after) fail('the second run rewrote rows: migration.sql is not idempotent');
          return 'no row rewritten';
        },
      ],
      // the secrets' values, set as the runbook says: right after migration.sql (only when the run found secrets)
      ['secrets.sql', async () => (await target!.applyFile(out('secrets.sql'), 'secrets.sql'), 'the secrets set')],
      ['verify.sql', async () => (await target!.applyFile(out('verify.sql'), 'verify.sql'), 'all checks passed')],
      ...(['anon', 'authenticated'] as const).map((role): [string, () => Promise<string>] => [
        `access as ${role}`,
        async () => {
          const visible = await visibleRows(target!);
          await target!.applySql(accessCheckSql(role, visible), `the access check as ${role}`);
          return `reads ${ACCESS_TABLES.map((t) => `${t} ${visible[t]}`).join(', ')} (only ${ACCESS_TABLES.map(
            (t) => VISIBLE_WHEN[t],
          )
            .filter((w, i, a) => a.indexOf(w) === i)
            .join(' / ')} rows); every insert, update and delete refused`;
        },
      ]),
      [
        'reconcile with out/data',
        async () => {
          const r = await reconcile(target!.connectionString, opts.out);
          if (r.differences.length > 0) fail(`the target differs from out/data:\n${formatDifferences(r)}`);
          return (
            Object.entries(r.compared)
              .map(([t, n]) => `${t} ${n}`)
              .join(', ') + ' rows match'
          );
        },
      ],
      [
        'rollback.sql',
        async () => (
          await target!.applyFile(out('rollback.sql'), 'rollback.sql'),
          (await target!.scalar(COUNTS)) ?? ''
        ),
      ],
      ...(previous === undefined
        ? []
        : ([
            [
              'the target is as after the previous run',
              async () => {
                // the previous output is this very run (the same inputs and options): applying it again changed
                // nothing, and this rollback undid it whole; the previous rollback.sql then has nothing to undo
                const runOf = async (dir: string): Promise<string | undefined> =>
                  /^-- Run ([0-9a-f]{16}):/m.exec(await readFile(join(dir, 'migration.sql'), 'utf8'))?.[1];
                if ((await runOf(previous!)) === (await runOf(opts.out))) {
                  const counts = (await target!.scalar(COUNTS)) ?? '';
                  if (counts !== 'coaches 0, categories 0, app_config 0')
                    fail(`the previous output is this run, and rows are left after its rollback: ${counts}`);
                  return 'the previous output is this same run: its rollback is this one, and the target is as before it';
                }
                if ((await target!.scalar(STATE)) !== afterPrevious)
                  fail("rollback.sql did not restore the state after the previous run's migration.sql");
                return 'every row, every column, as it was';
              },
            ],
            [
              'the previous run: its rollback.sql',
              async () => (
                await target!.applyFile(join(previous, 'rollback.sql'), `${previous}/rollback.sql`),
                (await target!.scalar(COUNTS)) ?? ''
              ),
            ],
          ] as [string, () => Promise<string>][])),
      [
        'the target is empty again',
        async () => {
          const counts = (await target!.scalar(COUNTS)) ?? '';
          if (counts !== 'coaches 0, categories 0, app_config 0') fail(`rows left after rollback: ${counts}`);
          return counts;
        },
      ],
    ];
    for (const [name, fn] of steps) {
      if (name === 'secrets.sql' && !existsSync(out('secrets.sql'))) continue; // the run found no secrets
      if (!(await step(name, fn))) break;
    }
  } finally {
    await (target as TargetDb | null)?.close();
  }
  return results;
}
