// Interrupted runs lose nothing: a transform killed at any moment leaves the previous out/ intact; a
// push-images killed halfway resumes without duplicates; a migration.sql that fails leaves the target as it
// was (one transaction). The killed processes are the real command (bin/ → dist/, built by make test).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { generateImageHeavy } from '../bench/generate.js';
import { serverTarget } from '../lib/db/server-target.js';
import { pgliteTarget, type TargetDb } from '../lib/db/target-db.js';
import { OutDir } from '../lib/output/out-dir.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { childEnv, cli } from './helpers/cli.js';
import { startFakeStorage } from './helpers/fake-storage.js';
import { readTree, sameOutput } from './helpers/files.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';

const same = sameOutput;

/**
 * Runs the real command and kills it (SIGKILL) at a stage, not at a time: the test watches the file system
 * and freezes the run (SIGSTOP) as soon as `reached()` holds, then kills it. Whether the run was caught
 * before it finished is known (not guessed from a clock); one that finished first is reported as such.
 */
function runAndKillAt(
  args: string[],
  reached: () => boolean,
  env: Record<string, string> = {},
): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/totalis-migrate.js', ...args], { env: childEnv(env), stdio: 'ignore' });
    let exited = false;
    child.on('exit', (code) => {
      exited = true;
      resolve({ killed: code === null, code });
    });
    const watch = (): void => {
      if (exited) return;
      if (!reached()) return void setImmediate(watch);
      child.kill('SIGSTOP');
      child.kill('SIGKILL');
    };
    watch();
  });
}

t.test('a transform killed at any stage leaves the previous out/ intact', async (t) => {
  const root = t.testdir({});
  const dump = join(root, 'dump');
  generateImageHeavy(dump, 40e6, 3);
  const out = join(root, 'out');
  await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const previous = readTree(out);
  // what the interrupted command writes when it gets to the end
  const otherOut = join(root, 'other');
  await runTransform({
    dump: [dump],
    out: otherOut,
    supabaseUrl: 'https://other.example',
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
  });
  const complete = readTree(otherOut);
  const partial = `${out}.partial`;
  const imagesIn = (d: string): number => (existsSync(d) ? readdirSync(d).length : 0);
  const stages: [string, () => boolean, boolean][] = [
    // [stage, reached, must be caught (a long window); the short windows are reported only]
    ['the lock taken', () => existsSync(`${out}.lock`), true],
    ['the partial output begun', () => existsSync(join(partial, '.totalis-migrate-output')), true],
    ['images being written', () => imagesIn(join(partial, 'images', 'coach-images')) > 0, true],
    ['migration.sql written', () => existsSync(join(partial, 'migration.sql')), false],
    ['the previous output set aside', () => existsSync(`${out}.previous`), false],
  ];
  for (const [stage, reached, required] of stages) {
    let caught = false;
    for (let attempt = 0; attempt < 10 && !caught; attempt++) {
      // a different option, so that a run that got to the end would change out/
      const r = await runAndKillAt(
        ['transform', '--dump', dump, '--out', out, '--supabase-url', 'https://other.example'],
        reached,
      );
      // killed between the two renames of the swap, out/ is aside as out.previous/ until the next run puts it back
      const now = existsSync(out) ? readTree(out) : readTree(`${out}.previous`);
      if (!r.killed) {
        t.equal(r.code, 0, `${stage}: not caught, it finished`);
        t.ok(same(now, complete), `${stage}: out/ is the new one, whole`);
        await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} }); // back to the previous
        continue;
      }
      caught = true;
      t.ok(
        same(now, previous) || (!required && same(now, complete)),
        `killed at "${stage}": out/ is the previous one (or, past the swap, the new one), byte for byte`,
      );
      if (!same(now, previous))
        await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
    }
    if (required) t.ok(caught, `a run was killed at "${stage}"`);
    else t.comment(`${stage}: ${caught ? 'caught' : 'not caught (a short window)'}`);
  }
  const done = await cli(['transform', '--dump', dump, '--out', out]);
  t.equal(done.code, 0, 'the next run succeeds');
  t.notOk(existsSync(`${out}.partial`), 'and clears what the killed runs left');
});

t.test('a run killed between the two renames of the swap: the next run puts the previous out/ back', async (t) => {
  const root = t.testdir({});
  const dump = join(root, 'dump');
  mkdirSync(dump, { recursive: true });
  writeMiniDump(dump);
  const out = join(root, 'out');
  await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const previous = readTree(out);
  renameSync(out, `${out}.previous`); // as if killed right after the first rename
  await new OutDir(out).begin();
  t.ok(same(readTree(out), previous), 'restored');
});

t.test('push-images killed halfway resumes without duplicates', async (t) => {
  const out = join(t.testdir({}), 'out');
  const { writeManyImages } = await import('./helpers/many-images.js');
  writeManyImages(out, 60, 20_000);
  const s = await startFakeStorage(undefined, { delayMs: 15 });
  t.teardown(() => s.close());
  const env = { SUPABASE_SERVICE_ROLE_KEY: s.key };
  const r = await runAndKillAt(
    ['push-images', '--out', out, '--supabase-url', s.url, '--allow-other-url', '--concurrency', '2'],
    () => s.seen.uploads >= 20,
    env,
  );
  t.ok(r.killed, 'killed while uploading');
  const before = s.seen.uploads;
  t.ok(before >= 20 && before < 60, `${before} of 60 uploaded before the kill`);
  const again = await cli(['push-images', '--out', out, '--supabase-url', s.url, '--allow-other-url'], env);
  t.equal(again.code, 0, again.stderr);
  const m = /push-images: (\d+) uploaded, (\d+) already there/.exec(again.stdout)!;
  t.equal(Number(m[1]) + Number(m[2]), 60, 'the resumed run accounts for all 60');
  t.equal(Number(m[1]), 60 - before, 'and uploads only what the kill left missing');
  t.match(again.stdout, /on the server now: 60 of 60/);
  t.equal(s.objects.size, 60, 'all 60 objects are there');
  t.equal(s.seen.uploads, 60, 'each uploaded exactly once: no duplicates');
});

async function failingMigration(t: import('tap').Test, open: () => Promise<TargetDb>): Promise<void> {
  const root = t.testdir({});
  // a target that refuses one app_config row (a constraint added on its side): app_config, the last table
  // migration.sql writes, fails after the coaches and categories went in
  writeMiniDump(join(root), {
    tls_variable: [
      { id: 1, name: 'ok', value: '1' },
      { id: 2, name: 'bad', value: '2' },
    ],
  });
  const out = join(root, 'out');
  await runTransform({ dump: [root], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const db = await open();
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.scalar(`ALTER TABLE public.app_config ADD CONSTRAINT refuses_bad CHECK (key <> 'var_bad')`);
  await db.scalar(`INSERT INTO public.coaches (legacy_id, name) VALUES (900, 'already here')`);
  const counts = `SELECT format('%s %s %s', (SELECT count(*) FROM public.coaches), (SELECT count(*) FROM public.categories), (SELECT count(*) FROM public.app_config))`;
  const before = await db.scalar(counts);
  await t.rejects(
    db.applyFile(join(out, 'migration.sql'), 'migration.sql'),
    /migration\.sql failed( at line \d+)?: new row for relation "app_config" violates check constraint "refuses_bad"/,
  );
  t.equal(
    await db.scalar(counts),
    before,
    'the coaches and categories written before the failure were rolled back with it',
  );
  t.equal(await db.scalar(`SELECT name FROM public.coaches`), 'already here', 'the target is as it was');
}

t.test('a failed migration.sql leaves the target unchanged: PGlite', async (t) => failingMigration(t, pgliteTarget));
t.test('a failed migration.sql leaves the target unchanged: psql on a real server', needsPg, async (t) =>
  failingMigration(t, () => serverTarget(DATABASE_URL!, 'totalis_failing_migration')),
);
