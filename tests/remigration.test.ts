// Re-migration (issue 21): run 1 from a dump, then the legacy data changes (a coach renamed, a category moved,
// a leaf category, a prompt and a variable deleted, a coach and a variable added, one photo's bytes changed) and
// run 2 goes over the same target. With rows that are not the migration's present throughout. PGlite always;
// PostgreSQL 15 through psql with DATABASE_URL. Each state is compared value by value (every column, JSON).
import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { writeMiniDump, type MiniDump } from './helpers/mini-dump.js';
import { needsPg } from './helpers/pg.js';
import { TINY_GIF, withTail } from './helpers/tiny-images.js';
import { psqlDb } from './helpers/target.js';
import { servedFixture } from './helpers/real-target.js';

// referenced images must decode: a real one-pixel GIF, made distinct by bytes after its end
const gif = (n: number): Buffer => withTail(TINY_GIF, Buffer.alloc(40, n));
const DUMP1: MiniDump = {
  tls_image: [
    { id: 1, extension: 'gif', data: gif(1) },
    { id: 2, extension: 'gif', data: gif(2) },
  ],
  tls_coach: [
    { id: 1, name: 'Daniel', image_id: 1, intro: 'born in 1980', time_create: '2023-01-01 00:00:00' },
    { id: 2, name: 'Ana', image_id: 2, time_create: '2023-01-02 00:00:00' },
    { id: 4, name: 'Leo', time_create: '2023-01-03 00:00:00' },
  ],
  tls_category: [
    { id: 1, name: 'Health', sort_order: 1 },
    { id: 2, parent_id: 1, name: 'Sleep', sort_order: 1 },
    { id: 3, parent_id: 2, name: 'Naps', sort_order: 1 },
    { id: 4, parent_id: 1, name: 'Food', sort_order: 2 },
    { id: 5, parent_id: 4, name: 'Snacks', sort_order: 1 },
  ],
  tls_prompt: [
    { id: 1, name: 'welcome', prompt: 'hello' },
    { id: 2, name: 'summary', prompt: 'sum up' },
  ],
  tls_variable: [
    { id: 1, name: 'max', value: '3', user: true },
    { id: 2, name: 'min', value: '1', user: false },
  ],
  tls_system: [{ id: 1, name: 'version', value: '2.7' }],
};
const DUMP2: MiniDump = {
  ...DUMP1,
  // coach 1's photo has other bytes (a new object path), coach 2 renamed, coach 3 new
  tls_image: [
    { id: 1, extension: 'gif', data: gif(9) },
    { id: 2, extension: 'gif', data: gif(2) },
  ],
  // coach 1's photo changed, coach 2 renamed, coach 3 new, coach 4 (Leo) deleted
  tls_coach: [
    DUMP1.tls_coach![0]!,
    { ...DUMP1.tls_coach![1]!, name: 'Ana María' },
    { id: 3, name: 'Sam', time_create: '2023-02-01 00:00:00' },
  ],
  // Naps moved from Sleep to Health, Food renamed, the leaf Snacks deleted, Mind new
  tls_category: [
    DUMP1.tls_category![0]!,
    DUMP1.tls_category![1]!,
    { ...DUMP1.tls_category![2]!, parent_id: 1, sort_order: 3 },
    { ...DUMP1.tls_category![3]!, name: 'Food and drink' },
    { id: 6, name: 'Mind', sort_order: 2 },
  ],
  // the prompt summary and the variable min deleted; the welcome prompt changed; a variable added
  tls_prompt: [{ ...DUMP1.tls_prompt![0]!, prompt: 'hello again' }],
  tls_variable: [DUMP1.tls_variable![0]!, { id: 3, name: 'theme', value: 'dark', user: true }],
};

/** Every row of the three tables, every column, as JSON text: states compared value by value. */
const STATE = `SELECT string_agg(j, E'\\n' ORDER BY j) FROM (
  SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c
  UNION ALL SELECT 'categories ' || row_to_json(c)::text FROM public.categories c
  UNION ALL SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a) s`;
const XMIN = `SELECT string_agg(x, ',' ORDER BY x) FROM (SELECT 'c' || legacy_id || ':' || xmin AS x FROM public.coaches UNION ALL SELECT 'k' || legacy_id || ':' || xmin FROM public.categories UNION ALL SELECT 'a' || key || ':' || xmin FROM public.app_config) s`;

interface Db {
  exec(sql: string): Promise<void>;
  value(sql: string): Promise<string>;
  /** The error message of running `sql`, or null when it ran. */
  failure(sql: string): Promise<string | null>;
}

/** DUMP1 and DUMP2 written as dump1/ and dump2/ under `root`; their paths. */
function writeDumps(root: string): [string, string] {
  return ([DUMP1, DUMP2] as const).map((d, i) => {
    const dir = join(root, `dump${i + 1}`);
    mkdirSync(dir);
    writeMiniDump(dir, d);
    return dir;
  }) as [string, string];
}

async function outputs(t: Test): Promise<[string, string]> {
  const root = t.testdir({});
  const outs: string[] = [];
  for (const [i, dir] of writeDumps(root).entries()) {
    const out = join(root, `out${i + 1}`);
    await runTransform({ dump: [dir], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
    outs.push(out);
  }
  return outs as [string, string];
}

async function scenario(t: Test, db: Db, [out1, out2]: [string, string]): Promise<void> {
  const sql = (out: string, f: string): string => readFileSync(join(out, f), 'utf8');
  await db.exec(readFileSync('schemas/target.sql', 'utf8'));
  // rows that are not the migration's: the new app's own setting, and a coach without a legacy source
  await db.exec(
    "INSERT INTO public.app_config (key, value) VALUES ('app_new_setting', '\"x\"'); INSERT INTO public.coaches (legacy_id, name) VALUES (9001, 'Made in the new app')",
  );
  const s0 = await db.value(STATE);

  await db.exec(sql(out1, 'migration.sql'));
  await db.exec(sql(out1, 'verify.sql'));
  const s1 = await db.value(STATE);
  for (const there of ['"key":"prompt_summary"', '"key":"var_min"', '"name":"Snacks"', '"name":"Ana"', '"name":"Leo"'])
    t.ok(s1.includes(there), `run 1 wrote ${there}`);

  await db.exec(sql(out2, 'migration.sql'));
  const x2 = await db.value(XMIN);
  await db.exec(sql(out2, 'migration.sql'));
  t.equal(await db.value(XMIN), x2, 'run 2 applied twice: the second rewrites no row');
  await db.exec(sql(out2, 'verify.sql'));
  const s2 = await db.value(STATE);
  t.match(s2, /"name":"Ana María"/, 'the rename is there');
  t.notMatch(
    s2,
    /"key":"prompt_summary"|"key":"var_min"|"name":"Snacks"|"name":"Leo"/,
    'the deleted prompt, variable, leaf category and coach are gone',
  );
  t.match(s2, /"name":"Food and drink"/);
  t.match(s2, /"key":"prompt_welcome","value":"hello again"/);
  t.match(s2, /"key":"app_new_setting"/, "the new app's setting is untouched");
  t.match(s2, /"legacy_id":9001/, 'so is the coach without a legacy source');
  t.match(await db.failure(sql(out1, 'verify.sql')), /verify: /, "run 1's verify.sql fails over run 2's target");

  // a stale row put back by hand (as if run 2 had not removed it): verify names it
  await db.exec(
    `INSERT INTO public.app_config (key, value) VALUES ('prompt_summary', '"stale"'); INSERT INTO totalis_migrate.owned VALUES ('app_config', 'prompt_summary')`,
  );
  t.match(
    await db.failure(sql(out2, 'verify.sql')),
    /rows of the migration whose legacy source is gone are still there: app_config prompt_summary/,
    'verify.sql checks the whole set',
  );
  await db.exec(
    "DELETE FROM public.app_config WHERE key = 'prompt_summary'; DELETE FROM totalis_migrate.owned WHERE tbl = 'app_config' AND key = 'prompt_summary'",
  );
  // tampering: a migrated value changed by hand; verify says so, and rollback 2 still restores run 1's state
  await db.exec("UPDATE public.coaches SET name = 'Tampered' WHERE legacy_id = 1");
  t.match(
    await db.failure(sql(out2, 'verify.sql')),
    /coach legacy id 1 \(name: 'Tampered', expected 'Daniel'\)/,
    'the message shows the value found and the one expected',
  );

  t.match(
    await db.failure(sql(out1, 'rollback.sql')),
    /rollback: run\(s\) [0-9a-f]{16} were applied after run [0-9a-f]{16}; roll them back first/,
    'run 1 cannot be rolled back before run 2',
  );
  await db.exec(sql(out2, 'rollback.sql'));
  t.equal(await db.value(STATE), s1, 'rollback 2: the target equals the state after run 1, value by value');
  await db.exec(sql(out1, 'verify.sql'));
  t.pass("and run 1's verify.sql passes again");
  await db.exec(sql(out1, 'rollback.sql'));
  t.equal(
    await db.value(STATE),
    s0,
    'rollback 1: the target equals the state before run 1, the rows that are not ours included',
  );
  await db.exec(sql(out1, 'rollback.sql'));
  t.equal(await db.value(STATE), s0, 'a rollback run again changes nothing');

  // and forwards again: run 2 straight over the empty target, then its rollback
  await db.exec(sql(out2, 'migration.sql'));
  await db.exec(sql(out2, 'verify.sql'));
  t.pass('run 2 applies and verifies over the target as it was before run 1');
  await db.exec(sql(out2, 'rollback.sql'));
  t.equal(await db.value(STATE), s0);
}

t.test('run 1, run 2 over it, verify, tamper, rollback 2, rollback 1 (PGlite)', async (t) => {
  const outs = await outputs(t);
  const pg = await PGlite.create();
  t.teardown(() => pg.close());
  const db: Db = {
    exec: async (sql) => void (await pg.exec(sql)),
    value: async (sql) => String(Object.values((await pg.query(sql)).rows[0] as object)[0] ?? ''),
    async failure(sql) {
      try {
        await pg.exec(sql);
        return null;
      } catch (e) {
        await pg.exec('ROLLBACK').catch(() => undefined);
        return (e as Error).message;
      }
    },
  };
  await scenario(t, db, outs);
});

t.test('the same on PostgreSQL 15 through psql', needsPg, async (t) => {
  const outs = await outputs(t);
  const db: Db = psqlDb(t, 'totalis_remigration');
  await scenario(t, db, outs);
});

t.test('a re-run says what changed since the previous output: stdout and report.md', async (t) => {
  const root = t.testdir({});
  const out = join(root, 'out');
  const [dump1, dump2] = writeDumps(root);
  let r = await cli(['transform', '--dump', dump1, '--out', out]);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /changes since the previous output: none to compare with \(a first run\)/);
  r = await cli(['transform', '--dump', dump2, '--out', out]);
  t.equal(r.code, 0, r.stderr);
  const expected = [
    'changes since the previous output:',
    '  coaches: 1 added, 2 changed, 1 removed',
    '  categories: 1 added, 2 changed, 1 removed',
    '  app_config: 1 added, 1 changed, 2 removed',
    '    + tls_coach#3 Sam',
    '    ~ tls_coach#1 Daniel (photo_url)',
    '    ~ tls_coach#2 Ana María (name, voice_id)',
    '    - tls_coach#4 Leo',
    '    + tls_category#6 Mind',
    '    ~ tls_category#3 Naps (parent_id, sort_order)',
    '    ~ tls_category#4 Food and drink (name)',
    '    - tls_category#5 Snacks',
    '    + var_theme',
    '    ~ prompt_welcome (value)',
    '    - prompt_summary',
    '    - var_min',
  ];
  t.match(
    r.stdout,
    expected.join('\n'),
    'the rename, the move, the new photo and the deletions, by legacy id and name',
  );
  const report = readFileSync(join(out, 'report.md'), 'utf8');
  t.match(
    report,
    /## Changes since the previous output[\s\S]*~ tls_category#3 Naps \(parent_id, sort_order\)[\s\S]*- var_min/,
  );
  // the same inputs again: nothing changed
  r = await cli(['transform', '--dump', dump2, '--out', out]);
  t.match(
    r.stdout,
    /coaches: 0 added, 0 changed, 0 removed\n {2}categories: 0 added, 0 changed, 0 removed\n {2}app_config: 0 added, 0 changed, 0 removed/,
  );
});

t.test(
  "images: stale is decided by what the target's rows reference; only objects of ours are removed; negative ids too",
  async (t) => {
    const { startFakeStorage } = await import('./helpers/fake-storage.js');
    const { pgliteTarget } = await import('../lib/db/target-db.js');
    const s = await startFakeStorage();
    t.teardown(() => s.close());
    const target = await pgliteTarget();
    t.teardown(() => target.close());
    await target.applySql(readFileSync('schemas/target.sql', 'utf8'), 'target.sql');
    const root = t.testdir({});
    const outs: string[] = [];
    for (const [i, dir] of writeDumps(root).entries()) {
      const out = join(root, `out${i + 1}`);
      t.equal((await cli(['transform', '--dump', dir, '--out', out, '--supabase-url', s.url])).code, 0);
      outs.push(out);
    }
    const [out1, out2] = outs as [string, string];
    const key = { SUPABASE_SERVICE_ROLE_KEY: s.key };
    const stale = (out: string, ...more: string[]) =>
      cli(['remove-images', '--out', out, '--supabase-url', s.url, '--stale', '--retry-base-ms', '1', ...more], key);
    const keys = (): string[] => [...s.objects.keys()].sort();
    const manifestKeys = (out: string): string[] =>
      (
        JSON.parse(readFileSync(join(out, 'images', 'manifest.json'), 'utf8')) as { bucket: string; path: string }[]
      ).map((m) => `${m.bucket}/${m.path}`);

    // run 1 pushed and applied
    t.equal((await cli(['push-images', '--out', out1, '--supabase-url', s.url, '--retry-base-ms', '1'], key)).code, 0);
    await target.applyFile(join(out1, 'migration.sql'), 'run 1 migration.sql');
    t.equal(keys().length, 2, "run 1's two coach photos");
    const r = await cli(['push-images', '--out', out2, '--supabase-url', s.url, '--retry-base-ms', '1'], key);
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /push-images: 1 uploaded, 1 already there/, "coach 1's new photo uploaded; coach 2's unchanged");
    t.match(
      r.stdout,
      /stale: 1 objects of ours in Storage that this manifest does not have \(an earlier run's images; e\.g\. coach-images\/1-[0-9a-f]{16}\.gif\): remove-images --stale --db URL removes those no row of the target references/,
    );
    const run1Photo = manifestKeys(out1).find((k) => !manifestKeys(out2).includes(k))!;

    // beside them: an object of ours with a negative legacy id (pushed with its sha256, as push-images does), another's
    // bytes at a path shaped like ours (no sha256 of ours), and another's object of another shape
    const template = s.objects.get(run1Photo)!;
    const negBytes = Buffer.from('a photo of legacy image -2147483648');
    const negSha = createHash('sha256').update(negBytes).digest('hex');
    const negative = `coach-images/-2147483648-${negSha.slice(0, 16)}.jpg`;
    s.objects.set(negative, {
      ...template,
      size: negBytes.length,
      sha256: negSha,
      md5: createHash('md5').update(negBytes).digest('hex'),
      metadata: { sha256: negSha },
      bytes: negBytes,
    });
    const otherBytes = Buffer.alloc(template.size, 7);
    const conflict = `coach-images/7-${'ab'.repeat(8)}.gif`;
    s.objects.set(conflict, {
      ...template,
      sha256: createHash('sha256').update(otherBytes).digest('hex'),
      md5: createHash('md5').update(otherBytes).digest('hex'),
      metadata: null,
      bytes: otherBytes,
    });
    s.objects.set('coach-images/someone-elses-photo.png', { ...template });
    const all = keys();

    // without the target's rows there is no authority: refused, nothing removed
    let d = await stale(out2);
    t.equal(d.code, 2);
    t.match(
      d.stderr,
      /remove-images --stale needs --db URL: what is stale is decided by what the target's rows reference/,
    );
    t.same(keys(), all, 'nothing removed');

    // run 2 pushed but not applied yet: run 1's photo is still what coach 1's row shows; it stays
    d = await stale(out2, '--db', target.connectionString);
    t.equal(d.code, 0, d.stderr);
    t.match(
      d.stdout,
      /remove-images --stale: 1 objects removed that this manifest does not have and no row references; left in place: 1 not ours, 1 still referenced by the target/,
    );
    t.match(
      d.stderr,
      new RegExp(`not removed ${run1Photo.replace('.', '\\.')}: a row of the target database still references it`),
    );
    t.match(
      d.stderr,
      new RegExp(
        `not removed ${conflict.replace('.', '\\.')}: not ours \\(no local file to compare its md5 eTag with, and no sha256 of ours in its metadata\\)`,
      ),
    );
    t.same(
      keys(),
      all.filter((k) => k !== negative),
      'only the unreferenced object of ours with a negative id is removed',
    );

    // run 2 applied. Pointed at the wrong out/ (run 1's), run 2's photo, which coach 1's row now shows, stays
    await target.applyFile(join(out2, 'migration.sql'), 'run 2 migration.sql');
    const run2Photo = manifestKeys(out2).find((k) => !manifestKeys(out1).includes(k))!;
    d = await stale(out1, '--db', target.connectionString);
    t.equal(d.code, 0, d.stderr);
    t.match(
      d.stdout,
      /remove-images --stale: 0 objects removed .*left in place: 1 not ours, 1 still referenced by the target/,
    );
    t.match(
      d.stderr,
      new RegExp(`not removed ${run2Photo.replace('.', '\\.')}: a row of the target database still references it`),
    );
    // run 1's photo: no live row names it, but rollback.sql of run 2 would put it back; it stays while that can happen
    d = await stale(out2, '--db', target.connectionString);
    t.equal(d.code, 0, d.stderr);
    t.match(
      d.stderr,
      new RegExp(
        `not removed ${run1Photo.replace('.', '\\.')}: a rollback would put it back \\(the ledger's before-images reference it\\)`,
      ),
    );
    t.same(
      keys(),
      all.filter((k) => k !== negative),
      'nothing more removed',
    );

    // run 2 rolled back: its new photo is named by nothing now, and is removed; run 1's objects stay
    await target.applyFile(join(out2, 'rollback.sql'), 'run 2 rollback.sql');
    d = await stale(out1, '--db', target.connectionString);
    t.equal(d.code, 0, d.stderr);
    t.match(
      d.stdout,
      /remove-images --stale: 1 objects removed that this manifest does not have and no row references; left in place: 1 not ours, 0 still referenced/,
    );
    t.same(
      keys(),
      [...manifestKeys(out1), conflict, 'coach-images/someone-elses-photo.png'].sort(),
      "run 2's photo is gone; run 1's objects and the objects not ours stay",
    );
  },
);

t.test(
  '--keep-removed with --target-db: the ledger decides which rows are kept (as migration.sql), not the previous out/',
  async (t) => {
    const { pgliteTarget } = await import('../lib/db/target-db.js');
    const target = await pgliteTarget();
    t.teardown(() => target.close());
    // the real target's tables (tests/fixtures/real-target/head), as transform --target-db is meant for
    for (const f of ['schema.sql', 'data.sql'])
      await target.applySql(readFileSync(join('tests/fixtures/real-target/head', f), 'utf8') + '\nRESET ALL;', f);
    await target.applySql(readFileSync('schemas/target.sql', 'utf8'), 'target.sql');
    const root = t.testdir({});
    const [dump1, dump2] = writeDumps(root);
    const db = ['--target-db', target.connectionString];
    const r1 = await cli(['transform', '--dump', dump1, '--out', join(root, 'out1'), ...db]);
    t.equal(r1.code, 0, r1.stderr);
    await target.applyFile(join(root, 'out1', 'migration.sql'), 'run 1 migration.sql');
    // run 2 into a fresh out/: the previous output is lost, the target still knows what the migration wrote
    const out = join(root, 'out2');
    const r = await cli(['transform', '--dump', dump2, '--out', out, '--keep-removed', ...db]);
    t.equal(r.code, 0, r.stderr);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const row of ['tls_coach#4 Leo', 'tls_category#5 Snacks', 'prompt_summary', 'var_min'])
      t.match(
        report,
        new RegExp(
          `\`row\\.removed\\.kept\` \\| ${row} \\| its legacy source is gone from the dump; --keep-removed leaves it in`,
        ),
        row,
      );
    t.match(report, /removed rows decided by: the target's ledger/, 'the report names the authority');
    // without a target: the previous out/ decides, and the report says so
    const r2 = await cli(['transform', '--dump', dump2, '--out', join(root, 'out1'), '--keep-removed']);
    t.equal(r2.code, 0, r2.stderr);
    t.match(
      readFileSync(join(root, 'out1', 'report.md'), 'utf8'),
      /removed rows decided by: the previous out\/ on disk/,
    );
  },
);

t.test(
  '--keep-removed: rows whose source is gone stay, each a warning; verify passes; rollback still restores (PGlite)',
  async (t) => {
    const root = t.testdir({});
    const out = join(root, 'out');
    const [dump1, dump2] = writeDumps(root);
    const pg = await PGlite.create();
    t.teardown(() => pg.close());
    const state = async (): Promise<string> => String(Object.values((await pg.query(STATE)).rows[0] as object)[0]);
    await pg.exec(readFileSync('schemas/target.sql', 'utf8'));
    const s0 = await state();
    t.equal((await cli(['transform', '--dump', dump1, '--out', out])).code, 0);
    await pg.exec(readFileSync(join(out, 'migration.sql'), 'utf8'));
    const s1 = await state();
    const rollback1 = readFileSync(join(out, 'rollback.sql'), 'utf8');
    const r = await cli(['transform', '--dump', dump2, '--out', out, '--keep-removed']);
    t.equal(r.code, 0, r.stderr);
    t.match(
      r.stdout,
      /findings: 0 errors, 4 warnings/,
      'one warning per row kept: a coach, a category, a prompt, a variable',
    );
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const row of ['tls_coach#4 Leo', 'tls_category#5 Snacks', 'prompt_summary', 'var_min'])
      t.match(
        report,
        new RegExp(
          `\`row\\.removed\\.kept\` \\| ${row} \\| its legacy source is gone from the dump; --keep-removed leaves it in`,
        ),
        row,
      );
    await pg.exec(readFileSync(join(out, 'migration.sql'), 'utf8'));
    const s2 = await state();
    t.match(s2, /"key":"prompt_summary"/, 'the deleted prompt stays');
    t.match(s2, /"name":"Snacks"/, 'so does the deleted leaf category');
    await pg.exec(readFileSync(join(out, 'verify.sql'), 'utf8'));
    t.pass('verify.sql passes, noting what was kept');
    await pg.exec(readFileSync(join(out, 'rollback.sql'), 'utf8'));
    t.equal(await state(), s1, 'rollback: the state after run 1');
    await pg.exec(rollback1);
    t.equal(await state(), s0, 'and run 1 rolled back: as before it');
  },
);

t.test('verify --db after a --keep-removed run: the kept rows are noted, not differences', async (t) => {
  const root = t.testdir({});
  const out = join(root, 'out');
  const [dump1, dump2] = writeDumps(root);
  const { db, url } = await servedFixture(t, 'fresh');
  t.equal((await cli(['transform', '--dump', dump1, '--out', out])).code, 0);
  await db.exec(readFileSync(join(out, 'migration.sql'), 'utf8'));
  t.equal((await cli(['transform', '--dump', dump2, '--out', out, '--keep-removed'])).code, 0);
  await db.exec(readFileSync(join(out, 'migration.sql'), 'utf8'));
  const r = await cli(['verify', '--db', url, '--out', out]);
  t.equal(r.code, 0, `verify --db passes, as verify.sql does: ${r.stdout}`);
  t.match(r.stdout, /coaches: 4 rows read; 0 missing, 0 unexpected, 0 values differ; 1 kept by --keep-removed/);
  t.match(r.stdout, /app_config: 7 rows read; 0 missing, 0 unexpected, 0 values differ; 2 kept by --keep-removed/);
  // Leo (legacy id 4), Snacks (legacy id 5), and two config keys: the four row.removed.kept warnings of transform
  for (const row of ['id \\S+ \\(legacy id 4\\)', 'id \\S+ \\(legacy id 5\\)', 'key prompt_summary', 'key var_min'])
    t.match(r.stdout, new RegExp(`  = ${row} kept by --keep-removed`), `${row}: named as kept`);
  // without the option, the same rows left behind by a run are differences
  t.equal((await cli(['transform', '--dump', dump2, '--out', out])).code, 0);
  const again = await cli(['verify', '--db', url, '--out', out]);
  t.equal(again.code, 1, 'an output made without --keep-removed: the rows it would remove are unexpected');
  t.match(again.stdout, /\+ id \S+ \(legacy id 4\) not in out\/data, and the ledger says the migration wrote it/);
  // an output made with --keep-removed on a target without the ledger: nothing says the run kept those rows, so
  // every row not in out/data is unexpected, as ever
  t.equal((await cli(['transform', '--dump', dump2, '--out', out, '--keep-removed'])).code, 0);
  await db.exec('DROP SCHEMA totalis_migrate CASCADE');
  const noLedger = await cli(['verify', '--db', url, '--out', out]);
  t.equal(noLedger.code, 1, 'without the ledger the rows are not called kept');
  t.match(noLedger.stdout, /\+ id \S+ \(legacy id 4\) not in out\/data\n/);
  t.notMatch(noLedger.stdout, /kept by --keep-removed/);
});

t.test('rehearse a re-run: the previous output first, then this one, then both rollbacks (PGlite)', async (t) => {
  const root = t.testdir({});
  const [dump1, dump2] = writeDumps(root);
  t.equal((await cli(['transform', '--dump', dump1, '--out', join(root, 'out1')])).code, 0);
  const r = await cli(['rehearse', '--dump', dump2, '--previous', join(root, 'out1'), '--out', join(root, 'out2')]);
  t.equal(r.code, 0, r.stderr + r.stdout);
  const steps = r.stdout
    .trim()
    .split('\n')
    .map((l) => l.slice(0, 48).trim());
  t.same(steps.slice(3, 6), [
    'pass  schemas/target.sql',
    'pass  the previous run: its migration.sql',
    'pass  migration.sql',
  ]);
  t.same(steps.slice(-5), [
    'pass  rollback.sql',
    'pass  the target is as after the previous run',
    'pass  the previous run: its rollback.sql',
    'pass  the target is empty again',
    'rehearse: all 15 steps passed',
  ]);
  const help = await cli(['rehearse', '--help']);
  t.match(
    help.stdout,
    /--out\s+the rehearsal.s own output folder[^[]*\[string\] \[default: "rehearsal"\]/,
    'rehearse writes to a folder of its own by default, not ./out',
  );
});
