// Issue 31 item 4, last sentence: an adopted row whose legacy source a later dump no longer has is handed back to
// the app as it was before adoption, never deleted (users' profiles point at it). Both shapes of
// tests/fixtures/real-target, each told to transform by --target-db: on PGlite (served over a loopback socket) always,
// on PostgreSQL 15 when DATABASE_URL is set. Run 1 adopts the app's Daniel; run 2's dump lacks Daniel.
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
  STATE,
  SHAPES,
  type Db,
  type Shape,
} from './helpers/real-target.js';

const USER = '00000000-0000-4000-8000-0000000000a1';

async function handBack(t: Test, db: Db, url: string, s: Shape): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'real-target-handback-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = (out: string, n: string): string => readFileSync(join(out, n), 'utf8');
  const daniel = `SELECT row_to_json(c)::text FROM public.coaches c WHERE name = 'Daniel'`;
  const state0 = await db.value(STATE);
  const danielApp = await db.value(daniel);
  const danielId = await db.value(`SELECT id FROM public.coaches WHERE name = 'Daniel'`);

  const out1 = join(dir, 'out1');
  await runTransform(options(out1, { target: { db: url } }));
  await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
  await db.exec(file(out1, 'migration.sql'), 'run 1 migration.sql');
  await db.exec(file(out1, 'verify.sql'), 'run 1 verify.sql');
  t.equal(
    await db.value(`SELECT bio FROM public.coaches WHERE id = '${danielId}'`),
    'Calm, practical, direct.',
    "run 1 adopts the app's Daniel (the legacy description is in its bio)",
  );
  const state1 = await db.value(STATE);

  const out2 = join(dir, 'out2');
  const dump2 = samplesWithoutCoach(dir, 1, 'Daniel');
  const r2 = await runTransform(options(out2, { dump: [dump2], defaultCoach: 'Ana María', target: { db: url } }));
  t.notOk(
    r2.binding!.tables.some((b) => b.rows.some((r) => r.key === danielId)),
    "run 2 writes no row under Daniel's id",
  );
  // where adoptions are listed, the hand-back is listed too: report.md, review.html and the change summary
  t.match(
    file(out2, 'report.md'),
    `Handed back (adopted by an earlier run, their legacy source now gone: restored as they were before adoption, never deleted): 1\n- coaches Daniel: the app's row ${danielId}\n`,
    'report.md lists Daniel as handed back, with its id',
  );
  t.match(file(out2, 'review.html'), /Handed back to the app [^<]*: coaches Daniel\./, 'review.html names it');
  t.match(
    file(out1, 'report.md'),
    /Handed back \([^)]*\): none\n/,
    'run 1 (the first, which adopts) hands nothing back',
  );
  const summary = await cli([
    'transform',
    '--dump',
    dump2,
    '--out',
    join(dir, 'out2-cli'),
    '--source-timezone',
    'UTC',
    '--default-coach',
    'Ana María',
    '--target-db',
    url,
  ]);
  t.equal(summary.code, 0, `transform (the command) succeeds ${summary.stderr}`);
  t.match(
    summary.stdout,
    `handed back to the app (adopted earlier, legacy source gone; restored as before adoption, never deleted): 1\n  coaches Daniel: the app's row ${danielId}\n`,
    "transform's change summary lists the hand-back",
  );
  await db.exec(file(out2, 'migration.sql'), 'run 2 migration.sql');
  await db.exec(file(out2, 'verify.sql'), 'run 2 verify.sql');
  t.equal(
    await db.value(`SELECT count(*) FROM public.coaches WHERE name = 'Daniel'`),
    '1',
    'after run 2 Daniel exists once (not deleted)',
  );
  t.equal(
    await db.value(daniel),
    danielApp,
    "after run 2 Daniel is the app's again, every column as before adoption (id, bio, metadata, updated_at)",
  );
  t.equal(
    await db.value(`SELECT coach_id FROM public.${s.profiles} WHERE id = '${USER}'`),
    danielId,
    'the profile still points at Daniel',
  );
  t.equal(
    await db.value(`SELECT count(*) FROM totalis_migrate.owned WHERE key = '${danielId}'`),
    '0',
    "Daniel is no longer the migration's in the ledger",
  );

  await db.exec(file(out2, 'migration.sql'), 'run 2 migration.sql (again)');
  t.equal(await db.value(daniel), danielApp, 'a second apply of run 2 leaves the handed-back Daniel as it is');
  await db.exec(file(out2, 'rollback.sql'), 'run 2 rollback.sql');
  t.equal(
    await db.value(STATE),
    state1,
    'rolling back run 2 restores the three tables exactly as run 1 left them (Daniel adopted again)',
  );
  await db.exec(file(out1, 'rollback.sql'), 'run 1 rollback.sql');
  t.equal(await db.value(STATE), state0, 'then rolling back run 1 restores them exactly as the app had them');
}

for (const s of SHAPES) {
  t.test(`${s.name}: an adopted row whose source is gone is handed back (PGlite)`, async (t) => {
    const { db, url } = await servedFixture(t, s);
    await handBack(t, db, url, s);
  });

  t.test(`${s.name}: an adopted row whose source is gone is handed back (PostgreSQL 15)`, needsPg, async (t) => {
    const name = `target_hb_${s.name}_${process.pid}`;
    const url = scratchDb(name);
    t.teardown(() => dropDb(name));
    const load = psql(['-f', fixture(s, 'schema.sql'), '-f', fixture(s, 'data.sql')], undefined, url);
    t.equal(load.code, 0, `the fixture loads: ${load.stderr}`);
    await handBack(t, psqlDb(url), url, s);
  });
}
