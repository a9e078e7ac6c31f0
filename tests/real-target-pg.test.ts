// The real target (issue 31) on PostgreSQL 15 (when DATABASE_URL is set), in both shapes of
// tests/fixtures/real-target: transform --target-db, then README step 4 through psql, a second apply and rollback.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';
import { fixture, options, psqlDb, runbook, SHAPES } from './helpers/real-target.js';

for (const s of SHAPES) {
  t.test(`${s.name}: on PostgreSQL 15 (--target-db)`, needsPg, async (t) => {
    const name = `target_rt_${s.name}_${process.pid}`;
    const url = scratchDb(name);
    t.teardown(() => dropDb(name));
    const load = psql(['-f', fixture(s, 'schema.sql'), '-f', fixture(s, 'data.sql')], undefined, url);
    t.equal(load.code, 0, `the fixture loads: ${load.stderr}`);
    const dir = mkdtempSync(join(tmpdir(), 'real-target-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    await runTransform(options(out, { target: { db: url } }));
    const db = psqlDb(url);
    await runbook(t, db, s, out);
  });
}
