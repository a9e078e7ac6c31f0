// The generated SQL against real PostgreSQL: the embedded one (PGlite, PostgreSQL 18) always, and a real
// server through the psql binary when DATABASE_URL is set (PostgreSQL 15 here).
import { PGlite } from '@electric-sql/pglite';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';

interface Db {
  exec(sql: string, file?: string): Promise<void>;
  rows(sql: string): Promise<string>;
}

/** The snapshot of the target that tells whether a statement rewrote a row: xmin per row. */
const SNAPSHOT = `SELECT string_agg(format('%s:%s:%s', tbl, k, x), ',' ORDER BY tbl, k) FROM (
  SELECT 'coaches' AS tbl, legacy_id::text AS k, xmin::text AS x FROM coaches
  UNION ALL SELECT 'categories', legacy_id::text, xmin::text FROM categories
  UNION ALL SELECT 'app_config', key, xmin::text FROM app_config) s`;
const CONTENT = `SELECT md5(string_agg(j, ',' ORDER BY j)) FROM (
  SELECT row_to_json(c)::text AS j FROM coaches c UNION ALL SELECT row_to_json(c)::text FROM categories c UNION ALL SELECT row_to_json(a)::text FROM app_config a) s`;

async function lifecycle(t: Test, db: Db, out: string): Promise<void> {
  const file = (n: string): string => readFileSync(join(out, n), 'utf8');
  const target = readFileSync('schemas/target.sql', 'utf8');
  await db.exec(target, 'schemas/target.sql');
  await db.exec(target, 'schemas/target.sql');
  t.pass('schemas/target.sql runs twice');
  // rows the migration did not write, which must survive everything
  await db.exec(`INSERT INTO coaches (legacy_id, name) VALUES (9001, 'Unrelated coach');
    INSERT INTO categories (legacy_id, name) VALUES (9002, 'Unrelated category');
    INSERT INTO app_config (key, value) VALUES ('unrelated_key', '{"keep": true}');`);
  const before = await db.rows(CONTENT);

  await db.exec(file('migration.sql'), join(out, 'migration.sql'));
  const first = await db.rows(SNAPSHOT);
  t.equal(await db.rows('SELECT count(*) FROM coaches WHERE legacy_id < 9000'), '6');
  t.equal(await db.rows('SELECT count(*) FROM categories WHERE legacy_id < 9000'), '10');
  await db.exec(file('migration.sql'), join(out, 'migration.sql'));
  t.equal(await db.rows(SNAPSHOT), first, 'a second run rewrites no row (every xmin unchanged)');

  await db.exec(file('verify.sql'), join(out, 'verify.sql'));
  t.pass('verify.sql passes');
  t.equal(
    await db.rows(`SELECT created_at::text FROM coaches WHERE legacy_id = 1`).then((s) => s.replace(/\+00$/, '')),
    '2023-03-14 09:26:53.589793',
    'microseconds survive',
  );
  t.equal(
    await db.rows(
      `SELECT CASE WHEN guidelines_file_text = rpad(E'Guidelines.\\nBe kind.\\tBe brief.\\\\ ', 1000000, E'Lorem ipsum dolor sit amet; \\\\N \\\\. \\t\\n') THEN 'same' ELSE 'differs' END FROM categories WHERE legacy_id = 30`,
    ),
    'same',
    'the 1 MB text arrives byte for byte',
  );
  t.equal(
    await db.rows(`SELECT name FROM coaches WHERE legacy_id = 5`),
    "Robert'); DROP TABLE coaches; --",
    'SQL in a value is data',
  );
  t.equal(
    await db.rows(`SELECT value::text FROM app_config WHERE key = 'var_big_int'`),
    '12345678901234567890123',
    'numbers keep their digits',
  );

  // tampering: each kind of change makes verify fail, naming what differs
  const tamper = async (change: string, undo: string, says: RegExp, what: string): Promise<void> => {
    await db.exec(change);
    let failed: string | null = null;
    try {
      await db.exec(file('verify.sql'), join(out, 'verify.sql'));
    } catch (e) {
      failed = (e as Error).message;
    }
    t.match(failed, says, `verify fails on ${what}`);
    await db.exec(undo);
  };
  await tamper(
    `UPDATE coaches SET name = 'Danny' WHERE legacy_id = 1`,
    `UPDATE coaches SET name = 'Daniel' WHERE legacy_id = 1`,
    /coaches: rows differ .*coach legacy id 1 \(name: 'Danny', expected 'Daniel'\)/,
    'a changed text',
  );
  await tamper(
    `UPDATE categories SET sort_order = 9 WHERE legacy_id = 3`,
    `UPDATE categories SET sort_order = 1 WHERE legacy_id = 3`,
    /categories: rows differ .*category legacy id 3 \(sort_order: '9', expected '1'\)/,
    'a changed number',
  );
  await tamper(
    `UPDATE app_config SET value = '4' WHERE key = 'var_max_checkins_per_day'`,
    `UPDATE app_config SET value = '3' WHERE key = 'var_max_checkins_per_day'`,
    /app_config: rows differ .*key var_max_checkins_per_day \(value: '4', expected '3'\)/,
    'a changed jsonb',
  );
  await tamper(
    `UPDATE coaches SET created_at = created_at + interval '1 microsecond', updated_at = updated_at + interval '1 microsecond' WHERE legacy_id = 2`,
    `UPDATE coaches SET created_at = created_at - interval '1 microsecond', updated_at = updated_at - interval '1 microsecond' WHERE legacy_id = 2`,
    /coach legacy id 2 \(created_at: '[^']+', expected '[^']+'\)/,
    'a timestamp one microsecond off',
  );
  await tamper(
    `DELETE FROM app_config WHERE key = 'prompt_summary'`,
    `INSERT INTO app_config (key, value, description, is_public, created_at, updated_at) VALUES ('prompt_summary', to_jsonb(E'Summarise the conversation in 3 bullet points.\\r\\nUse the user''s language.'::text), 'Prompt: summary', false, '2023-01-02 00:00:00+00', '2023-01-02 00:00:00+00')`,
    /app_config: 1 of 16 migrated rows missing: key prompt_summary/,
    'a missing row',
  );
  await tamper(
    `UPDATE categories SET parent_id = NULL WHERE legacy_id = 7`,
    `UPDATE categories SET parent_id = (SELECT id FROM categories WHERE legacy_id = 3) WHERE legacy_id = 7`,
    /category legacy id 7 \(parent_id: NULL, expected '[0-9a-f-]{36}'\)/,
    'a moved category',
  );
  await tamper(
    `UPDATE app_config SET value = jsonb_set(value, '{legacy_id}', '2') WHERE key = 'default_coach'`,
    `UPDATE app_config SET value = jsonb_set(value, '{legacy_id}', '1') WHERE key = 'default_coach'`,
    /key default_coach \(value: '\{"name": "Daniel", "legacy_id": 2, .*', expected '\{"name": "Daniel", "legacy_id": 1, .*'\)/,
    'a default coach pointing elsewhere',
  );
  await db.exec(file('verify.sql'), join(out, 'verify.sql'));
  t.pass('verify passes again once undone');

  await db.exec(file('rollback.sql'), join(out, 'rollback.sql'));
  t.equal(
    await db.rows(CONTENT),
    before,
    'rollback.sql brings the target back to its state before; unrelated rows survive',
  );
  t.equal(await db.rows(`SELECT count(*) FROM coaches`), '1');
}

let out = '';
t.before(async () => {
  out = join(t.testdirName, 'out');
  rmSync(t.testdirName, { recursive: true, force: true }); // a fixture folder left by an earlier run of the suite
  await runTransform({ dump: ['samples'], out, sourceTimezone: 'UTC', strict: false, breakCycles: false, env: {} });
});

t.test('PGlite (embedded PostgreSQL)', async (t) => {
  const pg = new PGlite();
  t.teardown(() => pg.close());
  const db: Db = {
    exec: async (sql) => {
      try {
        await pg.exec(sql);
      } catch (e) {
        await pg.exec('ROLLBACK').catch(() => undefined);
        throw e;
      }
    },
    rows: async (sql) => {
      const r = await pg.query<Record<string, unknown>>(sql);
      return String(Object.values(r.rows[0] ?? {})[0]);
    },
  };
  await lifecycle(t, db, out);
});

t.test('a real PostgreSQL through psql', needsPg, async (t) => {
  const url = scratchDb('totalis_lifecycle');
  t.teardown(() => dropDb('totalis_lifecycle'));
  const db: Db = {
    exec: async (sql, file) => {
      const r = file !== undefined ? psql(['-f', file], undefined, url) : psql([], sql, url);
      if (r.code !== 0) throw new Error(r.stderr);
    },
    rows: async (sql) => {
      const r = psql(['-At', '-c', sql], undefined, url);
      if (r.code !== 0) throw new Error(r.stderr);
      return r.stdout.trim();
    },
  };
  await lifecycle(t, db, out);
});
