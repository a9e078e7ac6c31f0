// Issue 28 items 3 and 4 in advance, and item 4 with hand-back: `transform --target-db` on the real target (both
// shapes of tests/fixtures/real-target, on PGlite served over a loopback socket always, on PostgreSQL 15 when
// DATABASE_URL is set) lists what migration.sql would refuse before anything is applied: the app's edits since
// the last run (target.app.edited) and the rows to remove that the app still references (target.row.referenced).
// A row the app references that was the app's before adoption (Daniel, whom profiles.coach_id points at) is
// handed back, neither listed nor refused at apply time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { MigrateError } from '../lib/errors.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';
import { fixture, options, psqlDb, servedFixture, SHAPES, type Db, type Shape } from './helpers/real-target.js';

/** The samples without the coaches whose legacy ids are given: a later dump whose sources of those rows are gone. */
function dumpWithout(dir: string, name: string, ids: readonly number[]): string {
  const d = join(dir, name);
  mkdirSync(d);
  for (const f of ['totalis_schema.sql', 'categories.sql', 'config_data.sql'])
    copyFileSync(join('samples', f), join(d, f));
  let coaches = readFileSync('samples/coaches_with_images.sql', 'utf8');
  for (const id of ids) {
    const without = coaches.replace(new RegExp(`^${id}\\t(?:Daniel|Sam)\\t[^\\n]*\\n`, 'm'), '');
    if (without === coaches) throw new Error(`the samples no longer hold coach ${id} as this test expects`);
    coaches = without;
  }
  writeFileSync(join(d, 'coaches_with_images.sql'), coaches);
  return d;
}

/** The transform's refusal (FINDINGS_BLOCK) message, or null when it made its output. */
async function refusal(run: Promise<unknown>): Promise<string | null> {
  try {
    await run;
    return null;
  } catch (e) {
    if (e instanceof MigrateError && e.code === 'FINDINGS_BLOCK') return e.message;
    throw e;
  }
}

async function inAdvance(t: Test, db: Db, url: string, s: Shape): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'advance-findings-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = (out: string, n: string): string => readFileSync(join(out, n), 'utf8');
  const target = { db: url };

  const out1 = join(dir, 'out1');
  await runTransform(options(out1, { target }));
  await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
  await db.exec(file(out1, 'migration.sql'), 'run 1 migration.sql');
  t.equal(await refusal(runTransform(options(join(dir, 'same'), { target }))), null, 'no app edit: nothing listed');

  // the app edits a migrated coach and deletes a migrated leaf category
  await db.exec("UPDATE public.coaches SET bio = 'edited in the app' WHERE name = 'Ana María'");
  const leaf =
    await db.value(`SELECT c.name FROM public.categories c JOIN totalis_migrate.owned o ON o.tbl = 'categories' AND o.key = c.id::text
     WHERE NOT EXISTS (SELECT FROM public.categories k WHERE k.parent_id = c.id) ORDER BY c.name LIMIT 1`);
  await db.exec(`DELETE FROM public.categories WHERE name = '${leaf.replace(/'/g, "''")}'`);

  const edited = await refusal(runTransform(options(join(dir, 'edited'), { target })));
  t.match(
    edited,
    /error target\.app\.edited tls_coach#2 Ana María: changed \(bio\) by the app since run/,
    'the coach edit is listed, with its column, and blocks transform',
  );
  t.match(
    edited,
    new RegExp(
      `error target\\.app\\.edited tls_category#\\d+ ${leaf.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: deleted by the app`,
    ),
    'the deleted category is listed',
  );
  t.equal((edited ?? '').match(/target\.app\.edited/g)?.length, 2, 'exactly the two edits are listed');
  // migration.sql, the apply-time oracle, refuses the same run for the same rows
  const overOut = join(dir, 'over');
  const over = await runTransform(options(overOut, { target, overwriteAppEdits: true }));
  const warned = over.findings.filter((f) => f.code === 'target.app.edited');
  t.same(
    warned.map((f) => f.severity),
    ['warning', 'warning'],
    '--overwrite-app-edits: the two edits are warnings',
  );
  t.match(file(overOut, 'report.md'), /target\.app\.edited/, 'report.md lists them');
  t.match(file(overOut, 'review.html'), /target\.app\.edited/, 'review.html lists them');
  await db.exec(file(overOut, 'migration.sql'), 'the overwriting migration.sql');
  t.equal(
    await refusal(runTransform(options(join(dir, 'after'), { target }))),
    null,
    'once overwritten: nothing listed',
  );

  // an app table whose rows reference coaches through a key that refuses a delete; the profile's key onto Daniel
  // (adopted in run 1) made to refuse too
  await db.exec(`CREATE TABLE public.app_notes (id integer PRIMARY KEY, name text, coach_id uuid REFERENCES public.coaches (id));
    INSERT INTO public.app_notes SELECT 1, 'note on Sam', id FROM public.coaches WHERE name = 'Sam';
    ALTER TABLE public.${s.profiles} DROP CONSTRAINT ${s.profiles}_coach_id_fkey;
    ALTER TABLE public.${s.profiles} ADD CONSTRAINT ${s.profiles}_coach_id_fkey FOREIGN KEY (coach_id) REFERENCES public.coaches (id);`);
  const both = dumpWithout(dir, 'no-daniel-sam', [1, 4]);
  const defaultCoach = 'Ana María';
  const referenced = await refusal(runTransform(options(join(dir, 'ref'), { dump: [both], defaultCoach, target })));
  t.match(
    referenced,
    /error target\.row\.referenced tls_coach#4 Sam: .*app_notes note on Sam \(coach_id\)/,
    'Sam, referenced by the app, is listed with the referencing row',
  );
  t.equal((referenced ?? '').match(/target\.row\.referenced/g)?.length, 1, 'only Sam: Daniel, adopted, is handed back');
  const kept = await runTransform(
    options(join(dir, 'kept'), { dump: [both], defaultCoach, target, keepRemoved: true }),
  );
  t.notOk(
    kept.findings.some((f) => f.code === 'target.row.referenced'),
    '--keep-removed: nothing is removed, nothing listed',
  );

  // Daniel alone gone: nothing listed, and migration.sql hands him back rather than refusing the removal
  const out2 = join(dir, 'out2');
  const r2 = await runTransform(options(out2, { dump: [dumpWithout(dir, 'no-daniel', [1])], defaultCoach, target }));
  t.same(
    r2.findings.filter((f) => f.code === 'target.app.edited' || f.code === 'target.row.referenced'),
    [],
    'nothing listed for the handed-back Daniel',
  );
  const applied = await db.exec(file(out2, 'migration.sql'), 'run 2 migration.sql').then(
    () => null,
    async (e: unknown) => {
      await db.exec('ROLLBACK').catch(() => undefined); // PGlite: leave no aborted transaction behind
      return (e as Error).message;
    },
  );
  t.equal(applied, null, 'run 2 migration.sql applies: Daniel is handed back, his removal not refused');
  t.equal(await db.value(`SELECT count(*) FROM public.coaches WHERE name = 'Daniel'`), '1', 'Daniel stays');
}

for (const s of SHAPES) {
  t.test(`${s.name}: transform --target-db lists app edits and referenced rows in advance (PGlite)`, async (t) => {
    const { db, url } = await servedFixture(t, s);
    await inAdvance(t, db, url, s);
  });

  t.test(
    `${s.name}: transform --target-db lists app edits and referenced rows in advance (PostgreSQL 15)`,
    needsPg,
    async (t) => {
      const name = `advance_${s.name}_${process.pid}`;
      const url = scratchDb(name);
      t.teardown(() => dropDb(name));
      const load = psql(['-f', fixture(s, 'schema.sql'), '-f', fixture(s, 'data.sql')], undefined, url);
      t.equal(load.code, 0, `the fixture loads: ${load.stderr}`);
      await inAdvance(t, psqlDb(url), url, s);
    },
  );
}
