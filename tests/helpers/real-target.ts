// Shared by tests/real-target*.test.ts. The real target (issue 31): the Totalis project's own tables as its migrations
// made them, in two shapes
// (tests/fixtures/real-target: HEAD 3428696 with its seed, and 86a91d4 of 2025-05-25 with an app-made Daniel and
// Sarah), each with a signed-in user whose profile chose the app's Daniel. transform is told the target (offline on
// PGlite: --target-schema/--target-data; on PostgreSQL 15 when DATABASE_URL is set: --target-db), then README
// step 4 runs: schemas/target.sql, migration.sql, verify.sql; then a second apply, and rollback.sql.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'tap';
import type { TransformOptions } from '../../lib/pipeline/transform.js';
import { ACCESS_LINES_SQL } from '../../lib/sql/target-model/shape.js';
import { psql } from './pg.js';

export interface Db {
  exec(sql: string, label?: string): Promise<void>;
  value(sql: string): Promise<string>;
}

export const SHAPES = [
  { name: 'head', profiles: 'profiles', metadata: true },
  { name: '0525', profiles: 'user_profiles', metadata: false },
] as const;
export type Shape = (typeof SHAPES)[number];
export const fixture = (s: Shape, f: string): string => join('tests/fixtures/real-target', s.name, f);

/** Every row of the three tables, every column. */
export const STATE = `SELECT string_agg(j, E'\\n' ORDER BY j) FROM (
  SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c UNION ALL
  SELECT 'categories ' || row_to_json(c)::text FROM public.categories c UNION ALL
  SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a) s`;
const XMIN = `SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT id::text || ':' || xmin::text AS x FROM public.coaches
  UNION ALL SELECT id::text || ':' || xmin::text FROM public.categories UNION ALL SELECT key || ':' || xmin::text FROM public.app_config) s`;
const ACCESS = `SELECT array_to_string(${ACCESS_LINES_SQL}, E'\\n')`;
/** What the anon key reads of each table, as PostgREST runs it. */
const asRole = (role: string, sql: string): string =>
  `BEGIN; SET LOCAL ROLE ${role}; SELECT set_config('request.jwt.claims', '{"role":"${role}","sub":"00000000-0000-4000-8000-0000000000a1"}', true); ${sql}`;
const READS = `SELECT format('coaches %s, categories %s, app_config %s', (SELECT count(*) FROM public.coaches), (SELECT count(*) FROM public.categories), (SELECT count(*) FROM public.app_config))`;

/** The samples without one tls_coach row (its id and name), in dir/dump2: a later dump that lost that coach. */
export function samplesWithoutCoach(dir: string, id: number, name: string): string {
  const d = join(dir, 'dump2');
  mkdirSync(d);
  for (const f of ['totalis_schema.sql', 'categories.sql', 'config_data.sql'])
    copyFileSync(join('samples', f), join(d, f));
  const coaches = readFileSync('samples/coaches_with_images.sql', 'utf8');
  const without = coaches.replace(new RegExp(`^${id}\\t${name}\\t[^\\n]*\\n`, 'm'), '');
  if (without === coaches) throw new Error(`the samples no longer hold tls_coach#${id} ${name} as this test expects`);
  writeFileSync(join(d, 'coaches_with_images.sql'), without);
  return d;
}

export function options(out: string, extra: Partial<TransformOptions>): TransformOptions {
  return { dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {}, ...extra };
}

export async function runbook(t: Test, db: Db, s: Shape, out: string): Promise<void> {
  const file = (n: string): string => readFileSync(join(out, n), 'utf8');
  const before = await db.value(STATE);
  const accessBefore = await db.value(ACCESS);
  const danielBefore = await db.value(`SELECT id FROM public.coaches WHERE name = 'Daniel'`);
  // every row of the three tables but the two adopted (the app's Daniel and default_coach)
  const appOthers = `SELECT string_agg(j, E'\\n' ORDER BY j) FROM (SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c WHERE name <> 'Daniel'
    UNION ALL SELECT 'categories ' || row_to_json(c)::text FROM public.categories c UNION ALL SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a WHERE key <> 'default_coach') s`;
  const appOthersBefore = await db.value(appOthers);
  const anonBefore = await db.value(asRole('anon', READS));

  await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
  t.equal(
    await db.value(ACCESS),
    accessBefore,
    'schemas/target.sql adds no policy and changes no grant on the three tables',
  );
  await db.exec(file('migration.sql'), 'migration.sql');
  await db.exec(file('verify.sql'), 'verify.sql');
  t.pass('README step 4 succeeds: target.sql, migration.sql, verify.sql');

  t.equal(
    await db.value(`SELECT count(*) FROM public.coaches WHERE name = 'Daniel'`),
    '1',
    "Daniel exists once (the app's, adopted)",
  );
  t.equal(
    await db.value(`SELECT count(*) FROM public.coaches WHERE name = 'Sarah'`),
    '1',
    "Sarah exists once (the app's; the samples have no Sarah)",
  );
  t.equal(
    await db.value(`SELECT id FROM public.coaches WHERE name = 'Daniel'`),
    danielBefore,
    "Daniel keeps the app's id",
  );
  t.equal(
    await db.value(`SELECT coach_id FROM public.${s.profiles} WHERE id = '00000000-0000-4000-8000-0000000000a1'`),
    danielBefore,
    'the profile still points at Daniel',
  );
  t.equal(
    await db.value(`SELECT value ->> 'default_coach_id' FROM public.app_config WHERE key = 'default_coach'`),
    danielBefore,
    'default_coach points at the one Daniel',
  );
  t.equal(
    await db.value(`SELECT bio FROM public.coaches WHERE name = 'Daniel'`),
    'Calm, practical, direct.',
    "the legacy description is in the app's bio",
  );
  t.match(
    await db.value(`SELECT photo_url FROM public.coaches WHERE name = 'Daniel'`),
    /coach-images\/1-/,
    'the legacy photo is in photo_url',
  );
  t.match(
    await db.value(`SELECT string_agg(icon, ',') FROM public.categories WHERE name = 'Sleep'`),
    /category-icons\/7-/,
    'the category icon is in icon',
  );
  t.equal(
    await db.value(`SELECT count(*) FROM public.coaches WHERE name IN ('Ana María', 'Sam', 'Zoë Ñandú')`),
    '3',
    'the other legacy coaches are there',
  );
  if (s.metadata) {
    t.equal(
      await db.value(`SELECT metadata ->> 'legacy_id' FROM public.coaches WHERE name = 'Daniel'`),
      '1',
      'metadata.legacy_id',
    );
    t.match(
      await db.value(`SELECT metadata ->> 'intro' FROM public.coaches WHERE name = 'Daniel'`),
      /^Hi, I'm Daniel/,
      'a field with no column is in metadata under its name',
    );
  } else {
    t.equal(
      await db.value(`SELECT legacy_id FROM totalis_migrate.sources WHERE tbl = 'coaches' AND key = '${danielBefore}'`),
      '1',
      'no metadata: the legacy id is in the ledger',
    );
  }
  t.equal(
    await db.value(appOthers).then((v) => v.split('\n').filter((l) => appOthersBefore.includes(l)).length),
    appOthersBefore.split('\n').length,
    "the app's other rows of the three tables are untouched, every column",
  );
  t.equal(await db.value(ACCESS), accessBefore, 'policies and grants on the three tables are as they were');
  // the app's own policies: at HEAD only signed-in users read; at 86a91d4 anyone reads active rows and public config
  const publicRows =
    s.name === 'head'
      ? 'coaches 0, categories 0, app_config 0'
      : await db.value(
          READS.replace(/FROM public\.(coaches|categories)\)/g, 'FROM public.$1 WHERE is_active)').replace(
            'FROM public.app_config)',
            'FROM public.app_config WHERE is_public)',
          ),
        );
  t.equal(
    await db.value(asRole('anon', READS)),
    publicRows,
    `anon reads no private row (${publicRows}; before the migration: ${anonBefore})`,
  );
  let anonWrite: string | null = null;
  try {
    await db.exec(asRole('anon', `INSERT INTO public.coaches (name) VALUES ('anon'); COMMIT;`));
  } catch (e) {
    anonWrite = (e as Error).message;
    await db.exec('ROLLBACK').catch(() => undefined);
  }
  t.match(anonWrite, /row-level security|permission denied/, 'anon writes nothing');

  const xmin = await db.value(XMIN);
  await db.exec(file('migration.sql'), 'migration.sql (again)');
  t.equal(await db.value(XMIN), xmin, 'a second apply rewrites no row (xmin), BEFORE UPDATE triggers and all');
  await db.exec(file('verify.sql'), 'verify.sql (again)');
  await db.exec(file('rollback.sql'), 'rollback.sql');
  t.equal(
    await db.value(STATE),
    before,
    'rollback.sql restores the three tables exactly, every column (updated_at too)',
  );
}

export function pgliteDb(pg: PGlite): Db {
  return {
    exec: async (sql) => {
      await pg.exec(sql);
      await pg.exec('RESET ALL'); // pg_dump sets search_path empty and row_security off
    },
    value: async (sql) => {
      const r = await pg.exec(sql);
      const last = r.filter((x) => x.fields.length > 0).pop();
      const v = last?.rows[0] === undefined ? null : Object.values(last.rows[0])[0];
      if (sql.startsWith('BEGIN')) await pg.exec('ROLLBACK');
      return v === null || v === undefined ? '' : String(v);
    },
  };
}

/** A real server through psql. */
export function psqlDb(url: string): Db {
  return {
    exec: async (sql, label) => {
      const r = psql([], sql, url);
      if (r.code !== 0) throw new Error(`${label ?? 'sql'}: ${r.stderr}`);
    },
    value: async (sql) => {
      const r = psql(['-At'], sql.startsWith('BEGIN') ? `${sql} ROLLBACK;` : sql, url);
      if (r.code !== 0) throw new Error(r.stderr);
      // a role's reads come after the BEGIN, SET and set_config lines; a value may span lines
      return sql.startsWith('BEGIN')
        ? (r.stdout
            .trim()
            .split('\n')
            .filter((l) => l !== '' && l !== 'BEGIN' && l !== 'SET' && l !== 'ROLLBACK')
            .pop() ?? '')
        : r.stdout.replace(/\n$/, '');
    },
  };
}

/** A PGlite holding shape s's fixture, served over a loopback socket (for --target-db and verify --db); closed at teardown. */
export async function servedFixture(t: Test, s: Shape | 'fresh'): Promise<{ db: Db; url: string }> {
  const pg = await PGlite.create();
  const server = new PGLiteSocketServer({ db: pg, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  t.teardown(async () => {
    await server.stop();
    await pg.close();
  });
  const db = pgliteDb(pg);
  if (s === 'fresh') await db.exec(readFileSync('schemas/target.sql', 'utf8'));
  else {
    await db.exec(readFileSync(fixture(s, 'schema.sql'), 'utf8'));
    await db.exec(readFileSync(fixture(s, 'data.sql'), 'utf8'));
  }
  return { db, url: `postgresql://postgres@${server.getServerConn()}/postgres` };
}
