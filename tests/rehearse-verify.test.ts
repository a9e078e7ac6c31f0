// rehearse (the whole migration on a laptop) and verify (reconciliation), on PGlite always and on a real
// server when DATABASE_URL is set; inspect --check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { serverTarget } from '../lib/db/server-target.js';
import { pgliteTarget, type TargetDb } from '../lib/db/target-db.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { jsonbTextEqual as jsonEqual } from '../lib/sql/compare.js';
import {
  canonicalDecimal,
  formatDifferences,
  reconcile,
  timestamptzMicros,
  type ReconcileResult,
} from '../lib/verify/reconcile.js';
import { parseExactJson } from '../lib/transform/exact-json.js';
import { cli } from './helpers/cli.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';

t.test('rehearse passes on the samples with no server, even when DATABASE_URL is set', async (t) => {
  const out = join(t.testdir({}), 'out');
  const r = await cli(['rehearse', '--dump', 'samples', '--out', out], {
    DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
  });
  t.equal(r.code, 0, r.stderr);
  const steps = r.stdout.trim().split('\n');
  t.same(
    steps.slice(0, -1).map((l) => l.slice(0, 48).trim()),
    [
      'pass  transform',
      'pass  open the target',
      'pass  Supabase roles and default privileges',
      'pass  schemas/target.sql',
      'pass  migration.sql',
      'pass  migration.sql again (must change nothing)',
      'pass  verify.sql',
      'pass  access as anon',
      'pass  access as authenticated',
      'pass  reconcile with out/data',
      'pass  rollback.sql',
      'pass  the target is empty again',
    ],
  );
  t.match(steps[1], /embedded PostgreSQL \(PGlite\)/);
  t.match(steps[0], /\d+ ms/, 'each step is timed');
  t.match(
    steps[7],
    /access as anon .*reads coaches 6, categories 10, app_config 3 .*every insert, update and delete refused/,
  );
  t.equal(steps.at(-1), 'rehearse: all 12 steps passed');
});

t.test('rehearse on a real server, in a scratch database it drops', needsPg, async (t) => {
  const out = join(t.testdir({}), 'out');
  const r = await cli(['rehearse', '--dump', 'samples', '--out', out, '--db', DATABASE_URL!], {});
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /pass {2}open the target .* \(a scratch database, dropped afterwards; files applied with psql\)/);
  t.notMatch(r.stdout, /totalis_test:totalis_test@/, 'the password is not printed');
  t.match(r.stdout, /pass {2}access as authenticated/);
  t.match(r.stdout, /rehearse: all 12 steps passed/);
});

t.test('rehearse fails, and says where, when a step fails', async (t) => {
  const dir = t.testdir({});
  // nothing listens on port 1: the step that opens the target fails, and nothing after it runs
  const r = await cli(
    ['rehearse', '--dump', 'samples', '--out', join(dir, 'out'), '--db', 'postgresql://nobody@127.0.0.1:1/x'],
    {},
  );
  t.equal(r.code, 1);
  t.match(r.stdout, /^pass {2}transform .*\nFAIL {2}open the target/);
  t.match(r.stdout, /rehearse: FAILED at "open the target"/);
  t.match(
    r.stderr,
    /rehearse: open the target: cannot create the scratch database totalis_rehearse_[0-9a-f]{16} on postgresql:\/\/nobody@127\.0\.0\.1:1\/x: connect ECONNREFUSED/,
  );
  t.notMatch(r.stdout, /migration\.sql/, 'it stops at the first failure');
});

t.test('data jsonb would refuse no longer breaks the migration: rehearse passes, with a warning', async (t) => {
  const dir = t.testdir({ dump: {} });
  writeMiniDump(join(dir, 'dump'), {
    tls_variable: [
      { id: 1, name: 'v', value: '1' },
      { id: 2, name: 'bad', value: '{"x": "\\u0000"}' },
    ],
  });
  const r = await cli(['rehearse', '--dump', join(dir, 'dump'), '--out', join(dir, 'out')], {});
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /rehearse: all \d+ steps passed/);
  t.match(readFileSync(join(dir, 'out', 'report.md'), 'utf8'), /config\.value\.jsonb/);
});

async function tamperAndReconcile(t: Test, open: () => Promise<TargetDb>): Promise<void> {
  const out = join(t.testdir({}), 'out');
  await runTransform({ dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const db = await open();
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.applyFile(join(out, 'migration.sql'), 'migration.sql');
  let r = await reconcile(db.connectionString, out);
  t.same(r.differences, [], 'a fresh migration matches');
  t.same(r.compared, { coaches: 6, categories: 10, app_config: 16 });
  await db.scalar(`UPDATE public.coaches SET intro = intro || ' ' WHERE legacy_id = 1`);
  await db.scalar(
    `UPDATE public.categories SET created_at = created_at + interval '1 microsecond' WHERE legacy_id = 3`,
  );
  await db.scalar(`UPDATE public.app_config SET value = '12345678901234567890124' WHERE key = 'var_big_int'`);
  await db.scalar(`DELETE FROM public.app_config WHERE key = 'system_version'`);
  // a row the ledger says the migration wrote (a run left it behind), and rows the app made
  await db.scalar(`INSERT INTO public.coaches (legacy_id, name) VALUES (777, 'Left behind')`);
  await db.scalar(
    `INSERT INTO totalis_migrate.owned (tbl, key) SELECT 'coaches', id::text FROM public.coaches WHERE legacy_id = 777`,
  );
  await db.scalar(`INSERT INTO public.coaches (legacy_id, name) VALUES (900, 'Made in the app')`);
  await db.scalar(`INSERT INTO public.app_config (key, value) VALUES ('feature_flag', '"on"')`);
  r = await reconcile(db.connectionString, out);
  const d = (x: ReconcileResult): string[] =>
    x.differences
      .map(
        (y) =>
          `${y.table} ${y.kind} ${y.row.replace(/[0-9a-f-]{36}/, 'UUID')}${y.column !== undefined ? ` ${y.column}` : ''}`,
      )
      .sort();
  t.same(d(r), [
    'app_config differs key var_big_int value',
    'app_config missing key system_version',
    'categories differs id UUID (legacy id 3) created_at',
    'coaches differs id UUID (legacy id 1) intro',
    'coaches unexpected id UUID (legacy id 777)',
  ]);
  t.ok(r.ledger);
  t.same(
    {
      coaches: r.others['coaches']!.count,
      categories: r.others['categories']!.count,
      app_config: r.others['app_config']!.count,
    },
    { coaches: 1, categories: 0, app_config: 1 },
    "the app's rows are counted apart, not as differences",
  );
  t.match(r.others['coaches']!.first, [/^id [0-9a-f-]{36} \(legacy id 900\)$/]);
  t.same(r.others['app_config']!.first, ['key feature_flag']);
  const text = formatDifferences(r);
  t.match(text, /coaches: 8 rows read; 0 missing, 1 unexpected, 1 values differ; 1 not the migration's \(left alone\)/);
  t.match(text, /\+ id [0-9a-f-]{36} \(legacy id 777\) not in out\/data, and the ledger says the migration wrote it/);
  t.match(text, /· key feature_flag not the migration's: the ledger does not list it/);
  const big = r.differences.find((x) => x.row === 'key var_big_int')!;
  t.equal(big.expected, '"12345678901234567890123"', 'numbers compared by their exact digits, never through floats');
  t.equal(big.found, '"12345678901234567890124"');
  // without the ledger nothing tells the app's rows from the migration's: every extra row is unexpected
  await db.scalar('DROP SCHEMA totalis_migrate CASCADE');
  r = await reconcile(db.connectionString, out);
  t.notOk(r.ledger);
  t.same(
    d(r).filter((x) => x.includes('unexpected')),
    [
      'app_config unexpected key feature_flag',
      'coaches unexpected id UUID (legacy id 777)',
      'coaches unexpected id UUID (legacy id 900)',
    ],
  );
  t.match(
    formatDifferences(r),
    /no ledger \(totalis_migrate\.owned\) on this target: every row not in out\/data counts as unexpected/,
  );
}

t.test(
  "verify finds a changed value, a missing row and a row left behind, and tells the app's rows apart: PGlite",
  async (t) => tamperAndReconcile(t, pgliteTarget),
);
t.test(
  "verify finds a changed value, a missing row and a row left behind, and tells the app's rows apart: a real server",
  needsPg,
  async (t) => tamperAndReconcile(t, () => serverTarget(DATABASE_URL!, 'totalis_verify_test')),
);

t.test('the verify command', needsPg, async (t) => {
  const out = join(t.testdir({}), 'out');
  await runTransform({ dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const db = await serverTarget(DATABASE_URL!, 'totalis_verify_cmd');
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.applyFile(join(out, 'migration.sql'), 'migration.sql');
  let r = await cli(['verify', '--out', out, '--db', db.connectionString]);
  t.equal(r.code, 0, r.stderr);
  t.match(
    r.stdout,
    /coaches: 6 rows read; 0 missing, 0 unexpected, 0 values differ\n.*\nverify: the target matches out\/data\n$/s,
  );
  await db.scalar(`UPDATE public.coaches SET name = 'Danny' WHERE legacy_id = 1`);
  r = await cli(['verify', '--out', out, '--db', db.connectionString]);
  t.equal(r.code, 1);
  t.match(r.stdout, /~ id [0-9a-f-]{36} \(legacy id 1\) name: expected "Daniel", found "Danny"/);
  r = await cli(['verify', '--out', out], {});
  t.equal(r.code, 2);
  t.match(r.stderr, /name the target with --db URL \(or set DATABASE_URL\)/);
});

t.test('comparison helpers', async (t) => {
  t.equal(timestamptzMicros('1970-01-01 00:00:01.5+00:00'), '1500000');
  t.equal(
    timestamptzMicros('2023-03-14 09:26:53.589793+01:00'),
    String(Date.UTC(2023, 2, 14, 8, 26, 53) * 1000 + 589793),
  );
  t.equal(timestamptzMicros('1900-01-01 00:00:00-00:36:45'), String(Date.UTC(1900, 0, 1, 0, 36, 45) * 1000));
  t.equal(canonicalDecimal('1.50'), canonicalDecimal('15e-1'));
  t.equal(canonicalDecimal('0.000'), '0');
  t.not(canonicalDecimal('12345678901234567890123'), canonicalDecimal('12345678901234567890124'));
  // jsonb as its text (lib/sql/compare.ts, the rule verify.sql follows too): key order does not count, a number's scale
  // does
  t.ok(
    jsonEqual(
      parseExactJson('{"a": [1.0, {"b": null}], "c": "x"}')!,
      parseExactJson('{"c":"x","a":[10e-1,{"b":null}]}')!,
    ),
  );
  t.notOk(jsonEqual(parseExactJson('[1.0]')!, parseExactJson('[1]')!));
  t.notOk(jsonEqual(parseExactJson('[1, 2]')!, parseExactJson('[2, 1]')!));
  t.notOk(jsonEqual(parseExactJson('{"a": 1}')!, parseExactJson('{"a": 1, "b": 2}')!));
});

t.test('inspect --check', async (t) => {
  const r = await cli(['inspect', 'samples', '--check']);
  t.equal(r.code, 0);
  t.match(
    r.stdout,
    /checks on the data:\n {2}rows per legacy table +tls_coach 6, tls_category 10, tls_prompt 5, tls_variable 8, tls_system 4, tls_image 14\n {2}a coach named Daniel +yes \(#1\)\n {2}categories per hierarchy level +level 0: 3, level 1: 3, level 2: 3, level 3: 1\n {2}broken parent references +none\n {2}cycles +none\n {2}sort_order among siblings +1 sibling groups with gaps, 1 with duplicates\n {2}duplicate config names +tls_prompt "summary" ×2\n {2}images referenced but missing +tls_coach#6\.image_id → 99/,
  );
  const dir = t.testdir({});
  writeMiniDump(dir, {
    tls_coach: [{ id: 2, name: 'Ana' }],
    tls_category: [
      { id: 1, parent_id: 2 },
      { id: 2, parent_id: 1 },
      { id: 3, parent_id: 40 },
      { id: 4, parent_id: null },
    ],
    tls_variable: [
      { id: 1, name: 'x', value: '1' },
      { id: 2, name: 'x', value: '2' },
    ],
  });
  const j = await cli(['inspect', dir, '--check', '--json']);
  const checks = (JSON.parse(j.stdout) as { checks: Record<string, string> }).checks;
  t.equal(checks['a coach named Daniel'], 'none');
  t.equal(checks['broken parent references'], '#3 → 40');
  t.equal(checks['cycles'], '#1 → #2');
  t.equal(checks['categories per hierarchy level'], 'level 0: 2');
  t.equal(checks['duplicate config names'], 'tls_variable "x" ×2');
});
