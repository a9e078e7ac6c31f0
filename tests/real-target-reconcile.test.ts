// Issue 31 item 1's last part: `verify --db` on a real target reconciles the live tables row by row and column by
// column with the rows transform bound to the target's own shape (out/target-rows.json), besides running
// out/verify.sql. Both shapes of tests/fixtures/real-target (HEAD: a metadata column; 0525: none, the legacy ids in
// the ledger), told to transform by --target-db: on PGlite (served over a loopback socket) always, on PostgreSQL 15
// when DATABASE_URL is set. After README step 4 verify --db passes and says how many rows it read; then an adopted
// coach's bio changed, a metadata key changed (HEAD), a migrated category deleted and a row added to the ledger's
// owned set are each named (differs, missing, unexpected), as is an app row claiming a migrated coach's legacy id
// (stale, HEAD), and verify exits 1; the app's own rows, a new one too, are counted as not the migration's.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';
import {
  fixture,
  options,
  samplesWithoutCoach,
  psqlDb,
  servedFixture,
  SHAPES,
  type Db,
  type Shape,
} from './helpers/real-target.js';

interface Recorded {
  tables: {
    table: string;
    keyColumn: string;
    rows: {
      key: string;
      handle: string;
      adopted: string | null;
      values: Record<string, unknown>;
      metadata: Record<string, unknown> | null;
    }[];
  }[];
}

const TABLES = ['coaches', 'categories', 'app_config'] as const;
const LEFT_BEHIND = '00000000-0000-4000-8000-00000000beef';

async function reconcileCheck(t: Test, s: Shape, db: Db, url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'real-target-reconcile-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const out = join(dir, 'out');
  await runTransform(options(out, { target: { db: url } }));
  await runTransform(options(join(dir, 'again'), { target: { db: url } }));
  t.equal(
    readFileSync(join(dir, 'again', 'target-rows.json'), 'utf8'),
    readFileSync(join(out, 'target-rows.json'), 'utf8'),
    'out/target-rows.json is byte-identical from the same inputs and target',
  );
  const record = JSON.parse(readFileSync(join(out, 'target-rows.json'), 'utf8')) as Recorded;
  const table = (name: string): Recorded['tables'][number] => record.tables.find((x) => x.table === name)!;
  const daniel = await db.value(`SELECT id FROM public.coaches WHERE name = 'Daniel'`);
  const sarah = await db.value(`SELECT id FROM public.coaches WHERE name = 'Sarah'`);
  const boundDaniel = table('coaches').rows.find((r) => r.adopted === 'Daniel');
  t.equal(boundDaniel?.key, daniel, "out/target-rows.json holds Daniel under the app's own id, as adopted");
  t.equal(boundDaniel?.values['bio'], 'Calm, practical, direct.', "... with the legacy description in the app's bio");
  t.notOk('updated_at' in (boundDaniel?.values ?? {}), '... and not updated_at (the triggers set it)');
  if (s.metadata) t.equal(boundDaniel?.metadata?.['legacy_id'], 1, '... and metadata.legacy_id');
  else t.equal(boundDaniel?.metadata, null, '... and no metadata (the 0525 shape has none)');

  for (const f of ['schemas/target.sql', join(out, 'migration.sql')]) await db.exec(readFileSync(f, 'utf8'), f);
  const ok = await cli(['verify', '--db', url, '--out', out]);
  t.equal(ok.code, 0, `verify --db passes after README step 4 ${ok.stderr}`);
  t.notMatch(ok.stdout, /not reconciled/, 'and no longer says the rows were not reconciled');
  t.match(ok.stdout, /verify: the rows are as out\/verify.sql expects/, 'verify.sql ran and passed');
  t.match(ok.stdout, /verify: the target matches the rows transform bound to it \(out\/target-rows.json\)\n/);
  for (const name of TABLES) {
    const n = Number(await db.value(`SELECT count(*) FROM public.${name}`));
    const apps = n - table(name).rows.length;
    t.match(
      ok.stdout,
      new RegExp(
        `^${name}: ${n} rows read; 0 missing, 0 unexpected, 0 values differ${apps > 0 ? `; ${apps} not the migration's \\(left alone\\)` : ''}$`,
        'm',
      ),
      `${name}: every row read (${n}), ${table(name).rows.length} compared, ${apps} the app's`,
    );
  }
  t.match(
    ok.stdout,
    `  · id ${sarah} (Sarah) not the migration's: the ledger does not list it`,
    "the app's Sarah, untouched, is named as not the migration's",
  );

  // the changes verify must name, each as it is
  const migratedCoach = table('coaches').rows.find((r) => r.adopted === null && r.metadata !== null);
  const metadataKey = Object.keys(migratedCoach?.metadata ?? {}).find((k) => k !== 'legacy_id');
  const parents = new Set(table('categories').rows.map((r) => r.values['parent_id']));
  const leaf = table('categories').rows.find((r) => !parents.has(r.key) && r.adopted === null)!;
  await db.exec(
    `UPDATE public.coaches SET bio = 'Edited in the app' WHERE id = '${daniel}';
     ${s.metadata ? `UPDATE public.coaches SET metadata = jsonb_set(metadata, '{${metadataKey}}', '"edited by hand"') WHERE id = '${migratedCoach!.key}';` : ''}
     DELETE FROM public.categories WHERE id = '${leaf.key}';
     INSERT INTO public.coaches (id, name) VALUES ('${LEFT_BEHIND}', 'Left behind');
     INSERT INTO totalis_migrate.owned (tbl, key) VALUES ('coaches', '${LEFT_BEHIND}');
     INSERT INTO public.coaches (name) VALUES ('Made in the app');
     ${s.metadata ? `INSERT INTO public.coaches (name, metadata) VALUES ('A copy', '{"legacy_id": ${migratedCoach!.handle.replace(/^tls_coach#(\d+) .*$/, '$1')}}');` : ''}`,
    'changes after apply',
  );
  const bad = await cli(['verify', '--db', url, '--out', out]);
  t.equal(bad.code, 1, 'verify --db fails');
  t.match(
    bad.stdout,
    `  ~ id ${daniel} (tls_coach#1 Daniel; the app's Daniel, adopted) bio: expected "Calm, practical, direct.", found "Edited in the app"`,
    "the adopted coach's bio differs, named under the app's id",
  );
  if (s.metadata)
    t.match(
      bad.stdout,
      // a jsonb value is shown as its JSON text, quoted (as reconcile shows every jsonb value)
      `  ~ id ${migratedCoach!.key} (${migratedCoach!.handle}) metadata.${metadataKey}: expected ${JSON.stringify(JSON.stringify(migratedCoach!.metadata![metadataKey!]))}, found ${JSON.stringify('"edited by hand"')}`,
      `a metadata key the migration wrote differs (metadata.${metadataKey})`,
    );
  t.match(bad.stdout, `  - id ${leaf.key} (${leaf.handle}) missing`, 'the deleted category is missing');
  t.match(
    bad.stdout,
    `  + id ${LEFT_BEHIND} (Left behind) not in out/target-rows.json, and the ledger says the migration wrote it`,
    "a row in the ledger's owned set that no bound row is: unexpected",
  );
  t.match(
    bad.stdout,
    / {2}· id [0-9a-f-]{36} \(Made in the app\) not the migration.s/,
    "a row the app made since: not the migration's",
  );
  if (s.metadata)
    t.match(
      bad.stdout,
      `  ! legacy id ${migratedCoach!.handle.replace(/^tls_coach#(\d+) .*$/, '$1')} A copy: claims a legacy source the dump no longer has (stale, whoever wrote it)`,
      "a row of the app's that claims a migrated coach's legacy id (metadata.legacy_id) is stale, as verify.sql says",
    );
  const coaches = Number(await db.value('SELECT count(*) FROM public.coaches'));
  const appCoaches = coaches - table('coaches').rows.length - 1;
  t.match(
    bad.stdout,
    `coaches: ${coaches} rows read; 0 missing, 1 unexpected, ${s.metadata ? '2 values differ; 1 stale' : '1 values differ'}; ${appCoaches} not the migration's (left alone)`,
    'the coaches counted',
  );
  t.match(bad.stdout, /categories: \d+ rows read; 1 missing, 0 unexpected, 0 values differ/);
  t.match(bad.stdout, `verify: ${s.metadata ? 5 : 3} differences from out/target-rows.json`);

  // output of an older transform (no out/target-rows.json): one line saying what to do, never a pass
  rmSync(join(out, 'target-rows.json'));
  const older = await cli(['verify', '--db', url, '--out', out]);
  t.not(older.code, 0, 'verify --db without out/target-rows.json fails');
  t.match(older.stderr, /target-rows\.json: not there: run transform again/, '... saying to run transform again');
  t.notMatch(older.stderr, /\n\s+at /, '... without a stack trace');
}

for (const s of SHAPES)
  t.test(
    `verify --db after a --keep-removed run on the ${s.name} shape: the kept coach is noted (PGlite)`,
    async (t) => {
      const { db, url } = await servedFixture(t, s);
      const dir = mkdtempSync(join(tmpdir(), 'real-target-kept-'));
      t.teardown(() => rmSync(dir, { recursive: true, force: true }));
      const out = join(dir, 'out');
      await runTransform(options(out, { target: { db: url } }));
      for (const f of ['schemas/target.sql', join(out, 'migration.sql')]) await db.exec(readFileSync(f, 'utf8'), f);
      await runTransform(
        options(out, { dump: [samplesWithoutCoach(dir, 4, 'Sam')], keepRemoved: true, target: { db: url } }),
      );
      await db.exec(readFileSync(join(out, 'migration.sql'), 'utf8'), 'run 2 migration.sql');
      t.equal(await db.value(`SELECT count(*) FROM public.coaches WHERE name = 'Sam'`), '1', 'Sam stays in the target');
      const r = await cli(['verify', '--db', url, '--out', out]);
      t.equal(r.code, 0, `verify --db passes, as verify.sql does ${r.stdout}`);
      t.match(r.stdout, /coaches: \d+ rows read; 0 missing, 0 unexpected, 0 values differ; 1 kept by --keep-removed/);
      t.match(r.stdout, / {2}= .*Sam.* kept by --keep-removed/, 'Sam is named as kept');
    },
  );

for (const s of SHAPES) {
  t.test(`verify --db reconciles the ${s.name} shape row by row, column by column (PGlite)`, async (t) => {
    const { db, url } = await servedFixture(t, s);
    await reconcileCheck(t, s, db, url);
  });

  t.test(
    `verify --db reconciles the ${s.name} shape row by row, column by column (PostgreSQL 15)`,
    needsPg,
    async (t) => {
      const name = `reconcile_target_${s.name}_${process.pid}`;
      const url = scratchDb(name);
      t.teardown(() => dropDb(name));
      t.equal(
        psql(['-f', fixture(s, 'schema.sql'), '-f', fixture(s, 'data.sql')], undefined, url).code,
        0,
        'the fixture loads',
      );
      await reconcileCheck(t, s, psqlDb(url), url);
    },
  );
}
