// The real target (issue 31) offline, on PGlite, in both shapes of tests/fixtures/real-target: transform told the
// target by --target-schema/--target-data, then README step 4, a second apply and rollback (helpers/real-target.ts).
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { fixture, options, pgliteDb, runbook, SHAPES } from './helpers/real-target.js';

for (const s of SHAPES) {
  t.test(`${s.name}: offline (--target-schema/--target-data) on PGlite`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'real-target-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    const r = await runTransform(
      options(out, { target: { schema: fixture(s, 'schema.sql'), data: fixture(s, 'data.sql') } }),
    );
    t.same(
      r.binding!.tables.flatMap((b) => b.rows.filter((x) => x.adopted !== null).map((x) => `${b.table} ${x.adopted}`)),
      ['coaches Daniel', 'app_config default_coach'],
      'Daniel and default_coach are adopted',
    );
    t.match(
      readFileSync(join(out, 'report.md'), 'utf8'),
      /## Target\n\nMade for --target-schema schema\.sql --target-data data\.sql[\s\S]*\| coaches \| description \| column bio \|[\s\S]*- coaches Daniel: the app's row/,
      'report.md says which target, where each field went, and what was adopted',
    );
    t.match(
      readFileSync(join(out, 'review.html'), 'utf8'),
      /Made for --target-schema schema\.sql --target-data data\.sql[^<]*coaches Daniel; app_config default_coach/,
      'review.html says which target and what was adopted',
    );
    const homeless = r.findings.filter((f) => f.code === 'target.field.homeless').map((f) => f.message);
    if (s.metadata) t.same(homeless, [], 'every field has a home (metadata)');
    else
      t.match(
        homeless.join('\n'),
        /coaches has no column for intro, photo_30_url, photo_45_url, photo_60_url/,
        'a finding lists the fields with no home',
      );
    const pg = await PGlite.create();
    t.teardown(() => pg.close());
    const db = pgliteDb(pg);
    await db.exec(readFileSync(fixture(s, 'schema.sql'), 'utf8'));
    await db.exec(readFileSync(fixture(s, 'data.sql'), 'utf8'));
    await runbook(t, db, s, out);
  });
}
