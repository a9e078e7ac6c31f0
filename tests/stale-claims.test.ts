// Stale rows whoever wrote them (issue 28 item 9), on the fresh target: after run 2 removed category 5 (Snacks),
// run 1's row put back by hand (not in the ledger's owned set) fails run 2's verify.sql, named; the app's own row
// (a legacy id no run wrote) does not. PGlite, and PostgreSQL 15 through psql with DATABASE_URL.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { serverTarget } from '../lib/db/server-target.js';
import { pgliteTarget, type TargetDb } from '../lib/db/target-db.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { formatDifferences, reconcile } from '../lib/verify/reconcile.js';
import { writeMiniDump, type MiniDump } from './helpers/mini-dump.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';
import { pgliteDb, psqlDb, type TestDb } from './helpers/target.js';
import { fixture, SHAPES } from './helpers/real-target.js';

const DUMP1: MiniDump = {
  tls_coach: [{ id: 1, name: 'Daniel', time_create: '2023-01-01 00:00:00' }],
  tls_category: [
    { id: 1, name: 'Health', sort_order: 1 },
    { id: 4, parent_id: 1, name: 'Food', sort_order: 2 },
    { id: 5, parent_id: 4, name: 'Snacks', sort_order: 1 },
  ],
};
const DUMP2: MiniDump = { ...DUMP1, tls_category: DUMP1.tls_category!.slice(0, 2) };

function onBoth(name: string, body: (t: Test, db: TestDb) => Promise<void>): void {
  t.test(`${name} (PGlite)`, async (t) => body(t, await pgliteDb(t)));
  t.test(`${name} (PostgreSQL through psql)`, { ...needsPg }, async (t) =>
    body(
      t,
      psqlDb(
        t,
        `ledger_stale_${name
          .replace(/[^a-z0-9]+/gi, '_')
          .toLowerCase()
          .slice(0, 30)}`,
      ),
    ),
  );
}

const outs: string[] = [];
const dumps: string[] = [];
t.before(async () => {
  for (const [i, d] of [DUMP1, DUMP2].entries()) {
    const dir = join(t.testdirName, `dump${i + 1}`);
    mkdirSync(dir, { recursive: true });
    writeMiniDump(dir, d);
    dumps.push(dir);
    const out = join(t.testdirName, `out${i + 1}`);
    await runTransform({ dump: [dir], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
    outs.push(out);
  }
});

onBoth('fresh target: a removed legacy source put back by hand fails verify, the app row does not', async (t, db) => {
  const sql = (i: number, f: string): string => readFileSync(join(outs[i]!, f), 'utf8');
  await db.exec(readFileSync('schemas/target.sql', 'utf8'));
  await db.exec("INSERT INTO public.coaches (legacy_id, name) VALUES (9001, 'Made in the app')");
  await db.exec(sql(0, 'migration.sql'));
  const snacks = await db.value('SELECT row_to_json(c)::text FROM public.categories c WHERE legacy_id = 5');
  t.match(snacks, /"name":"Snacks"/, 'run 1 wrote Snacks');
  await db.exec(sql(1, 'migration.sql'));
  t.equal(await db.failure(sql(1, 'verify.sql')), null, "run 2's verify passes, the app's coach 9001 beside it");
  await db.exec(
    `INSERT INTO public.categories SELECT * FROM json_populate_record(NULL::public.categories, '${snacks.replace(/'/g, "''")}')`,
  );
  t.equal(
    await db.value(
      'SELECT count(*) FROM totalis_migrate.owned o JOIN public.categories c ON o.key = c.id::text WHERE c.legacy_id = 5',
    ),
    '0',
    'the row is not in the owned set',
  );
  t.match(
    await db.failure(sql(1, 'verify.sql')),
    /verify: rows claim a legacy source the dump no longer has \(stale, whoever wrote them\): categories legacy id 5 Snacks/,
    'verify.sql names it',
  );
  await db.exec('DELETE FROM public.categories WHERE legacy_id = 5');
  await db.exec("INSERT INTO public.categories (legacy_id, name) VALUES (77, 'Made in the app')");
  t.equal(
    await db.failure(sql(1, 'verify.sql')),
    null,
    "a category claiming a legacy id no run wrote is the app's: verify passes",
  );
});

// verify --db (reconcile.ts) applies the same rule: the row put back by hand is outside out/data and the owned set,
// and was counted as "not the migration's" only; it is now also named stale. The app's rows are not.
async function reconcileStale(t: Test, open: () => Promise<TargetDb>): Promise<void> {
  const db = await open();
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.scalar("INSERT INTO public.coaches (legacy_id, name) VALUES (9001, 'Made in the app')");
  await db.applyFile(join(outs[0]!, 'migration.sql'), 'run 1 migration.sql');
  const snacks = await db.scalar('SELECT row_to_json(c)::text FROM public.categories c WHERE legacy_id = 5');
  await db.applyFile(join(outs[1]!, 'migration.sql'), 'run 2 migration.sql');
  t.same(
    (await reconcile(db.connectionString, outs[1]!)).differences,
    [],
    "run 2 reconciles, the app's coach beside it",
  );
  await db.scalar(
    `INSERT INTO public.categories SELECT * FROM json_populate_record(NULL::public.categories, '${snacks!.replace(/'/g, "''")}')`,
  );
  await db.scalar("INSERT INTO public.categories (legacy_id, name) VALUES (77, 'Made in the app')");
  const r = await reconcile(db.connectionString, outs[1]!);
  t.same(
    r.differences,
    [{ table: 'categories', kind: 'stale', row: 'legacy id 5 Snacks' }],
    'the row claiming the lost source is named, the app category 77 is not',
  );
  t.match(
    formatDifferences(r),
    /categories: \d+ rows read; 0 missing, 0 unexpected, 0 values differ; 1 stale; 2 not the migration's \(left alone\)\n {2}! legacy id 5 Snacks: claims a legacy source the dump no longer has \(stale, whoever wrote it\)/,
  );
  t.equal(await db.scalar("SELECT to_regclass('totalis_run_keys')::text"), null, 'reconcile left no table behind');
}
t.test('verify --db: a removed legacy source put back by hand is stale (PGlite)', async (t) =>
  reconcileStale(t, pgliteTarget),
);
t.test('verify --db: a removed legacy source put back by hand is stale (PostgreSQL)', needsPg, async (t) =>
  reconcileStale(t, () => serverTarget(DATABASE_URL!, `verifydb_stale_reconcile_${process.pid}`)),
);

// the real target's two shapes: the claim is metadata.legacy_id (HEAD) or the ledger's sources under the row's key
// (0525)
for (const s of SHAPES) {
  // PGlite only: through psql the fixture load needs Supabase's roles and stubs first (not done here; see the report)
  t.test(`real target ${s.name}: a removed legacy source put back by hand fails verify (PGlite)`, async (t) => {
    const db = await pgliteDb(t);
    const target = { schema: fixture(s, 'schema.sql'), data: fixture(s, 'data.sql') };
    const out = (i: number): string => join(outs[0]!, '..', `${s.name}-${db.kind}-out${i + 1}`);
    for (const i of [0, 1])
      await runTransform({
        dump: [dumps[i]!],
        out: out(i),
        sourceTimezone: 'UTC',
        strict: false,
        breakCycles: false,
        env: {},
        target,
      });
    const sql = (i: number, f: string): string => readFileSync(join(out(i), f), 'utf8');
    await db.exec(readFileSync(target.schema, 'utf8'));
    await db.exec(readFileSync(target.data, 'utf8'));
    await db.exec('RESET ALL');
    await db.exec(readFileSync('schemas/target.sql', 'utf8'));
    await db.exec(sql(0, 'migration.sql'));
    const snacks = await db.value("SELECT row_to_json(c)::text FROM public.categories c WHERE name = 'Snacks'");
    t.match(snacks, /"name":"Snacks"/, 'run 1 wrote Snacks');
    await db.exec(sql(1, 'migration.sql'));
    t.equal(await db.failure(sql(1, 'verify.sql')), null, "run 2's verify passes beside the app's rows");
    await db.exec(
      `INSERT INTO public.categories SELECT * FROM json_populate_record(NULL::public.categories, '${snacks.replace(/'/g, "''")}')`,
    );
    t.match(
      await db.failure(sql(1, 'verify.sql')),
      /verify: rows claim a legacy source the dump no longer has \(stale, whoever wrote them\): categories legacy id 5 Snacks/,
      'verify.sql names it',
    );
  });
}
