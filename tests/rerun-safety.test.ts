// Re-runs on a live target as operators make them (issue 28): several outputs applied in sequence, the app
// writing between runs, rollbacks newest first. Each case on PGlite and, with DATABASE_URL, on PostgreSQL 15
// through psql.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { LEDGER_LOCK } from '../lib/sql/ledger.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { writeMiniDump, type MiniRow } from './helpers/mini-dump.js';
import { cli } from './helpers/cli.js';
import { DATABASE_URL, dropDb, needsPg, psqlOk, scratchDb } from './helpers/pg.js';
import { serverTarget } from '../lib/db/server-target.js';
import { pgliteTarget, type TargetDb } from '../lib/db/target-db.js';
import { reconcile, timestamptzMicros } from '../lib/verify/reconcile.js';
import { psqlDb, STATE, type TestDb } from './helpers/target.js';
import { file, onBoth as onBothAs, TARGET, transform } from './helpers/reruns.js';

const onBoth = (name: string, body: (t: Test, db: TestDb) => Promise<void>): void => onBothAs('remig', name, body);

let A = '';
let B = '';
t.before(async () => {
  const root = t.testdirName;
  A = await transform(join(root, 'A'));
  // the same dump with another default coach: one app_config row changes, beside var_unset (JSON null)
  B = await transform(join(root, 'B'), { defaultCoach: '2' });
});

onBoth('item 1 a run beside a JSON-null config value rolls back', async (t, db) => {
  await db.exec(TARGET);
  const s0 = await db.value(STATE);
  await db.exec(file(A, 'migration.sql'));
  t.equal(
    await db.value("SELECT value::text FROM public.app_config WHERE key = 'var_unset'"),
    'null',
    'var_unset holds the JSON null',
  );
  const s1 = await db.value(STATE);
  await db.exec(file(B, 'migration.sql'));
  t.equal(await db.failure(file(B, 'rollback.sql')), null, "B's rollback runs");
  t.equal(await db.value(STATE), s1, 'the target is as after A, value by value');
  t.equal(
    await db.value(
      "SELECT CASE WHEN value IS NULL THEN 'SQL NULL' ELSE value::text END FROM public.app_config WHERE key = 'var_unset'",
    ),
    'null',
    'var_unset is the JSON null again, not SQL NULL',
  );
  await db.exec(file(A, 'rollback.sql'));
  t.equal(await db.value(STATE), s0, "A's rollback: empty again");
  // a jsonb column the app added: SQL NULL in one row, JSON null in another; each comes back as it was
  await db.exec('ALTER TABLE public.coaches ADD COLUMN app_extra jsonb');
  await db.exec(file(A, 'migration.sql'));
  await db.exec("UPDATE public.coaches SET app_extra = 'null' WHERE legacy_id = 2");
  await db.exec(file(B, 'migration.sql'));
  await db.exec(file(B, 'rollback.sql'));
  const extra =
    "SELECT string_agg(legacy_id || ':' || CASE WHEN app_extra IS NULL THEN 'SQL NULL' ELSE app_extra::text END, ' ' ORDER BY legacy_id) FROM public.coaches WHERE legacy_id IN (1, 2)";
  t.equal(
    await db.value(extra),
    '1:SQL NULL 2:null',
    'an SQL NULL jsonb comes back as SQL NULL, a JSON null as JSON null',
  );
});

const RUNS =
  "SELECT string_agg(run_id || coalesce(rolled_back_at::text, ''), ',' ORDER BY seq) FROM totalis_migrate.runs";

onBoth('item 2 an older run applied over a newer one is refused', async (t, db) => {
  await db.exec(TARGET);
  await db.exec(file(A, 'migration.sql'));
  await db.exec(file(B, 'migration.sql'));
  const s2 = await db.value(STATE);
  const runs = await db.value(RUNS);
  t.match(
    await db.failure(file(A, 'migration.sql')),
    /migration: run [0-9a-f]{16} is older than run\(s\) [0-9a-f]{16} applied after it: applying it again would bring older data back; nothing was changed/,
    'A over B: refused',
  );
  t.equal(await db.value(STATE), s2, 'the target is as after B');
  t.equal(await db.value(RUNS), runs, 'the ledger too');
  if (db.kind === 'psql') {
    // psql's default: no ON_ERROR_STOP, every later statement runs (and fails: the transaction is aborted)
    db.psql(file(A, 'migration.sql'), []);
    t.equal(await db.value(STATE), s2, 'without ON_ERROR_STOP as well');
  }
  // B rolled back: A is the newest applied run again, and applying it changes nothing
  await db.exec(file(B, 'rollback.sql'));
  const s1 = await db.value(STATE);
  await db.exec(file(A, 'migration.sql'));
  t.equal(await db.value(STATE), s1, 'A again once B is rolled back: nothing changes');
  // A rolled back, then B applied: A is still older than B
  await db.exec(file(A, 'rollback.sql'));
  await db.exec(file(B, 'migration.sql'));
  t.match(
    await db.failure(file(A, 'migration.sql')),
    /is older than run\(s\)/,
    'a rolled-back run applied over a newer one: refused',
  );
  // both rolled back, then forwards again in their order: allowed
  await db.exec(file(B, 'rollback.sql'));
  await db.exec(file(A, 'migration.sql'));
  await db.exec(file(B, 'migration.sql'));
  t.equal(await db.failure(file(B, 'verify.sql')), null, "A, then B again: allowed, and B's verify.sql passes");
});

// Two connections are needed, so PostgreSQL only (PGlite serves one); every other case runs the lock on PGlite too.
t.test(
  'item 5 migration.sql and rollback.sql wait for the ledger lock another apply holds (PostgreSQL through psql)',
  { ...needsPg },
  async (t) => {
    const db = psqlDb(t, 'remig_item5_lock');
    await db.exec(TARGET);
    await db.exec(file(A, 'migration.sql'));
    const s1 = await db.value(STATE);
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    t.teardown(() => other.end());
    // another apply in progress: its transaction holds the lock
    await other.query(`BEGIN; SELECT pg_advisory_xact_lock(${LEDGER_LOCK})`);
    const timeout = { PGOPTIONS: '-c lock_timeout=300' };
    for (const f of ['migration.sql', 'rollback.sql'] as const) {
      const out = f === 'migration.sql' ? B : A;
      const r = db.psql(file(out, f), ['-v', 'ON_ERROR_STOP=1'], timeout);
      t.not(r.code, 0, `${f} does not run beside it`);
      t.match(
        r.stderr,
        /canceling statement due to lock timeout[\s\S]*pg_advisory_xact_lock/,
        `${f} waits on the ledger lock first`,
      );
      t.equal(await db.value(STATE), s1, 'and changed nothing');
    }
    await other.query('COMMIT');
    t.equal(
      db.psql(file(B, 'migration.sql'), ['-v', 'ON_ERROR_STOP=1'], timeout).code,
      0,
      'once the other commits, B applies',
    );
  },
);

onBoth('item 6 hostile dump file names are data in every SQL file', async (t, db) => {
  const root = t.testdir({});
  const dump = join(root, 'dump');
  mkdirSync(dump);
  writeMiniDump(dump);
  renameSync(join(dump, 'config_data.sql'), join(dump, 'config_data$ledger$.sql'));
  renameSync(
    join(dump, 'coaches_with_images.sql'),
    join(dump, 'x$ledger$; ROLLBACK; DROP TABLE public.coaches CASCADE; --.sql'),
  );
  renameSync(join(dump, 'categories.sql'), join(dump, "c$rollback$$verify$'; DROP TABLE public.categories; --.sql"));
  const out = join(root, 'out');
  await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  await db.exec(TARGET);
  const s0 = await db.value(STATE);
  // as psql runs a file by default: no ON_ERROR_STOP, so an injected statement after an error would still run
  const apply = async (f: string): Promise<void> => {
    if (db.kind === 'psql') t.notMatch(db.psql(file(out, f), []).stderr, /ERROR/, `${f}: no error`);
    else await db.exec(file(out, f));
  };
  await apply('migration.sql');
  t.equal(
    await db.value('SELECT count(*) FROM totalis_migrate.runs WHERE rolled_back_at IS NULL'),
    '1',
    'the run is recorded',
  );
  t.match(
    await db.value('SELECT inputs::text FROM totalis_migrate.runs'),
    /x\$ledger\$; ROLLBACK; DROP TABLE public\.coaches CASCADE; --\.sql/,
    'with the file names as they are',
  );
  await apply('verify.sql');
  t.equal(await db.value('SELECT count(*) FROM public.coaches'), '1', 'the coaches table and its row are there');
  await apply('rollback.sql');
  t.equal(await db.value(STATE), s0, 'rollback: as before');
});

onBoth('item 7 the files are UTF-8 whatever the client encoding, and verify.sql is ASCII', async (t, db) => {
  for (const f of ['migration.sql', 'verify.sql', 'rollback.sql'])
    t.match(
      file(A, f),
      /^(--[^\n]*\n)*\nSET client_encoding = 'UTF8';\n/,
      `${f} sets client_encoding before any other statement`,
    );
  // eslint-disable-next-line no-control-regex
  const notAscii = /[^\x00-\x7f]/;
  t.notMatch(file(A, 'verify.sql'), notAscii, 'verify.sql is ASCII: read in any client encoding it means the same');
  await db.exec(TARGET);
  const latin1 = { PGCLIENTENCODING: 'LATIN1' };
  const apply = async (f: string, sql = file(A, f)): Promise<string | null> => {
    if (db.kind === 'pglite') return db.failure(sql);
    const r = db.psql(sql, ['-v', 'ON_ERROR_STOP=1'], latin1);
    return r.code === 0 ? null : r.stderr;
  };
  t.equal(await apply('migration.sql'), null, 'migration.sql applied by a LATIN1 client');
  t.equal(
    await db.value('SELECT name FROM public.coaches WHERE legacy_id = 2'),
    'Ana María',
    'stored as UTF-8, not mojibake',
  );
  t.equal(await db.value('SELECT name FROM public.coaches WHERE legacy_id = 3'), '李小龙 🐉', 'beyond LATIN1 too');
  t.equal(await apply('verify.sql'), null, 'verify.sql passes read by a LATIN1 client');
  // the mojibake a LATIN1 client made of a UTF-8 file before: verify.sql fails on it, read either way
  await db.exec("UPDATE public.coaches SET name = 'Ana MarÃ­a' WHERE legacy_id = 2");
  t.match(await apply('verify.sql'), /coach legacy id 2 \(name:/, 'mojibake found');
  t.match(
    await apply('verify.sql', file(A, 'verify.sql').replace("SET client_encoding = 'UTF8';", '')),
    /coach legacy id 2 \(name:/,
    'and found even by a verify.sql that had not set its encoding',
  );
});

t.test('item 11 the owned-row list of migration.sql keeps its order when a sort_order changes', async (t) => {
  const root = t.testdir({});
  const cats: MiniRow[] = [
    { id: 1, name: 'Root', sort_order: 1 },
    { id: 2, parent_id: 1, name: 'First', sort_order: 1 },
    { id: 3, parent_id: 1, name: 'Second', sort_order: 2 },
    { id: 4, parent_id: 2, name: 'Under first', sort_order: 1 },
    { id: 5, parent_id: 3, name: 'Under second', sort_order: 1 },
  ];
  const keysOf = async (name: string, categories: typeof cats): Promise<string> => {
    const dump = join(root, name);
    mkdirSync(dump);
    writeMiniDump(dump, { tls_category: categories });
    const out = join(root, `${name}-out`);
    await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
    return /INSERT INTO totalis_run_keys \(tbl, key\) VALUES\n[^;]*;/.exec(file(out, 'migration.sql'))![0];
  };
  const before = await keysOf('d1', cats);
  const after = await keysOf(
    'd2',
    cats.map((c) => (c.id === 2 ? { ...c, sort_order: 3 } : c)),
  );
  t.equal(after, before, 'the same lines in the same order');
});

t.test('item 13 rehearse --previous with the same run as the previous output passes (PGlite)', async (t) => {
  const r = await cli(['rehearse', '--dump', 'samples', '--previous', A, '--out', join(t.testdirName, 'again')]);
  t.equal(r.code, 0, r.code === 0 ? 'rehearse passes' : r.stdout + r.stderr);
  t.match(r.stdout, /pass {2}the target is as after the previous run .*the previous output is this same run/);
});

t.test('item 13 rehearse --db never drops a database it did not create (PostgreSQL)', { ...needsPg }, async (t) => {
  const name = 'remig_item13_someone_elses';
  const url = scratchDb(name);
  t.teardown(() => dropDb(name));
  psqlOk(['-c', 'CREATE TABLE precious (x int)'], undefined, url);
  await t.rejects(
    serverTarget(DATABASE_URL!, name),
    /cannot create the scratch database remig_item13_someone_elses.*already exists.*left alone/,
  );
  t.equal(
    psqlOk(['-At', '-c', "SELECT count(*) FROM pg_tables WHERE tablename = 'precious'"], undefined, url).trim(),
    '1',
    'the database that was there is untouched',
  );
});

async function farFuture(t: Test, target: TargetDb): Promise<void> {
  const root = t.testdir({});
  const dump = join(root, 'dump');
  mkdirSync(dump);
  // after a JS Date's last day (275760-09-13), and after bigint microseconds' end (about 294247)
  writeMiniDump(dump, {
    tls_coach: [
      { id: 1, name: 'Daniel', time_create: '275761-01-01 00:00:00' },
      { id: 2, name: 'Farther', time_create: '294270-06-01 12:00:00.5' },
    ],
  });
  const out = join(root, 'out');
  await runTransform({ dump: [dump], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
  await target.applySql(TARGET, 'schemas/target.sql');
  await target.applyFile(join(out, 'migration.sql'), 'migration.sql');
  const r = await reconcile(target.connectionString, out);
  t.same(r.differences, [], 'verify --db reads them, and they match');
  // whatever the transform made of them, the target's own far-future values are read without error
  await target.applySql(
    "UPDATE public.coaches SET created_at = '294270-06-01 12:00:00.5+00' WHERE legacy_id = 2",
    'far future',
  );
  const d = await reconcile(target.connectionString, out);
  t.ok(
    d.differences.every((x) => x.column === 'created_at'),
    'past bigint microseconds: read, and compared as a value',
  );
  // the JS side to the microsecond as PostgreSQL counts it
  for (const ts of ['275761-01-01 00:00:00+00', '294270-06-01 12:00:00.5+00', '2023-03-14 09:26:53.589793+01']) {
    const pgMicros = await target.scalar(`SELECT trunc(extract(epoch FROM '${ts}'::timestamptz) * 1000000)::text`);
    t.equal(timestamptzMicros(ts), pgMicros, `${ts}: the same microseconds as PostgreSQL`);
  }
}

t.test('item 10 verify --db on far-future timestamps (PGlite)', async (t) => {
  const target = await pgliteTarget();
  t.teardown(() => target.close());
  await farFuture(t, target);
});

t.test('item 10 verify --db on far-future timestamps (PostgreSQL)', { ...needsPg }, async (t) => {
  const target = await serverTarget(DATABASE_URL!, `remig_item10_${process.pid}`);
  t.teardown(() => target.close());
  await farFuture(t, target);
});
