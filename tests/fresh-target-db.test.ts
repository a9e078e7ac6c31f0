// transform --target-db on a target schemas/target.sql made (the fresh project's shape, legacy_id a column of its
// own): the legacy id goes to that column, the output applies and verifies, and the app's edit since the last run
// is listed in advance (target.app.edited), as on the real target. PGlite served over a loopback socket.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MigrateError } from '../lib/errors.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { options, servedFixture, SHAPES } from './helpers/real-target.js';

t.test(
  'transform --target-db on the fresh shape: legacy_id in its column, applied, verified, edits listed',
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'fresh-target-db-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { db, url } = await servedFixture(t, 'fresh');
    const target = { db: url };
    const out = join(dir, 'out1');
    const r = await runTransform(options(out, { target }));
    t.equal(
      r.findings.filter((f) => f.severity === 'error').length,
      0,
      'no error (legacy_id is not a required column no field fills)',
    );
    await db.exec(readFileSync(join(out, 'migration.sql'), 'utf8'), 'migration.sql');
    await db.exec(readFileSync(join(out, 'verify.sql'), 'utf8'), 'verify.sql');
    t.equal(
      await db.value("SELECT legacy_id::text FROM public.coaches WHERE name = 'Ana María'"),
      '2',
      'the legacy id is in its column',
    );
    await db.exec('UPDATE public.coaches SET is_active = false WHERE legacy_id = 2');
    const refused = await runTransform(options(join(dir, 'out2'), { target })).then(
      () => null,
      (e: unknown) => (e instanceof MigrateError ? e.message : String(e)),
    );
    t.match(
      refused,
      /target\.app\.edited .*Ana María: changed \(is_active\) by the app/,
      'the app edit is listed before anything is applied',
    );
  },
);

t.test(
  "a removed category whose app sub-category would go with it (ON DELETE CASCADE, the real target's parent_id) is listed by transform --target-db, not left to cascade",
  async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'cascade-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const { db, url } = await servedFixture(
      t,
      SHAPES.find((s) => s.name === 'head')!,
    );
    const target = { db: url };
    const out1 = join(dir, 'out1');
    await runTransform(options(out1, { target }));
    await db.exec(readFileSync('schemas/target.sql', 'utf8'), 'schemas/target.sql');
    await db.exec(readFileSync(join(out1, 'migration.sql'), 'utf8'), 'run 1 migration.sql');
    // the app files a sub-category of its own under the migrated Naps (legacy id 12, a leaf in the samples)
    await db.exec(
      "INSERT INTO public.categories (name, parent_id) SELECT 'App naps', id FROM public.categories WHERE metadata ->> 'legacy_id' = '12'",
    );
    // a later dump without Naps
    const dump = join(dir, 'dump');
    mkdirSync(dump);
    for (const f of ['totalis_schema.sql', 'coaches_with_images.sql', 'config_data.sql'])
      copyFileSync(join('samples', f), join(dump, f));
    const cats = readFileSync('samples/categories.sql', 'utf8');
    const without = cats.replace(/^12\t3\tNaps\t[^\n]*\n/m, '');
    t.not(without, cats, 'the samples hold Naps as this test expects');
    writeFileSync(join(dump, 'categories.sql'), without);
    const refused = await runTransform(options(join(dir, 'out2'), { target, dump: [dump] })).then(
      () => null,
      (e: unknown) => (e instanceof MigrateError ? e.message : String(e)),
    );
    t.match(refused, /target\.row\.referenced/, 'transform --target-db lists it in advance');
  },
);
