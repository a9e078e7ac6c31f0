// The target locked down as Supabase serves it (issue 20). Supabase's roles and default privileges as a
// Supabase project has them (lib/sql/access.ts, docs/access.md), then schemas/target.sql (twice) and the
// samples' migration.sql; then every table × (select, insert, update, delete) × (anon, authenticated,
// service_role), each in a transaction of its own, rolled back. PGlite always; PostgreSQL 15 through psql with
// DATABASE_URL. Also: Supabase's own linter query for rls_disabled_in_public, the SQL files applied as
// service_role, and verify.sql failing when row-level security is off.
import { PGlite } from '@electric-sql/pglite';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { ACCESS_TABLES, accessCheckSql, supabaseRolesSql } from '../lib/sql/access.js';
import { dropDb, needsPg, scratchDb } from './helpers/pg.js';

const ROLES = ['anon', 'authenticated', 'service_role'] as const;
const OPS = {
  select: (tb: string) => `SELECT count(*) FROM public.${tb}`,
  insert: (tb: string) =>
    tb === 'app_config'
      ? `WITH w AS (INSERT INTO public.app_config (key, value, is_public) VALUES ('x_access', '1', true) RETURNING 1) SELECT count(*) FROM w`
      : `WITH w AS (INSERT INTO public.${tb} (legacy_id, name) VALUES (-99, 'x') RETURNING 1) SELECT count(*) FROM w`,
  update: (tb: string) =>
    `WITH w AS (UPDATE public.${tb} SET created_at = created_at RETURNING 1) SELECT count(*) FROM w`,
  delete: (tb: string) => `WITH w AS (DELETE FROM public.${tb} RETURNING 1) SELECT count(*) FROM w`,
} as const;

/** The splinter lint 0013_rls_disabled_in_public (supabase/splinter, lints/0013_rls_disabled_in_public.sql), its conditions as written there. */
const RLS_DISABLED_IN_PUBLIC = `SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON c.relnamespace = n.oid
  WHERE c.relkind = 'r' AND NOT c.relrowsecurity
    AND (pg_catalog.has_table_privilege('anon', c.oid, 'SELECT') OR pg_catalog.has_table_privilege('authenticated', c.oid, 'SELECT'))
    AND n.nspname = any(array(select trim(unnest(string_to_array('public', ',')))))`;

/** What the catalog says of access: a second run of schemas/target.sql must leave it exactly as it was. */
const ACCESS_STATE = `SELECT string_agg(x, ' | ' ORDER BY x) FROM (
  SELECT format('%s rls=%s acl=%s', relname, relrowsecurity, relacl) AS x FROM pg_class WHERE oid IN ('public.coaches'::regclass, 'public.categories'::regclass, 'public.app_config'::regclass)
  UNION ALL SELECT format('policy %s.%s oid=%s %s %s %s', tablename, policyname, (SELECT oid FROM pg_policy WHERE polname = policyname), cmd, roles, qual) FROM pg_policies WHERE schemaname = 'public') s`;

interface Db {
  /** Runs statements as the owner; throws on error. */
  exec(sql: string): Promise<void>;
  /** The first value of `sql`'s first row, run as `role` inside a transaction that is rolled back; or the error. */
  asRole(role: string | null, sql: string): Promise<{ value: string } | { error: string }>;
}

async function samplesOut(t: Test): Promise<string> {
  const out = join(t.testdir({}), 'out');
  await runTransform({ dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  return out;
}

async function matrix(t: Test, db: Db, out: string): Promise<void> {
  const file = (n: string): string => readFileSync(join(out, n), 'utf8');
  await db.exec(supabaseRolesSql());
  const target = readFileSync('schemas/target.sql', 'utf8');
  await db.exec(target);
  const state = await db.asRole(null, ACCESS_STATE);
  await db.exec(target);
  t.same(
    await db.asRole(null, ACCESS_STATE),
    state,
    'a second run of schemas/target.sql changes nothing (RLS, grants, policies and their oids)',
  );
  t.same(
    await db.asRole(null, RLS_DISABLED_IN_PUBLIC),
    { value: '' },
    "Supabase's linter finds no rls_disabled_in_public",
  );
  await db.exec(file('migration.sql'));
  await db.exec(file('verify.sql'));
  // one coach and one category retired by the app, so that "active only" shows
  await db.exec(
    'UPDATE public.coaches SET is_active = false WHERE legacy_id = 4; UPDATE public.categories SET is_active = false WHERE legacy_id = 12;',
  );
  const visible = { coaches: '', categories: '', app_config: '' } as Record<string, string>;
  const total = { ...visible };
  for (const tb of ACCESS_TABLES) {
    visible[tb] = String(
      (
        (await db.asRole(
          null,
          `SELECT count(*) FROM public.${tb} WHERE ${tb === 'app_config' ? 'is_public' : 'is_active'}`,
        )) as { value: string }
      ).value,
    );
    total[tb] = String(((await db.asRole(null, `SELECT count(*) FROM public.${tb}`)) as { value: string }).value);
  }
  t.same(total, { coaches: '6', categories: '10', app_config: '16' }, 'the samples migrated');
  const rows: string[] = [];
  for (const role of ROLES) {
    for (const tb of ACCESS_TABLES) {
      const cells: string[] = [];
      for (const [op, sql] of Object.entries(OPS)) {
        const r = await db.asRole(role, sql(tb));
        const cell =
          'error' in r
            ? /permission denied|row-level security/.test(r.error)
              ? 'refused'
              : `error: ${r.error}`
            : `${r.value} rows`;
        cells.push(cell);
        const bypass = role === 'service_role';
        const expected =
          op === 'select'
            ? `${bypass ? total[tb] : visible[tb]} rows`
            : !bypass
              ? 'refused'
              : op === 'insert'
                ? '1 rows'
                : `${total[tb]} rows`;
        t.equal(cell, expected, `${role} ${op} ${tb}`);
      }
      rows.push(`| ${role} | ${tb} | ${cells.join(' | ')} |`);
    }
  }
  t.comment(
    ['', '| role | table | select | insert | update | delete |', '| --- | --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ),
  );
  t.same(
    visible,
    { coaches: '5', categories: '9', app_config: '3' },
    'anon and authenticated read 5 of 6 coaches, 9 of 10 categories (the active ones) and 3 of 16 app_config rows (is_public)',
  );
}

async function asServiceRole(t: Test, db: Db, out: string): Promise<void> {
  const file = (n: string): string => readFileSync(join(out, n), 'utf8');
  for (const f of ['rollback.sql', 'migration.sql', 'verify.sql', 'rollback.sql']) {
    const r = await db.asRole('service_role', `${file(f)}\nSELECT 'ok'`);
    t.same(r, { value: 'ok' }, `${f} applies unchanged as service_role`);
  }
}

async function rlsOff(t: Test, db: Db, out: string): Promise<void> {
  await db.exec(readFileSync(join(out, 'migration.sql'), 'utf8'));
  await db.exec('ALTER TABLE public.app_config DISABLE ROW LEVEL SECURITY');
  t.same(
    await db.asRole(null, RLS_DISABLED_IN_PUBLIC),
    { value: 'app_config' },
    'the linter query does find a table left open',
  );
  const r = await db.asRole(null, `${readFileSync(join(out, 'verify.sql'), 'utf8')}\nSELECT 'passed'`);
  t.match(
    r,
    { error: /verify: row-level security is off on app_config/ },
    'verify.sql fails when row-level security is off',
  );
  // rehearse's access step, with app_config left open: anon sees every row and the check says so
  const check = await db.asRole(
    null,
    `${accessCheckSql('anon', { coaches: 6, categories: 10, app_config: 3 }).replace(/^BEGIN;\n|ROLLBACK;\n$/gm, '')}\nSELECT 'passed'`,
  );
  t.match(
    check,
    { error: /access: anon sees 16 rows of app_config, expected 3 \(is_public\)/ },
    "rehearse's access check fails on a table left open",
  );
  await db.exec('ALTER TABLE public.app_config ENABLE ROW LEVEL SECURITY');
}

function pgliteDb(pg: PGlite): Db {
  return {
    exec: async (sql) => void (await pg.exec(sql)),
    async asRole(role, sql) {
      await pg.exec(`BEGIN;${role === null ? '' : ` SET LOCAL ROLE ${role};`}`);
      try {
        const results = await pg.exec(sql);
        const rows = results.at(-1)?.rows ?? [];
        return { value: String(Object.values(rows[0] ?? { v: '' })[0] ?? '') };
      } catch (e) {
        return { error: (e as Error).message };
      } finally {
        await pg.exec('ROLLBACK');
      }
    },
  };
}

function psqlDb(url: string): Db {
  const run = (args: string[], input?: string) =>
    spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...args], {
      encoding: 'utf8',
      input,
      maxBuffer: 1 << 26,
    });
  return {
    async exec(sql) {
      const r = run(['-f', '-'], sql);
      if (r.status !== 0) throw new Error(r.stderr);
    },
    async asRole(role, sql) {
      const r = run(['-f', '-'], `BEGIN;\n${role === null ? '' : `SET LOCAL ROLE ${role};\n`}${sql};\nROLLBACK;\n`);
      if (r.status !== 0) return { error: r.stderr.replace(/^psql:[^\n]*?ERROR:\s*/m, '').trim() };
      const lines = r.stdout.trim().split('\n');
      return { value: lines.at(-1) ?? '' };
    },
  };
}

t.test('PGlite: role × table × operation as Supabase serves the target', async (t) => {
  const out = await samplesOut(t);
  const pg = await PGlite.create();
  t.teardown(() => pg.close());
  const db = pgliteDb(pg);
  await matrix(t, db, out);
  await asServiceRole(t, db, out);
  await rlsOff(t, db, out);
});

t.test('PostgreSQL through psql: role × table × operation as Supabase serves the target', needsPg, async (t) => {
  const out = await samplesOut(t);
  const url = scratchDb('totalis_access');
  t.teardown(() => dropDb('totalis_access'));
  const db = psqlDb(url);
  await matrix(t, db, out);
  await asServiceRole(t, db, out);
  await rlsOff(t, db, out);
});

t.test(
  'without the Supabase roles (plain PostgreSQL, PGlite) schemas/target.sql still applies, RLS on, twice',
  async (t) => {
    const pg = await PGlite.create();
    t.teardown(() => pg.close());
    const target = readFileSync('schemas/target.sql', 'utf8');
    await pg.exec(target);
    await pg.exec(target);
    const r = await pg.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_class WHERE relname IN ('coaches', 'categories', 'app_config') AND relrowsecurity",
    );
    t.equal(r.rows[0]!.n, 3);
    const p = await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_policies WHERE schemaname = 'public'");
    t.equal(p.rows[0]!.n, 3, 'three read policies, one per table');
  },
);
