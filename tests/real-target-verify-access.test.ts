// Issue 31 item 5: `verify --db` on a real target prints what anon and authenticated can read and write, as
// PostgREST runs them, and fails when the policies or grants on the three tables changed since transform read the
// target (out/target.json), or when a role may read or write more than it could then (the role-by-role table
// transform recorded, read-only). Both shapes of tests/fixtures/real-target (HEAD: only signed-in users read; 0525:
// "Anyone can view active coaches"), told to transform by --target-db: on PGlite (served over a loopback socket)
// always, on PostgreSQL 15 when DATABASE_URL is set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';
import { fixture, options, psqlDb, servedFixture, SHAPES, type Db, type Shape } from './helpers/real-target.js';

/** What PostgreSQL itself does when the role runs the statement (rolled back): the oracle for the probe's counts. */
const asRole = (role: string, sql: string): string =>
  `BEGIN; SET LOCAL ROLE ${role}; SELECT set_config('request.jwt.claims', '{"role":"${role}"}', true); ${sql}`;
const updated = (table: string, key: string): string =>
  `WITH u AS (UPDATE public.${table} SET ${key} = ${key} WHERE true RETURNING 1) SELECT count(*) FROM u`;
const lineOf = (out: string, role: string, table: string): string =>
  new RegExp(`^ {2}${role} ${table}: .*$`, 'm').exec(out)?.[0] ?? `(no line for ${role} ${table})`;

async function accessCheck(t: Test, s: Shape, db: Db, url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'real-target-access-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'out');
  // a coach the app keeps hidden: no role but the owner and service_role may read it, before or after
  await db.exec(`INSERT INTO public.coaches (name, is_active) VALUES ('Hidden by the app', false)`, 'hidden coach');
  await runTransform(options(out, { target: { db: url } }));
  const record = JSON.parse(readFileSync(join(out, 'target.json'), 'utf8')) as {
    roles: { role: string; table: string; reads: { rows: number } }[];
  };
  const recorded = (role: string, table: string): number =>
    record.roles.find((r) => r.role === role && r.table === table)!.reads.rows;
  const anonCoachesBefore = Number(await db.value(asRole('anon', 'SELECT count(*) FROM public.coaches')));
  t.equal(recorded('anon', 'coaches'), anonCoachesBefore, 'out/target.json records the coaches anon read then');
  t.equal(
    recorded('authenticated', 'app_config'),
    Number(await db.value(asRole('authenticated', 'SELECT count(*) FROM public.app_config'))),
    '... and the config rows a signed-in user read',
  );

  for (const f of ['schemas/target.sql', join(out, 'migration.sql'), join(out, 'verify.sql')])
    await db.exec(readFileSync(f, 'utf8'), f);

  const ok = await cli(['verify', '--db', url, '--out', out]);
  t.equal(ok.code, 0, `verify --db passes after README step 4 ${ok.stderr}`);
  t.notMatch(ok.stdout, /access (changed|widened)/, 'no access change is reported after README step 4');
  t.match(
    ok.stdout,
    /verify: the rows are as out\/verify.sql expects[^\n]*\ncoaches: \d+ rows read;[\s\S]*\nverify: the target matches the rows transform bound to it/,
    "the rows are checked in the target's own shape: by verify.sql, then reconciled row by row (real-target-reconcile.test.ts)",
  );
  t.match(
    ok.stdout,
    /access: anon and authenticated reach no row and no write the rules transform read did not allow them/,
    'verify --db says access is not widened',
  );
  const anonCoachesAfter = Number(await db.value(asRole('anon', 'SELECT count(*) FROM public.coaches')));
  t.equal(
    lineOf(ok.stdout, 'anon', 'coaches'),
    `  anon coaches: reads ${anonCoachesAfter}, updates none, deletes none, inserts none`,
    'verify --db prints what anon reads of coaches, and that it may change none (no policy lets it write)',
  );
  t.match(
    lineOf(ok.stdout, 'authenticated', 'categories'),
    /reads [1-9]\d*, updates none, deletes none, inserts none$/,
    '... and what a signed-in user reads of categories',
  );
  if (s.name === '0525') {
    // anyone reads active coaches: the migration's coaches are active, so anon reads more, and that is no widening
    t.ok(
      anonCoachesAfter > anonCoachesBefore,
      `anon reads more coaches after the migration (${anonCoachesBefore} → ${anonCoachesAfter})`,
    );
    t.match(
      ok.stdout,
      new RegExp(
        `when transform read the target \\(the lines that differ\\):\\n[\\s\\S]*  was: anon coaches: reads ${anonCoachesBefore},`,
      ),
      'verify --db shows what anon read when transform read the target',
    );
  } else t.equal(anonCoachesAfter, 0, 'at HEAD anon reads no coach, before or after');

  // access widened by hand between apply and verify: anon may now read every coach, the hidden one too, and
  // update every config row
  await db.exec(
    `CREATE POLICY "anyone reads every coach" ON public.coaches FOR SELECT TO anon USING (true);
     CREATE POLICY "anon edits config" ON public.app_config FOR UPDATE TO anon USING (true);`,
    'widen',
  );
  const bad = await cli(['verify', '--db', url, '--out', out]);
  t.equal(bad.code, 1, 'verify --db fails');
  // the rows it reads that the rules transform read would not have let it: at 0525 the hidden coach; at HEAD all
  const newlyRead = s.name === '0525' ? 1 : Number(await db.value('SELECT count(*) FROM public.coaches'));
  t.match(
    bad.stdout,
    `access widened: anon coaches: reads ${newlyRead} row(s) the rules transform read would not have let it read`,
    'naming the coaches anon now reads that it could not read then (rows the migration added to what it read are not counted)',
  );
  const anonConfigUpdates = Number(await db.value(asRole('anon', updated('app_config', 'key'))));
  t.equal(
    lineOf(bad.stdout, 'anon', 'app_config').replace(/, deletes .*/, ''),
    `  anon app_config: reads ${await db.value(asRole('anon', 'SELECT count(*) FROM public.app_config'))}, updates ${anonConfigUpdates}`,
    'the rows anon may update are those PostgreSQL updates when anon runs the update',
  );
  t.match(
    bad.stdout,
    s.name === '0525'
      ? // "Service role can manage all config" applies to everyone (its condition is false for anon): rows, not a rule
        `access widened: anon app_config: updates ${anonConfigUpdates} row(s) the rules transform read would not have let it update`
      : 'access widened: anon app_config: may now update (where (true))',
    'naming the update anon may now make',
  );
  t.match(
    bad.stdout,
    /access changed: added since transform read the target: policy coaches anyone reads every coach SELECT to anon using true check -/,
    'and the policy added',
  );
  t.match(bad.stdout, /verify: anon or authenticated may now read or write more/, 'saying why it fails');
  t.notMatch(bad.stdout, /access widened: authenticated/, 'a signed-in user may do nothing more than before');
}

for (const s of SHAPES) {
  t.test(`verify --db, ${s.name} shape: access role by role, and a widened one fails it (PGlite)`, async (t) => {
    const { db, url } = await servedFixture(t, s);
    await accessCheck(t, s, db, url);
  });

  t.test(
    `verify --db, ${s.name} shape: access role by role, and a widened one fails it (PostgreSQL 15)`,
    needsPg,
    async (t) => {
      const name = `target_va_${s.name}_${process.pid}`;
      const url = scratchDb(name);
      t.teardown(() => dropDb(name));
      t.equal(
        psql(['-f', fixture(s, 'schema.sql'), '-f', fixture(s, 'data.sql')], undefined, url).code,
        0,
        'the fixture loads',
      );
      await accessCheck(t, s, psqlDb(url), url);
    },
  );
}
