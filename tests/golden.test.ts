// Golden: the samples' out/ is committed in tests/golden/samples/ (all but the image bytes, which the
// manifest pins by sha256). A change to the output shows up in review as a readable diff of those files.
// Regenerate deliberately with `make golden` (UPDATE_GOLDEN=1).
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { readTree, withoutRunIdentity } from './helpers/files.js';

const GOLDEN = 'tests/golden/samples';
const opts = { sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} };

t.test("the samples' output matches the golden copy", async (t) => {
  t.testdir({});
  const out = join(t.testdirName, 'out');
  await runTransform({ dump: ['samples'], out, ...opts });
  const got = readTree(out);
  const text = new Map([...got].filter(([p]) => !p.startsWith('images/') || p === 'images/manifest.json'));
  if (process.env['UPDATE_GOLDEN'] === '1') {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const [p] of text) {
      mkdirSync(join(GOLDEN, p, '..'), { recursive: true });
      cpSync(join(out, p), join(GOLDEN, p));
    }
    t.pass('golden updated');
    return;
  }
  const golden = readTree(GOLDEN);
  t.same([...text.keys()], [...golden.keys()], 'the same files');
  for (const [p, bytes] of golden) t.equal(text.get(p)?.toString('utf8'), bytes.toString('utf8'), p);
  const manifest = JSON.parse(got.get('images/manifest.json')!.toString()) as {
    bucket: string;
    path: string;
    sha256: string;
    size: number;
  }[];
  const images = [...got.keys()].filter((p) => p.startsWith('images/') && p !== 'images/manifest.json');
  t.same(
    images,
    manifest.map((m) => `images/${m.bucket}/${m.path}`).sort(),
    "exactly the manifest's images are written",
  );
  for (const m of manifest) {
    const b = got.get(`images/${m.bucket}/${m.path}`)!;
    t.equal(createHash('sha256').update(b).digest('hex'), m.sha256, `${m.path}: bytes match the manifest`);
    t.equal(b.length, m.size);
  }
});

t.test('determinism: the same inputs give byte-identical output; COPY, INSERT and gzip forms agree', async (t) => {
  t.testdir({});
  const run = async (dump: string, name: string): Promise<Map<string, Buffer>> => {
    const out = join(t.testdirName, name);
    await runTransform({ dump: [dump], out, ...opts });
    return readTree(out);
  };
  const a = await run('samples', 'a');
  const b = await run('samples', 'b');
  t.same([...a.keys()], [...b.keys()]);
  t.ok(
    [...a].every(([p, v]) => b.get(p)!.equals(v)),
    'two runs: every file byte-identical, images included',
  );
  const inserts = await run('samples/inserts', 'inserts');
  const gzip = await run('samples/gzip', 'gzip');
  const withoutInputs = withoutRunIdentity;
  for (const other of [inserts, gzip]) {
    for (const p of ['data/coaches.json', 'data/categories.json', 'data/app_config.json', 'images/manifest.json'])
      t.ok(other.get(p)!.equals(a.get(p)!), `${p} identical`);
    for (const p of ['migration.sql', 'verify.sql', 'rollback.sql']) {
      t.equal(
        withoutInputs(other.get(p)!.toString()),
        withoutInputs(a.get(p)!.toString()),
        `${p} identical apart from the header's input list`,
      );
      t.not(other.get(p)!.toString(), a.get(p)!.toString(), `${p}: the input list does differ`);
    }
  }
  const all = [...a.values()].map((v) => v.toString('latin1')).join('\n');
  t.notMatch(all, /\\restrict [A-Za-z0-9]{20,}/, 'no restrict key written');
  t.notMatch(all, new RegExp(process.cwd().replace(/[/.]/g, '\\$&')), 'no machine path written');
  t.notMatch(
    all,
    new RegExp(String(new Date().getUTCFullYear()) + '-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d'),
    'no clock time written',
  );
});
