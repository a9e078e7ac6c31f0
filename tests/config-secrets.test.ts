// Secrets in app_config (issue 29, item 3): a value that looks like a credential, by its key's name or by
// the value itself, is named in a warning and kept out of every file of out/ meant for review; secrets.sql
// (ignored by git through out/.gitignore) sets it, and verify.sql checks it by hash. Other values: unchanged.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import t from 'tap';
import { pgliteTarget } from '../lib/db/target-db.js';
import { MigrateError } from '../lib/errors.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { reconcile } from '../lib/verify/reconcile.js';
import { reconcileTarget } from '../lib/verify/reconcile-target.js';
import { cli } from './helpers/cli.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { servedFixture, SHAPES } from './helpers/real-target.js';

/** The corpus's secrets: key → value, each found for the reason given. */
const SECRETS: Record<string, [string, RegExp]> = {
  var_api_key: ['sk-live-4f9a8b7c6d5e4f3a2b1c0d9e', /by its name \("key"\)/],
  system_smtp_password: ['hunter2', /by its name \("password"\)/],
  var_clientSecret: ['not-so-random-but-named', /by its name \("secret"\)/],
  var_public_token: ['tok-abc-123', /by its name \("token"\).*it is public \(is_public\): the anon key reads it/],
  var_payments: ['sk_live_51HxQ2pLkR8vT', /by its value \(a secret API key prefix/],
  system_github: ['ghp_0123456789abcdefABCDEF0123456789abcd', /by its value \(a GitHub token prefix\)/],
  var_analytics_db: ['postgres://app:Tr0ub4dor-3@db.example:5432/app', /by its value \(a URL with a password\)/],
  var_opaque_setting: [
    'Zx9qL2mN8vB4cX7kJ3hG6fD1sA5pQ0wE',
    /by its value \(a long random-looking token: high entropy\)/,
  ],
  system_signing: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', /high entropy/],
};
/** Values that are not secrets: they stay as they are. */
const PLAIN: Record<string, string> = {
  var_welcome_text: 'Hello friend, welcome back',
  var_keyboard_layout: 'qwerty',
  var_homepage: 'https://totalis.example/start?utm=app',
  var_session_namespace: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  system_version: '2.7.1',
  var_mode: 'ThisIsALongCamelCaseWordWithoutDigits',
};

function corpus(dir: string): string {
  const rows = (prefix: string): [string, string][] =>
    [...Object.entries(SECRETS).map(([k, [v]]) => [k, v] as [string, string]), ...Object.entries(PLAIN)].filter(([k]) =>
      k.startsWith(prefix),
    );
  return writeMiniDump(dir, {
    tls_variable: [
      ...rows('var_').map(([k, v], i) => ({ id: i + 1, name: k.slice(4), value: v, user: k === 'var_public_token' })),
      { id: 90, name: 'max_tokens', value: '4096', user: false },
    ],
    tls_system: rows('system_').map(([k, v], i) => ({ id: i + 1, name: k.slice(7), value: v })),
    // a prompt about passwords is text for the model, not a credential
    tls_prompt: [{ id: 1, name: 'password_reset', prompt: 'Help the user reset their password, kindly.' }],
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)],
  );
}

t.test('secrets are found, named without their value, and appear in no reviewable file of out/', async (t) => {
  const root = t.testdir({ dump: {} });
  const out = join(root, 'out');
  const r = await cli(['transform', '--dump', corpus(join(root, 'dump')), '--out', out]);
  t.equal(r.code, 0, r.stderr);
  const report = readFileSync(join(out, 'report.md'), 'utf8');
  for (const [key, [, why]] of Object.entries(SECRETS)) {
    const line = report.split('\n').find((l) => l.includes('config.value.secret') && l.includes(`app_config ${key} `));
    t.ok(line, `${key}: a warning names it`);
    t.match(line, why, `${key}: and says why`);
  }
  t.equal(
    report.split('\n').filter((l) => l.includes('config.value.secret')).length,
    Object.keys(SECRETS).length,
    'nothing else is taken for a secret',
  );
  const reviewable = filesUnder(out).filter((f) => !f.endsWith('secrets.sql'));
  t.ok(
    reviewable.some((f) => f.endsWith('migration.sql')) &&
      reviewable.some((f) => f.endsWith('review.html')) &&
      reviewable.some((f) => f.endsWith('app_config.json')),
  );
  for (const [key, [value]] of Object.entries(SECRETS)) {
    t.notOk(r.stdout.includes(value) || r.stderr.includes(value), `${key}: not in the command's output`);
    for (const f of reviewable) t.notOk(readFileSync(f, 'utf8').includes(value), `${key}: not in ${relative(out, f)}`);
  }
  const secretsSql = readFileSync(join(out, 'secrets.sql'), 'utf8');
  for (const [key, [value]] of Object.entries(SECRETS))
    t.ok(secretsSql.includes(`'${value}'`) && secretsSql.includes(`'${key}'`), `${key}: secrets.sql sets it`);
  const config = JSON.parse(readFileSync(join(out, 'data/app_config.json'), 'utf8')) as {
    key: string;
    value: unknown;
  }[];
  const value = (k: string): unknown => config.find((c) => c.key === k)?.value;
  t.match(
    value('var_api_key'),
    /^\[secret: set by secrets\.sql; sha256 [0-9a-f]{64}\]$/,
    'data/ references it by hash',
  );
  for (const [key, v] of Object.entries(PLAIN)) t.equal(value(key), v, `${key}: not a secret, unchanged`);
  t.equal(value('var_max_tokens'), 4096);
  t.equal(value('prompt_password_reset'), 'Help the user reset their password, kindly.');
  t.match(
    readFileSync(join(out, 'review.html'), 'utf8'),
    /\[secret: set by secrets\.sql; sha256 [0-9a-f]{64}\]/,
    'the review page shows the mask',
  );
  // git itself: out/.gitignore keeps secrets.sql out, and only it
  execFileSync('git', ['init', '-q', out]);
  const status = execFileSync('git', ['-C', out, 'status', '--porcelain', '--ignored', '--untracked-files=all'], {
    encoding: 'utf8',
  });
  t.match(status, /^!! secrets\.sql$/m, 'git ignores secrets.sql');
  t.equal(status.split('\n').filter((l) => l.startsWith('!!')).length, 1, 'and nothing else');
  t.match(status, /^\?\? migration\.sql$/m);
});

t.test(
  'the secrets are applied as their own step: verify checks them by hash, rehearse and reconcile pass',
  async (t) => {
    const root = t.testdir({ dump: {} });
    const out = join(root, 'out');
    await runTransform({
      dump: [corpus(join(root, 'dump'))],
      out,
      sourceTimezone: 'UTC',
      strict: false,
      breakCycles: false,
      env: {},
    });
    const db = await pgliteTarget();
    t.teardown(() => db.close());
    await db.applyFile('schemas/target.sql', 'schemas/target.sql');
    await db.applyFile(join(out, 'migration.sql'), 'migration.sql');
    const refused = await db.applyFile(join(out, 'verify.sql'), 'verify.sql').then(
      () => null,
      (e: unknown) => (e instanceof MigrateError ? e.message : String(e)),
    );
    t.match(
      refused,
      /verify: app_config secrets differ: .*var_api_key \(still the placeholder: apply secrets\.sql\)/,
      'verify fails until secrets.sql is applied',
    );
    await db.applyFile(join(out, 'secrets.sql'), 'secrets.sql');
    await db.applyFile(join(out, 'secrets.sql'), 'secrets.sql (again)');
    await db.applyFile(join(out, 'verify.sql'), 'verify.sql');
    t.equal(
      await db.scalar("SELECT value #>> '{}' FROM public.app_config WHERE key = 'system_smtp_password'"),
      'hunter2',
      'the real value is in the target',
    );
    t.same((await reconcile(db.connectionString, out)).differences, [], 'reconcile matches the secrets by hash');
    await db.scalar(
      "UPDATE public.app_config SET value = to_jsonb('hunter3'::text) WHERE key = 'system_smtp_password'",
    );
    const changed = await db.applyFile(join(out, 'verify.sql'), 'verify.sql').then(
      () => null,
      (e: unknown) => (e instanceof MigrateError ? e.message : String(e)),
    );
    t.match(changed, /system_smtp_password \(a value other than the one secrets\.sql sets\)/);
    t.notMatch(changed, /hunter/, 'verify never shows a secret');
    const diff = await reconcile(db.connectionString, out);
    t.match(
      JSON.stringify(diff.differences),
      /system_smtp_password.*a value of another sha256 \(not shown: a secret\)/,
    );
    t.notMatch(JSON.stringify(diff.differences), /hunter/, 'reconcile never shows a secret');

    const re = await cli(['rehearse', '--dump', join(root, 'dump'), '--out', join(root, 'rehearsed')]);
    t.equal(re.code, 0, re.stdout + re.stderr);
    t.match(re.stdout, /pass {2}secrets\.sql .*\npass {2}verify\.sql/);
  },
);

t.test('without secrets nothing changes: no secrets.sql, no .gitignore', async (t) => {
  const out = join(t.testdir({}), 'out');
  await runTransform({ dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  t.same(readdirSync(out).sort(), [
    '.totalis-migrate-output',
    'data',
    'images',
    'migration.sql',
    'report.md',
    'review.html',
    'rollback.sql',
    'verify.sql',
  ]);
});

t.test(
  "a real target: out/target-rows.json holds each secret's placeholder, never its value, and reconcile compares by hash",
  async (t) => {
    const root = t.testdir({ dump: {} });
    const out = join(root, 'out');
    const s = SHAPES[0];
    const { db, url } = await servedFixture(t, s);
    const r = await cli(['transform', '--dump', corpus(join(root, 'dump')), '--out', out, '--target-db', url]);
    t.equal(r.code, 0, r.stderr);
    const reviewable = filesUnder(out).filter((f) => !f.endsWith('secrets.sql'));
    t.ok(
      reviewable.some((f) => f.endsWith('target-rows.json')),
      'the bound rows are written (out/target-rows.json)',
    );
    for (const [key, [value]] of Object.entries(SECRETS))
      for (const f of reviewable)
        t.notOk(readFileSync(f, 'utf8').includes(value), `${key}: not in ${relative(out, f)}`);
    const bound = readFileSync(join(out, 'target-rows.json'), 'utf8');
    t.match(
      bound,
      /"key": "var_api_key",[\s\S]*?"value": "\[secret: set by secrets\.sql; sha256 [0-9a-f]{64}\]"/,
      'out/target-rows.json references a secret by its hash',
    );
    for (const f of ['schemas/target.sql', join(out, 'migration.sql')]) await db.exec(readFileSync(f, 'utf8'), f);
    const before = await cli(['verify', '--db', url, '--out', out]);
    t.match(
      before.stdout,
      /verify: out\/verify.sql failed: verify: app_config: rows differ from what migration.sql wrote: .*var_api_key \(value\)/,
      'verify.sql fails while a secret is still its placeholder (secrets.sql not applied)',
    );
    await db.exec(readFileSync(join(out, 'secrets.sql'), 'utf8'), 'secrets.sql');
    const ok = await cli(['verify', '--db', url, '--out', out]);
    t.equal(
      ok.code,
      0,
      `verify --db passes once secrets.sql is applied: verify.sql and reconcile compare by hash ${ok.stdout}`,
    );
    t.same(
      (await reconcileTarget(url, out)).differences,
      [],
      'reconcile matches the secrets set by secrets.sql by hash',
    );
    await db.exec("UPDATE public.app_config SET value = to_jsonb('hunter3'::text) WHERE key = 'system_smtp_password'");
    const bad = await cli(['verify', '--db', url, '--out', out]);
    t.equal(bad.code, 1, 'a secret changed by hand fails verify --db');
    t.match(bad.stdout, /verify: out\/verify.sql failed: .*system_smtp_password \(value\)/, '... in verify.sql');
    t.match(
      bad.stdout,
      /~ key system_smtp_password \(.*\) value: expected .*, found a value of another sha256 \(not shown: a secret\)/,
      '... and in the reconciliation',
    );
    t.notMatch(bad.stdout + bad.stderr, /hunter/, 'verify never shows a secret');
  },
);
