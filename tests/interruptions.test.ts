// Interrupted runs lose nothing: a transform killed at any moment leaves the previous out/ intact; a
// push-images killed halfway resumes without duplicates; a migration.sql that fails leaves the target as it
// was (one transaction). The killed processes are the real command (bin/ → dist/, built by make test).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { generateImageHeavy } from '../bench/generate.js';
import { pgliteTarget, serverTarget, type TargetDb } from '../lib/db/target-db.js';
import { OutDir } from '../lib/output/out-dir.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { cli } from './helpers/cli.js';
import { startFakeStorage } from './helpers/fake-storage.js';
import { readTree } from './helpers/files.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';

const same = (a: Map<string, Buffer>, b: Map<string, Buffer>): boolean => a.size === b.size && [...a].every(([k, v]) => b.get(k)?.equals(v) === true);

/** Runs the real command and kills it with SIGKILL after `ms` (or when `killWhen` says so). */
function runAndKill(args: string[], ms: number, env: Record<string, string> = {}, killWhen?: () => boolean): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/totalis-migrate.js', ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
    let killed = false;
    const kill = (): void => {
      if (child.exitCode === null) {
        killed = child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(kill, ms);
    const poll = killWhen === undefined ? null : setInterval(() => killWhen() && kill(), 2);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (poll !== null) clearInterval(poll);
      resolve({ killed, code });
    });
  });
}

t.test('a transform killed at any moment leaves the previous out/ intact', async (t) => {
  const root = t.testdir({});
  const dump = join(root, 'dump');
  generateImageHeavy(dump, 40e6, 3);
  const out = join(root, 'out');
  await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const previous = readTree(out);
  // what the interrupted command writes when it gets to the end
  const otherOut = join(root, 'other');
  await runTransform({ dump: [dump], out: otherOut, supabaseUrl: 'https://other.example', sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const complete = readTree(otherOut);
  let killedMidway = 0;
  for (const ms of [40, 120, 250, 400, 600, 800, 1100, 1500]) {
    // a different option, so that a run that got to the end would change out/
    const r = await runAndKill(['transform', '--dump', dump, '--out', out, '--supabase-url', 'https://other.example'], ms);
    if (!r.killed) {
      t.equal(r.code, 0, `not killed at ${ms} ms: it finished`);
      break;
    }
    const now = readTree(out);
    if (same(now, previous)) {
      killedMidway++;
      t.pass(`killed after ${ms} ms: out/ is the previous one, byte for byte`);
    } else {
      t.ok(same(now, complete), `killed after ${ms} ms, after its output was complete: out/ is the new one, whole`);
      break;
    }
  }
  t.ok(killedMidway >= 3, `killed midway ${killedMidway} times`);
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
  const r = await runAndKill(['push-images', '--out', out, '--supabase-url', s.url, '--concurrency', '2'], 30_000, env, () => s.seen.uploads >= 20);
  t.ok(r.killed, 'killed while uploading');
  const before = s.seen.uploads;
  t.ok(before >= 20 && before < 60, `${before} of 60 uploaded before the kill`);
  const again = await cli(['push-images', '--out', out, '--supabase-url', s.url], env);
  t.equal(again.code, 0, again.stderr);
  const m = /push-images: (\d+) uploaded, (\d+) skipped/.exec(again.stdout)!;
  t.equal(Number(m[1]) + Number(m[2]), 60, 'the resumed run accounts for all 60');
  t.equal(s.objects.size, 60, 'all 60 objects are there');
  t.equal(s.seen.uploads, 60, 'each uploaded exactly once: no duplicates');
});

async function failingMigration(t: import('tap').Test, open: () => Promise<TargetDb>): Promise<void> {
  const root = t.testdir({});
  // a target that refuses one app_config row (a constraint added on its side): app_config, the last table
  // migration.sql writes, fails after the coaches and categories went in
  writeMiniDump(join(root), { tls_variable: [{ id: 1, name: 'ok', value: '1' }, { id: 2, name: 'bad', value: '2' }] });
  const out = join(root, 'out');
  await runTransform({ dump: [root], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const db = await open();
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.scalar(`ALTER TABLE public.app_config ADD CONSTRAINT refuses_bad CHECK (key <> 'var_bad')`);
  await db.scalar(`INSERT INTO public.coaches (legacy_id, name) VALUES (900, 'already here')`);
  const counts = `SELECT format('%s %s %s', (SELECT count(*) FROM public.coaches), (SELECT count(*) FROM public.categories), (SELECT count(*) FROM public.app_config))`;
  const before = await db.scalar(counts);
  await t.rejects(db.applyFile(join(out, 'migration.sql'), 'migration.sql'), /migration\.sql failed( at line \d+)?: new row for relation "app_config" violates check constraint "refuses_bad"/);
  t.equal(await db.scalar(counts), before, 'the coaches and categories written before the failure were rolled back with it');
  t.equal(await db.scalar(`SELECT name FROM public.coaches`), 'already here', 'the target is as it was');
}

t.test('a failed migration.sql leaves the target unchanged: PGlite', async (t) => failingMigration(t, pgliteTarget));
t.test('a failed migration.sql leaves the target unchanged: psql on a real server', needsPg, async (t) => failingMigration(t, () => serverTarget(DATABASE_URL!, 'totalis_failing_migration')));
