// transform --target-db on a target schemas/target.sql made (the fresh project's shape, legacy_id a column of its
// own): the legacy id goes to that column, the output applies and verifies, and the app's edit since the last run
// is listed in advance (target.app.edited), as on the real target. PGlite served over a loopback socket.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { MigrateError } from '../lib/errors.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { options, servedFixture } from './helpers/real-target.js';

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
