// Issue 31 item 5: `verify --db` on a real target prints what anon and authenticated can read and write, as
// PostgREST runs them, and fails when the policies or grants on the three tables changed since transform read the
// target (out/target.json). The HEAD shape of tests/fixtures/real-target, told to transform by --target-db: on
// PGlite (served over a loopback socket) always, on PostgreSQL 15 when DATABASE_URL is set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';
import { fixture, options, psqlDb, servedFixture, SHAPES, type Db } from './helpers/real-target.js';

const s = SHAPES[0];

async function accessCheck(t: Test, db: Db, url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'real-target-access-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'out');
  await runTransform(options(out, { target: { db: url } }));
  for (const f of ['schemas/target.sql', join(out, 'migration.sql'), join(out, 'verify.sql')])
    await db.exec(readFileSync(f, 'utf8'), f);

  const ok = await cli(['verify', '--db', url, '--out', out]);
  t.match(
    ok.stdout,
    /access as PostgREST runs it[^\n]*\n {2}anon coaches: reads 0, updates 0, deletes 0, inserts refused\n[\s\S]*\n {2}authenticated coaches: reads \d+,/,
    'verify --db prints what anon and authenticated read and write on each table',
  );
  t.match(
    ok.stdout,
    /access: the policies and grants on the three tables are those the target had when transform read it/,
    'and that access is as the target had it',
  );
  t.notMatch(ok.stdout, /access changed/, 'no access change is reported after README step 4');
  t.equal(ok.code, 0, `verify --db passes after README step 4 ${ok.stderr}`);
  t.match(
    ok.stdout,
    /verify: the rows are as out\/verify.sql expects/,
    "the rows are checked in the target's own shape (verify.sql)",
  );

  // access widened by hand between apply and verify: anon may now read every coach
  await db.exec(
    `CREATE POLICY "anyone reads coaches" ON public.coaches FOR SELECT TO anon USING (true); GRANT SELECT ON public.coaches TO anon;`,
    'widen',
  );
  const bad = await cli(['verify', '--db', url, '--out', out]);
  t.equal(bad.code, 1, 'verify --db fails');
  t.match(
    bad.stdout,
    /access changed: added since transform read the target: policy coaches anyone reads coaches SELECT to anon using true check -/,
    'naming the policy added',
  );
  t.match(bad.stdout, /anon coaches: reads [1-9]/, 'and showing anon now reads coaches');
  t.match(
    bad.stdout,
    /verify: the policies or grants on coaches, categories, app_config changed since transform read the target/,
    'saying why it fails',
  );
}

t.test('verify --db: access as PostgREST runs it, and a widened policy fails it (PGlite)', async (t) => {
  const { db, url } = await servedFixture(t, s);
  await accessCheck(t, db, url);
});

t.test(
  'verify --db: access as PostgREST runs it, and a widened policy fails it (PostgreSQL 15)',
  needsPg,
  async (t) => {
    const name = `target_va_${process.pid}`;
    const url = scratchDb(name);
    t.teardown(() => dropDb(name));
    t.equal(
      psql(['-f', fixture(s, 'schema.sql'), '-f', fixture(s, 'data.sql')], undefined, url).code,
      0,
      'the fixture loads',
    );
    await accessCheck(t, psqlDb(url), url);
  },
);
