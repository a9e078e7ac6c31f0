// Issue 27, item 10: verify.sql checks updated_at, created_at where time_create was NULL, and jsonb as jsonb's
// text (the doc promises "3.50 stays 3.50"). On PGlite always, on a real server when DATABASE_URL is set.
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { serverTarget } from '../lib/db/server-target.js';
import { pgliteTarget, type TargetDb } from '../lib/db/target-db.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';

async function blindSpots(t: Test, open: () => Promise<TargetDb>): Promise<void> {
  const dir = t.testdir({});
  writeMiniDump(dir, {
    tls_coach: [
      { id: 1, name: 'Daniel', sex: 'M', intro: 'born in 1980', time_create: '2023-01-01 00:00:00' },
      { id: 2, name: 'Ana', sex: 'F', time_create: null },
    ],
    tls_variable: [{ id: 1, name: 'price', value: '3.50', user: true, time_create: '2022-05-01 10:00:00' }],
  });
  const out = join(dir, 'out');
  await runTransform({ dump: [dir], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  const db = await open();
  t.teardown(() => db.close());
  await db.applyFile('schemas/target.sql', 'schemas/target.sql');
  await db.applyFile(join(out, 'migration.sql'), 'migration.sql');
  const verify = async (): Promise<string> => {
    try {
      await db.applyFile(join(out, 'verify.sql'), 'verify.sql');
      return 'passed';
    } catch (e) {
      return (e as Error).message;
    }
  };
  t.equal(await verify(), 'passed', 'a fresh migration passes');
  t.equal(
    await db.scalar(`SELECT value::text FROM public.app_config WHERE key = 'var_price'`),
    '3.50',
    'jsonb keeps the digits',
  );

  const tamper = async (change: string, undo: string, want: RegExp, label: string): Promise<void> => {
    await db.scalar(change);
    t.match(await verify(), want, label);
    await db.scalar(undo);
    t.equal(await verify(), 'passed', `${label}: undone, passes again`);
  };
  await tamper(
    `UPDATE public.app_config SET value = '3.5' WHERE key = 'var_price'`,
    `UPDATE public.app_config SET value = '3.50' WHERE key = 'var_price'`,
    /app_config: rows differ from what migration\.sql wrote: key var_price \(value: '3\.5', expected '3\.50'\)/,
    '3.50 → 3.5 is a difference',
  );
  await tamper(
    `UPDATE public.coaches SET updated_at = now() + interval '1 day' WHERE legacy_id = 1`,
    `UPDATE public.coaches SET updated_at = created_at WHERE legacy_id = 1`,
    /coaches: rows differ .*coach legacy id 1 \(updated_at: .*, expected created_at \(2023-01-01 00:00:00\+00.*\) or the time of a later change\)/,
    'an updated_at after now',
  );
  await tamper(
    `UPDATE public.app_config SET updated_at = '2000-01-01 00:00:00+00' WHERE key = 'var_price'`,
    `UPDATE public.app_config SET updated_at = now() WHERE key = 'var_price'`,
    /key var_price \(updated_at: 2000-01-01/,
    'an updated_at before created_at',
  );
  t.equal(await verify(), 'passed', 'an updated_at of a later change (now) passes');
  await tamper(
    `UPDATE public.coaches SET created_at = 'infinity', updated_at = 'infinity' WHERE legacy_id = 2`,
    `UPDATE public.coaches SET created_at = now(), updated_at = now() WHERE legacy_id = 2`,
    /coach legacy id 2 \(created_at: infinity, expected the time of the first insert \(time_create was NULL\)\)/,
    'time_create NULL: a created_at after now',
  );
  await tamper(
    `UPDATE public.coaches SET updated_at = now() + interval '1 hour' WHERE legacy_id = 2`,
    `UPDATE public.coaches SET updated_at = created_at WHERE legacy_id = 2`,
    /coach legacy id 2 \(updated_at: /,
    'time_create NULL: an updated_at after now',
  );
}

t.test('verify.sql checks updated_at, created_at without time_create, and jsonb digits: PGlite', async (t) =>
  blindSpots(t, pgliteTarget),
);
t.test(
  'verify.sql checks updated_at, created_at without time_create, and jsonb digits: a real server',
  needsPg,
  async (t) => blindSpots(t, () => serverTarget(DATABASE_URL!, 'mapping_verify_blind')),
);
