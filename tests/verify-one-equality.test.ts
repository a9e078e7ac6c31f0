// Issue 31 item 1: one rule of equality (lib/sql/compare.ts) for verify.sql on every target. The real target's
// verify.sql compared jsonb by value, the fresh target's (and reconcile) by text: a variable of 3.50 that the target
// holds as 3.5 passed on the real target and failed on the fresh one. Now both judge by jsonb's text: 3.5 is a
// difference on the fresh target and on both real-target shapes, and so is a metadata key's 1.0 for 1; and the
// upserts' guards judge the same way, so applying migration.sql again (made with --overwrite-app-edits) puts 3.50
// back. The app's edits are judged by the same rule: an app's 3.50 → 3.5 is an app edit, refused by migration.sql
// and listed in advance by transform --target-db (app-edits.ts and advance-sql.ts compared jsonb by value: the edit
// went unseen and the next apply silently rewrote it). On PGlite always, on PostgreSQL 15 through psql when
// DATABASE_URL is set.
import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { MigrateError } from '../lib/errors.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { dropDb, needsPg, scratchDb } from './helpers/pg.js';
import {
  fixture,
  options,
  pgliteDb,
  psqlDb,
  servedFixture,
  SHAPES,
  type Db,
  type Shape,
} from './helpers/real-target.js';

type Target = Shape | 'fresh';
const TARGETS: readonly Target[] = ['fresh', ...SHAPES];
const targetName = (s: Target): string => (s === 'fresh' ? 'fresh' : s.name);

/** The mini dump of a variable 3.50, in `dir`. */
const priceDump = (dir: string): string =>
  writeMiniDump(dir, {
    tls_coach: [{ id: 1, name: 'Daniel', sex: 'M', intro: 'born in 1980', time_create: '2023-01-01 00:00:00' }],
    tls_variable: [{ id: 1, name: 'price', value: '3.50', user: true, time_create: '2022-05-01 10:00:00' }],
  });

/** transform's refusal (FINDINGS_BLOCK) message, or null when it made its output. */
const refusal = (run: Promise<unknown>): Promise<string | null> =>
  run.then(
    () => null,
    (e: unknown) => {
      if (e instanceof MigrateError && e.code === 'FINDINGS_BLOCK') return e.message;
      throw e;
    },
  );

/** url: the server transform reads the real target from (--target-db); without it, the fixture's files. */
async function oneRule(t: Test, s: Target, db: Db, url?: string): Promise<void> {
  const dir = t.testdir({});
  priceDump(dir);
  if (s !== 'fresh') {
    await db.exec(readFileSync(fixture(s, 'schema.sql'), 'utf8'), 'schema.sql');
    await db.exec(readFileSync(fixture(s, 'data.sql'), 'utf8'), 'data.sql');
  }
  const target =
    s === 'fresh'
      ? {}
      : {
          target: url !== undefined ? { db: url } : { schema: fixture(s, 'schema.sql'), data: fixture(s, 'data.sql') },
        };
  const out = join(dir, 'out');
  await runTransform({ ...options(out, target), dump: [dir] });
  // the same run made to overwrite the app's edits: applied again over a tampered row (a 3.5 is an app edit now)
  const over = join(dir, 'over');
  await runTransform({ ...options(over, { ...target, overwriteAppEdits: true }), dump: [dir] });
  await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
  await db.exec(readFileSync(join(out, 'migration.sql'), 'utf8'), 'migration.sql');
  const verify = async (): Promise<string> =>
    db.exec(readFileSync(join(out, 'verify.sql'), 'utf8'), 'verify.sql').then(
      () => 'passed',
      // PGlite's session is left in the failed transaction
      async (e: Error) => (await db.exec('ROLLBACK').catch(() => undefined), e.message),
    );
  t.equal(await verify(), 'passed', 'the migration passes verify.sql');
  t.equal(await db.value(`SELECT value::text FROM public.app_config WHERE key = 'var_price'`), '3.50', 'kept 3.50');

  // verify.sql finds the change; applying migration.sql again puts the value back, as its guard judges a row by the
  // same rule (a guard by jsonb's value left 3.5, and verify.sql failed for good)
  const tamper = async (change: string, read: string, want: RegExp, label: string): Promise<void> => {
    const before = await db.value(read);
    await db.exec(change);
    t.match(await verify(), want, label);
    await db.exec(readFileSync(join(over, 'migration.sql'), 'utf8'), 'migration.sql (again)');
    t.equal(await db.value(read), before, `${label}: migration.sql applied again puts it back`);
    t.equal(await verify(), 'passed', `${label}: then verify.sql passes`);
  };
  await tamper(
    `UPDATE public.app_config SET value = '3.5' WHERE key = 'var_price'`,
    `SELECT value::text FROM public.app_config WHERE key = 'var_price'`,
    /app_config: rows differ from what migration\.sql wrote: [^\n]*var_price[^\n]*\(value/,
    '3.50 held as 3.5 (equal as jsonb values, not as text) is a difference',
  );
  if (s !== 'fresh' && s.metadata) {
    await tamper(
      `UPDATE public.coaches SET metadata = jsonb_set(metadata, '{legacy_id}', '1.0') WHERE name = 'Daniel'`,
      `SELECT metadata::text FROM public.coaches WHERE name = 'Daniel'`,
      /coaches: rows differ from what migration\.sql wrote: [^\n]*\(metadata\)/,
      'metadata.legacy_id held as 1.0 for 1 is a difference',
    );
  }
}

for (const s of TARGETS) {
  t.test(`${targetName(s)} target: verify.sql and the upsert judge jsonb by its text (PGlite)`, async (t) => {
    const pg = await PGlite.create();
    t.teardown(() => pg.close());
    await oneRule(t, s, pgliteDb(pg));
  });
  t.test(
    `${targetName(s)} target: verify.sql and the upsert judge jsonb by its text (PostgreSQL 15)`,
    needsPg,
    async (t) => {
      const name = `model_eq_${targetName(s)}_${process.pid}`;
      const url = scratchDb(name);
      t.teardown(() => dropDb(name));
      await oneRule(t, s, psqlDb(url), url);
    },
  );
}

/** An app's 3.50 → 3.5 of a migrated variable is an app edit, in advance and at apply time. url: --target-db. */
async function appEdit(t: Test, db: Db, url: string): Promise<void> {
  const dir = t.testdir({});
  priceDump(dir);
  const target = { target: { db: url } };
  const file = (out: string, n: string): string => readFileSync(join(dir, out, n), 'utf8');
  await runTransform({ ...options(join(dir, 'out1'), target), dump: [dir] });
  await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
  await db.exec(file('out1', 'migration.sql'), 'run 1 migration.sql');
  const read = `SELECT value::text FROM public.app_config WHERE key = 'var_price'`;
  t.equal(await db.value(read), '3.50', 'run 1 wrote 3.50');

  await db.exec(`UPDATE public.app_config SET value = '3.5' WHERE key = 'var_price'`);
  t.match(
    await refusal(runTransform({ ...options(join(dir, 'out2'), target), dump: [dir] })),
    /error target\.app\.edited [^\n]*var_price: changed \(value\) by the app since run/,
    'transform --target-db lists the 3.50 → 3.5 edit in advance and blocks',
  );
  const refused = await db.exec(file('out1', 'migration.sql'), 'run 1 migration.sql (again)').then(
    () => null,
    async (e: Error) => (await db.exec('ROLLBACK').catch(() => undefined), e.message),
  );
  t.match(
    refused,
    /the app changed or deleted rows since run [0-9a-f]{16} was applied[^\n]*app_config var_price: changed by the app: value 3\.50 -> 3\.5[;.]/,
    'migration.sql refuses to rewrite the app edit, naming it',
  );
  t.equal(await db.value(read), '3.5', "the app's 3.5 is kept");

  const over = await runTransform({
    ...options(join(dir, 'over'), { ...target, overwriteAppEdits: true }),
    dump: [dir],
  });
  t.ok(
    over.findings.some((f) => f.code === 'target.app.edited' && f.severity === 'warning'),
    '--overwrite-app-edits: listed as a warning',
  );
  await db.exec(file('over', 'migration.sql'), 'the overwriting migration.sql');
  t.equal(await db.value(read), '3.50', '--overwrite-app-edits: 3.50 is put back');
}

for (const s of TARGETS) {
  t.test(`${targetName(s)} target: an app's 3.50 → 3.5 is an app edit, listed and refused (PGlite)`, async (t) => {
    const { db, url } = await servedFixture(t, s);
    await appEdit(t, db, url);
  });
  t.test(
    `${targetName(s)} target: an app's 3.50 → 3.5 is an app edit, listed and refused (PostgreSQL 15)`,
    needsPg,
    async (t) => {
      const name = `equality_edit_${targetName(s)}_${process.pid}`;
      const url = scratchDb(name);
      t.teardown(() => dropDb(name));
      const db = psqlDb(url);
      if (s === 'fresh') await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
      else {
        await db.exec(readFileSync(fixture(s, 'schema.sql'), 'utf8'), 'schema.sql');
        await db.exec(readFileSync(fixture(s, 'data.sql'), 'utf8'), 'data.sql');
      }
      await appEdit(t, db, url);
    },
  );
}
