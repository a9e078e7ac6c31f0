// Issue 28 items 3 and 4: what the app did between runs. A re-run refuses to overwrite the app's edits (unless the
// output was made with --overwrite-app-edits), and a row to remove that the app still references is named, not a
// bare foreign-key error. As operators make them: runs in sequence, the app writing between, rollbacks newest
// first. Each case on PGlite and, with DATABASE_URL, on PostgreSQL 15 through psql.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform, type TransformOptions } from '../lib/pipeline/transform.js';
import { writeMiniDump, type MiniRow } from './helpers/mini-dump.js';
import { STATE, type TestDb } from './helpers/target.js';
import { file, onBoth as onBothAs, TARGET, transform } from './helpers/reruns.js';

const onBoth = (name: string, body: (t: Test, db: TestDb) => Promise<void>): void => onBothAs('appedits', name, body);

let A = '';
let B = '';
let Bover = '';
t.before(async () => {
  const root = t.testdirName;
  A = await transform(join(root, 'A'));
  B = await transform(join(root, 'B'), { defaultCoach: '2' });
  Bover = await transform(join(root, 'B-over'), { defaultCoach: '2', overwriteAppEdits: true });
});

/** A leaf category of the samples (deleting it breaks no foreign key). */
const LEAF =
  'SELECT legacy_id FROM public.categories c WHERE NOT EXISTS (SELECT FROM public.categories k WHERE k.parent_id = c.id) ORDER BY legacy_id LIMIT 1';

onBoth('item 3 a re-run refuses to overwrite what the app changed, unless --overwrite-app-edits', async (t, db) => {
  t.match(file(Bover, 'report.md'), /overwrite app edits.*true/, 'the report records --overwrite-app-edits');
  await db.exec(TARGET);
  const s0 = await db.value(STATE);
  await db.exec(file(A, 'migration.sql'));
  t.equal(await db.failure(file(A, 'migration.sql')), null, 'A again with no app edit: allowed');
  // the app, between runs
  const leaf = await db.value(LEAF);
  const leafName = await db.value(`SELECT name FROM public.categories WHERE legacy_id = ${leaf}`);
  await db.exec("UPDATE public.coaches SET is_active = false, description = 'edited in the app' WHERE legacy_id = 2");
  await db.exec(`UPDATE public.app_config SET value = '"9.9-app"' WHERE key = 'system_version'`);
  await db.exec(`DELETE FROM public.categories WHERE legacy_id = ${leaf}`);
  // updated_at set by a trigger, and a column the app added: neither is an edit the migration would overwrite
  await db.exec(
    "ALTER TABLE public.coaches ADD COLUMN app_note text; UPDATE public.coaches SET app_note = 'the app''s', updated_at = now() - interval '1 day' WHERE legacy_id = 1",
  );
  const edited = await db.value(STATE);

  const refused = await db.failure(file(B, 'migration.sql'));
  t.match(
    refused,
    /migration: the app changed or deleted rows since run [0-9a-f]{16} was applied, and this run would overwrite them: /,
    'B: refused',
  );
  t.match(
    refused,
    /coaches legacy id 2 [^:;]+: changed by the app: description [^;]* -> "edited in the app", is_active true -> false/,
    'naming the coach and what changed',
  );
  t.match(refused, /app_config system_version: changed by the app: value "[^"]*" -> "9\.9-app"/, 'the config value');
  t.match(
    refused,
    new RegExp(`categories legacy id ${leaf} ${leafName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: deleted by the app`),
    'the deleted category',
  );
  t.notMatch(refused, /coaches legacy id 1 /, 'not the coach whose updated_at and app column alone changed');
  t.match(
    refused,
    /Nothing was changed\. Carry the edits into the legacy dump, or make the output again with --overwrite-app-edits/,
    'saying how to proceed',
  );
  t.equal(await db.value(STATE), edited, 'nothing was changed');
  t.match(
    await db.failure(file(A, 'migration.sql')),
    /the app changed or deleted rows/,
    'A applied again over the edits: refused too',
  );
  if (db.kind === 'psql') {
    const r = db.psql(file(B, 'migration.sql'), ['-v', 'ON_ERROR_STOP=1']);
    t.equal(r.code, 3, 'psql -v ON_ERROR_STOP=1 exits 3');
    db.psql(file(B, 'migration.sql'), []);
    t.equal(await db.value(STATE), edited, 'without ON_ERROR_STOP as well, nothing changes');
  }

  t.equal(await db.failure(file(Bover, 'migration.sql')), null, 'B made with --overwrite-app-edits applies');
  t.equal(
    await db.value(
      "SELECT is_active::text || ' ' || coalesce(description, '') FROM public.coaches WHERE legacy_id = 2",
    ),
    `true ${descriptionIn(Bover, 2)}`,
    'the coach as the dump gives it',
  );
  t.equal(
    await db.value(`SELECT count(*) FROM public.categories WHERE legacy_id = ${leaf}`),
    '1',
    'the deleted category is back',
  );
  t.equal(await db.failure(file(Bover, 'verify.sql')), null, 'its verify.sql passes');
  // the app edits again: the record to compare with is now the overwriting run's
  await db.exec("UPDATE public.coaches SET name = 'Renamed by the app' WHERE legacy_id = 3");
  const again = await db.failure(file(B, 'migration.sql'));
  t.match(
    again,
    /rows since run [0-9a-f]{16} was applied, and this run would overwrite them: coaches legacy id 3 ([^:;]+): changed by the app: name "\1" -> "Renamed by the app"\. Nothing/,
    'a later edit is refused, and only it',
  );
  t.equal(await db.failure(file(Bover, 'migration.sql')), null, 'the overwriting run applied again overwrites it');
  t.not(await db.value('SELECT name FROM public.coaches WHERE legacy_id = 3'), 'Renamed by the app');

  // rollbacks newest first: as after the app's edits, then empty
  await db.exec(file(Bover, 'rollback.sql'));
  t.equal(await db.value(STATE), edited, "B's rollback: the target as the app left it");
  t.match(
    await db.failure(file(B, 'migration.sql')),
    /the app changed or deleted rows since run/,
    'and B is refused again: the edits stand against A',
  );
  await db.exec(file(A, 'rollback.sql'));
  await db.exec('ALTER TABLE public.coaches DROP COLUMN app_note');
  t.equal(await db.value(STATE), s0, "A's rollback: empty again");
});

/** A coach's description as an output writes it. */
function descriptionIn(out: string, legacyId: number): string {
  const coaches = JSON.parse(file(out, 'data/coaches.json')) as { legacy_id: number; description: string | null }[];
  return coaches.find((c) => c.legacy_id === legacyId)?.description ?? '';
}

onBoth('item 4 a removed row the app still references is named, not a bare foreign-key error', async (t, db) => {
  const root = t.testdir({});
  const make = async (name: string, categories: MiniRow[], opts: Partial<TransformOptions> = {}): Promise<string> => {
    const dump = join(root, name);
    mkdirSync(dump, { recursive: true });
    writeMiniDump(dump, { tls_category: categories });
    const out = join(root, `${name}-out`);
    await runTransform({
      dump: [dump],
      out,
      sourceTimezone: 'UTC',
      strict: false,
      breakCycles: false,
      env: {},
      ...opts,
    });
    return out;
  };
  const all: MiniRow[] = [
    { id: 1, name: 'Root', sort_order: 1 },
    { id: 2, parent_id: 1, name: 'Sleep', sort_order: 1 },
    { id: 3, parent_id: 2, name: 'Sleep well', sort_order: 1 },
  ];
  const one = await make('d1', all);
  // the new dump has neither Sleep nor its child: the two go together, but the app hangs its own row under Sleep
  const two = await make('d2', all.slice(0, 1));
  const twoKept = await make('d2k', all.slice(0, 1), { keepRemoved: true });
  await db.exec(TARGET);
  const s0 = await db.value(STATE);
  await db.exec(file(one, 'migration.sql'));
  await db.exec(
    "INSERT INTO public.categories (legacy_id, parent_id, name) SELECT -1, id, 'App sub' FROM public.categories WHERE legacy_id = 2",
  );
  const s1 = await db.value(STATE);
  const refused = await db.failure(file(two, 'migration.sql'));
  t.match(
    refused,
    /migration: rows whose legacy source is gone cannot be removed, the app still references them: categories legacy id 2 Sleep is still referenced by (public\.)?categories App sub \(parent_id\)\. Nothing was changed\. Make the output again with --keep-removed/,
    'one message: legacy id, name, the referencing row, what to do',
  );
  t.notMatch(refused, /violates foreign key constraint/, 'not the bare foreign-key error');
  t.notMatch(refused, /Sleep well is still referenced/, 'a removed child of a removed parent is no obstacle');
  t.equal(await db.value(STATE), s1, 'nothing was changed');
  t.equal(await db.failure(file(twoKept, 'migration.sql')), null, 'made with --keep-removed: applies');
  t.equal(
    await db.value('SELECT count(*) FROM public.categories WHERE legacy_id IN (2, 3)'),
    '2',
    'Sleep and its child stay',
  );
  // the app lets go of it: the removal goes through
  await db.exec(file(twoKept, 'rollback.sql'));
  await db.exec('DELETE FROM public.categories WHERE legacy_id = -1');
  t.equal(await db.failure(file(two, 'migration.sql')), null, 'once the app row is gone, the run applies');
  t.equal(
    await db.value('SELECT count(*) FROM public.categories WHERE legacy_id IN (2, 3)'),
    '0',
    'and removes Sleep and its child',
  );
  await db.exec(file(two, 'rollback.sql'));
  await db.exec(file(one, 'rollback.sql'));
  t.equal(await db.value(STATE), s0, 'rollbacks newest first: empty again');
});

onBoth(
  'item 3 a secret set by secrets.sql is no app edit, and a secret the app changed is named but never shown',
  async (t, db) => {
    const root = t.testdir({});
    const dump = join(root, 'dump');
    mkdirSync(dump);
    writeMiniDump(dump, { tls_variable: [{ id: 1, name: 'smtp_password', value: 'hunter2', user: false }] });
    const one = join(root, 'one');
    const two = join(root, 'two');
    await runTransform({ dump: [dump], out: one, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
    await runTransform({
      dump: [dump],
      out: two,
      sourceTimezone: 'UTC',
      strict: false,
      breakCycles: false,
      env: {},
      defaultCoach: '1',
    });
    t.match(file(one, 'secrets.sql'), /var_smtp_password/, 'the value is a secret');
    await db.exec(TARGET);
    await db.exec(file(one, 'migration.sql'));
    await db.exec(file(one, 'secrets.sql'));
    t.equal(await db.failure(file(two, 'migration.sql')), null, 'the next run after secrets.sql: allowed');
    await db.exec(file(two, 'secrets.sql'));
    await db.exec("UPDATE public.app_config SET value = to_jsonb('hunter3'::text) WHERE key = 'var_smtp_password'");
    const refused = await db.failure(file(two, 'migration.sql'));
    t.match(
      refused,
      /app_config var_smtp_password: changed by the app: value \(a secret: not the value secrets\.sql sets; not shown\)/,
      'the app changed the secret: the run applied again is refused, naming it',
    );
    t.notMatch(refused, /hunter/, 'never showing it');
  },
);
