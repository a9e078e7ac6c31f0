// rehearse --target-schema/--target-data (issue 31): the real target of 2025-05-25 (86a91d4) built from its dumps on
// PGlite, and the whole runbook on it: adoption, access, a second apply, verify, rollback to exactly as it was.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { rehearse } from '../lib/pipeline/rehearse.js';
import { fixture, options, SHAPES } from './helpers/real-target.js';

t.test('rehearse builds the 86a91d4 target from its dumps and runs the runbook on it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'real-target-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const s = SHAPES[1];
  const steps = await rehearse(
    options(join(dir, 'rehearsal'), { target: { schema: fixture(s, 'schema.sql'), data: fixture(s, 'data.sql') } }),
  );
  t.same(
    steps.filter((x) => !x.ok).map((x) => `${x.step}: ${x.detail}`),
    [],
    'every step passes',
  );
  t.same(
    steps.map((x) => x.step),
    [
      'transform',
      'open the target',
      'the target, from its dumps',
      'schemas/target.sql',
      'migration.sql',
      'migration.sql again (must change nothing)',
      'verify.sql',
      'access as anon',
      'access as authenticated',
      'reconcile with out/target-rows.json',
      'rollback.sql',
      'the target is as it was',
    ],
  );
  t.match(
    steps[0]!.detail,
    /adopted: coaches Daniel, app_config default_coach/,
    "the app's Daniel and default_coach are adopted",
  );
  t.equal(steps[2]!.detail, 'coaches 2, categories 0, app_config 5', "the target holds the app's rows before");
  t.equal(
    steps.find((x) => x.step === 'reconcile with out/target-rows.json')?.detail,
    "coaches 7, categories 10, app_config 20 rows read, every bound row and column as written; the app's own: coaches 1, app_config 4",
    "every row reconciled with the rows transform bound to the target; the app's Sarah and four config rows its own",
  );
});
