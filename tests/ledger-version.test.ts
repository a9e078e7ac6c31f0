// The ledger's version (issue 28 item 8): a ledger as the release before versions made it (version 1,
// tests/fixtures/ledger-v1/target.sql = git show bed5881:schemas/target.sql) is refused until this release's
// target.sql upgrades it, then migration, verify and rollback work on it; a ledger claiming a later version is
// refused by every file, naming both versions. PGlite, and PostgreSQL 15 through psql with DATABASE_URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { LEDGER_VERSION, ledgerVersionCheckSql } from '../lib/sql/ledger-version.js';
import { needsPg } from './helpers/pg.js';
import { pgliteDb, psqlDb, STATE, type TestDb } from './helpers/target.js';

const TARGET = readFileSync('schemas/target.sql', 'utf8');
const TARGET_V1 = readFileSync('tests/fixtures/ledger-v1/target.sql', 'utf8');
const file = (out: string, f: string): string => readFileSync(join(out, f), 'utf8');
const VERSION = 'SELECT version FROM totalis_migrate.ledger_version';

function onBoth(name: string, body: (t: Test, db: TestDb) => Promise<void>): void {
  t.test(`${name} (PGlite)`, async (t) => body(t, await pgliteDb(t)));
  t.test(`${name} (PostgreSQL through psql)`, { ...needsPg }, async (t) =>
    body(
      t,
      psqlDb(
        t,
        `ledger_v_${name
          .replace(/[^a-z0-9]+/gi, '_')
          .toLowerCase()
          .slice(0, 40)}`,
      ),
    ),
  );
}

let A = '';
let B = '';
t.before(async () => {
  const root = t.testdirName;
  const run = { dump: ['samples'], sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} };
  A = join(root, 'A');
  B = join(root, 'B');
  await runTransform({ ...run, out: A });
  await runTransform({ ...run, out: B, defaultCoach: '2' });
});

t.test('target.sql records the version lib/sql/ledger-version.ts reads', async (t) => {
  t.match(
    TARGET,
    new RegExp(`INSERT INTO totalis_migrate.ledger_version \\(version\\) VALUES \\(${LEDGER_VERSION}\\)`),
  );
  t.match(
    TARGET,
    new RegExp(`IF v > ${LEDGER_VERSION} THEN`),
    "target.sql's refusal of a newer ledger uses the same number",
  );
});

onBoth(
  'a version 1 ledger with a run in it is upgraded by target.sql, then migration, verify and rollback work',
  async (t, db) => {
    await db.exec(TARGET_V1);
    t.equal(
      await db.value("SELECT to_regclass('totalis_migrate.ledger_version')::text"),
      '',
      'the old release kept no version',
    );
    // run A as the previous release applied it: its migration.sql had no version check and kept no record of what
    // it left (totalis_migrate.written, ledger version 2); otherwise the same file
    const check = ledgerVersionCheckSql('migration');
    t.ok(file(A, 'migration.sql').includes(check), "this release's migration.sql checks the version");
    const written = /-- what this run left, for the next run[^\n]*\n(?:(?:DELETE FROM|INSERT INTO|SELECT)[^\n]*\n)+/;
    t.match(file(A, 'migration.sql'), written, "this release's migration.sql records what the run left");
    await db.exec(file(A, 'migration.sql').replace(check, '').replace(written, ''));
    const s1 = await db.value(STATE);
    for (const [f, name] of [
      [file(B, 'migration.sql'), 'migration'],
      [file(A, 'verify.sql'), 'verify'],
      [file(A, 'rollback.sql'), 'rollback'],
    ] as const) {
      t.match(
        await db.failure(f),
        new RegExp(
          `${name}: the ledger \\(schema totalis_migrate\\) is version 1, older than this tool's \\(${LEDGER_VERSION}\\): run schemas/target.sql of this version first`,
        ),
        `${name}.sql refuses the old ledger`,
      );
    }
    t.equal(await db.value(STATE), s1, 'nothing changed');
    await db.exec(TARGET);
    t.equal(await db.value(VERSION), String(LEDGER_VERSION), 'target.sql upgraded the ledger');
    await db.exec(TARGET);
    t.equal(await db.value('SELECT count(*) FROM totalis_migrate.ledger_version'), '1', 'twice: still one row');
    t.equal(await db.failure(file(A, 'verify.sql')), null, "run A's verify.sql passes on the upgraded ledger");
    t.equal(await db.failure(file(B, 'migration.sql')), null, 'run B applies over the old run');
    t.equal(await db.failure(file(B, 'verify.sql')), null, "run B's verify.sql passes");
    t.equal(await db.failure(file(B, 'rollback.sql')), null, "run B's rollback.sql runs");
    t.equal(await db.value(STATE), s1, 'the target is as the old release left it');
    t.equal(
      await db.failure(file(A, 'rollback.sql')),
      null,
      "the old run's rollback.sql (this release's) runs from the old run's before-images",
    );
    t.equal(await db.value('SELECT count(*) FROM public.coaches'), '0', 'empty again');
  },
);

onBoth('a ledger claiming a later version is refused by every file and by target.sql', async (t, db) => {
  await db.exec(TARGET);
  await db.exec(file(A, 'migration.sql'));
  await db.exec(`UPDATE totalis_migrate.ledger_version SET version = ${LEDGER_VERSION + 1}`);
  const s = await db.value(STATE);
  const later = `is version ${LEDGER_VERSION + 1}, newer than this tool's \\(${LEDGER_VERSION}\\): a later totalis-migrate wrote it; use that version; nothing was changed`;
  t.match(
    await db.failure(file(B, 'migration.sql')),
    new RegExp(`migration: the ledger \\(schema totalis_migrate\\) ${later}`),
    'migration.sql refuses',
  );
  t.match(
    await db.failure(file(A, 'verify.sql')),
    new RegExp(`verify: the ledger \\(schema totalis_migrate\\) ${later}`),
    'verify.sql refuses',
  );
  t.match(
    await db.failure(file(A, 'rollback.sql')),
    new RegExp(`rollback: the ledger \\(schema totalis_migrate\\) ${later}`),
    'rollback.sql refuses',
  );
  t.match(
    await db.failure(TARGET),
    new RegExp(
      `schemas/target.sql: the ledger \\(schema totalis_migrate\\) is version ${LEDGER_VERSION + 1}, newer than this file's`,
    ),
    'target.sql refuses to downgrade it',
  );
  t.equal(await db.value(STATE), s, 'nothing changed');
  t.equal(await db.value(VERSION), String(LEDGER_VERSION + 1), 'the version stays');
});
