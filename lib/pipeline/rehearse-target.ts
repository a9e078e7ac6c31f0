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
import { join } from 'node:path';
import { serverTarget } from '../db/server-target.js';
import { pgliteTarget, type TargetDb } from '../db/target-db.js';
import { SUPABASE_STUBS_SQL, withoutMetaCommands } from '../db/introspect.js';
import { MigrateError } from '../errors.js';
import type { RoleTableAccess } from '../sql/role-access.js';
import { ACCESS_LINES_SQL } from '../sql/target-model/shape.js';
import { roleAccessAt } from '../verify/access.js';
import { formatDifferences } from '../verify/reconcile.js';
import { reconcileTarget } from '../verify/reconcile-target.js';
import type { RehearseOptions } from './rehearse.js';
import { runStep, type StepResult } from './rehearse-step.js';
import { runTransform } from './transform.js';

const TARGET_SQL = fileURLToPath(new URL('../../schemas/target.sql', import.meta.url));
const STATE = `SELECT md5(coalesce(string_agg(j, E'\\n' ORDER BY j), '')) FROM (
  SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c UNION ALL
  SELECT 'categories ' || row_to_json(c)::text FROM public.categories c UNION ALL
  SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a) s`;
const XMIN = `SELECT md5(coalesce(string_agg(x, ',' ORDER BY x), '')) FROM (SELECT id::text || ':' || xmin::text AS x FROM public.coaches
  UNION ALL SELECT id::text || ':' || xmin::text FROM public.categories UNION ALL SELECT key || ':' || xmin::text FROM public.app_config) s`;
const COUNTS = `SELECT format('coaches %s, categories %s, app_config %s', (SELECT count(*) FROM public.coaches), (SELECT count(*) FROM public.categories), (SELECT count(*) FROM public.app_config))`;
export async function rehearseTarget(
  opts: RehearseOptions & { readonly target: { readonly schema: string; readonly data?: string } },
): Promise<StepResult[]> {
  const now = opts.now ?? (() => performance.now());
  const results: StepResult[] = [];
  let target: TargetDb | null = null;
  const fail = (msg: string): never => {
    throw new MigrateError('VERIFY_MISMATCH', msg);
  };
  const out = (f: string): string => join(opts.out, f);
  const db = (): TargetDb => target!;
  let before = '';
  let access = '';
  let rolesBefore: readonly RoleTableAccess[] = [];
  const steps: [string, () => Promise<string>][] = [
    [
      'transform',
      async () => {
        const r = await runTransform(opts);
        const adopted =
          r.binding?.tables.flatMap((t) =>
            t.rows.filter((x) => x.adopted !== null).map((x) => `${t.table} ${x.adopted}`),
          ) ?? [];
        return `coaches ${r.rows.coaches.length}, categories ${r.rows.categories.length}, app_config ${r.rows.appConfig.length}; adopted: ${adopted.join(', ') || 'none'}`;
      },
    ],
    [
      'open the target',
      async () => {
        target =
          opts.db === undefined ? await pgliteTarget() : await serverTarget(opts.db, `totalis_rehearse_${process.pid}`);
        return target.description;
      },
    ],
    [
      'the target, from its dumps',
      async () => {
        await db().applySql(SUPABASE_STUBS_SQL, 'Supabase roles and auth stubs');
        for (const [file, label] of [
          [opts.target.schema, '--target-schema'],
          ...(opts.target.data !== undefined ? [[opts.target.data, '--target-data']] : []),
        ] as [string, string][]) {
          await db().applySql(withoutMetaCommands(await readFile(file, 'utf8')), `${label} ${file}`);
          await db().applySql('RESET ALL', 'RESET ALL'); // pg_dump empties search_path and turns row_security off
        }
        before = (await db().scalar(STATE)) ?? '';
        access = (await db().scalar(`SELECT array_to_string(${ACCESS_LINES_SQL}, E'\\n')`)) ?? '';
        rolesBefore = (await roleAccessAt(db().connectionString)).roles;
        return (await db().scalar(COUNTS)) ?? '';
      },
    ],
    [
      'schemas/target.sql',
      async () => {
        await db().applyFile(TARGET_SQL, 'schemas/target.sql');
        if ((await db().scalar(`SELECT array_to_string(${ACCESS_LINES_SQL}, E'\\n')`)) !== access)
          fail('schemas/target.sql changed the policies or grants of the three tables');
        return "the app's tables, policies and grants left as they are; the ledger made";
      },
    ],
    [
      'migration.sql',
      async () => (await db().applyFile(out('migration.sql'), 'migration.sql'), (await db().scalar(COUNTS)) ?? ''),
    ],
    [
      'migration.sql again (must change nothing)',
      async () => {
        const x = await db().scalar(XMIN);
        await db().applyFile(out('migration.sql'), 'migration.sql (second run)');
        if ((await db().scalar(XMIN)) !== x)
          fail('the second run rewrote rows: migration.sql is not idempotent on this target');
        return 'no row rewritten (xmin)';
      },
    ],
    [
      'verify.sql',
      async () => (
        await db().applyFile(out('verify.sql'), 'verify.sql'),
        'all checks passed (policies and grants as they were)'
      ),
    ],
    ...(['anon', 'authenticated'] as const).map((role): [string, () => Promise<string>] => [
      `access as ${role}`,
      async () => {
        // the policies and grants are the app's, unchanged (verify.sql checks them); the rows they show may be more,
        // but none the rules before did not allow, and no write (the one probe and rule verify --db uses)
        const { roles, widened } = await roleAccessAt(db().connectionString, rolesBefore);
        const mine = widened.filter((l) => l.startsWith(`${role} `));
        if (mine.length > 0) fail(`access widened: ${mine.join('; ')}`);
        const reads = (rs: readonly RoleTableAccess[]): string =>
          rs
            .filter((r) => r.role === role)
            .map((r) => `${r.table} ${r.reads.rows ?? 'none'}`)
            .join(', ');
        return `reads ${reads(roles)} (before: ${reads(rolesBefore)}) under the app's own policies; no row or write its rules before did not allow`;
      },
    ]),
    [
      'reconcile with out/target-rows.json',
      async () => {
        // the rows transform bound to this target, row by row and column by column (verify --db's comparison)
        const r = await reconcileTarget(db().connectionString, opts.out);
        if (r.differences.length > 0)
          fail(
            `the target differs from the rows transform bound to it:\n${formatDifferences(r, 'out/target-rows.json')}`,
          );
        const others = Object.entries(r.others)
          .filter(([, o]) => o.count > 0)
          .map(([t, o]) => `${t} ${o.count}`);
        return `${Object.entries(r.compared)
          .map(([t, n]) => `${t} ${n}`)
          .join(', ')} rows read, every bound row and column as written; the app's own: ${others.join(', ') || 'none'}`;
      },
    ],
    [
      'rollback.sql',
      async () => (await db().applyFile(out('rollback.sql'), 'rollback.sql'), (await db().scalar(COUNTS)) ?? ''),
    ],
    [
      'the target is as it was',
      async () => {
        if ((await db().scalar(STATE)) !== before) fail('rollback.sql did not restore the three tables exactly');
        return 'every row, every column, as before';
      },
    ],
  ];
  try {
    const log = { results, now, ...(opts.onStep !== undefined ? { onStep: opts.onStep } : {}) };
    for (const [name, fn] of steps) if (!(await runStep(log, name, fn))) break;
  } finally {
    await (target as TargetDb | null)?.close();
  }
  return results;
}
