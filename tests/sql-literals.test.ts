// The one audited place that writes SQL literals: whatever the text, PostgreSQL reads back exactly it.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import t from 'tap';
import { comment, quoteIdent, quoteJsonb, quoteString, quoteUuid } from '../lib/sql/literals.js';
import { JsonNumber } from '../lib/transform/target-rows.js';
import { toTimestamptz } from '../lib/transform/timestamps.js';
import { needsPg, psql } from './helpers/pg.js';

t.test('forms', async (t) => {
  t.equal(quoteString("it's"), "'it''s'");
  t.equal(quoteString('a\\b'), "'a\\b'", 'a backslash is just a backslash (standard_conforming_strings)');
  t.equal(quoteString('two\nlines'), "'two\nlines'", 'newlines stay real newlines');
  t.equal(quoteString('tab\there \\ \'q\' \u0001'), "E'tab\\there \\\\ ''q'' \\x01'", 'E-form only with other control characters');
  t.equal(quoteString("'); DROP TABLE coaches; --"), "'''); DROP TABLE coaches; --'");
  t.equal(quoteIdent('name'), 'name');
  t.equal(quoteIdent('user'), '"user"');
  t.equal(quoteIdent('Odd"Name'), '"Odd""Name"');
  t.equal(quoteJsonb({ n: new JsonNumber('1.50'), s: "it's" }), `'{"n":1.50,"s":"it''s"}'::jsonb`);
  t.throws(() => quoteUuid("x'); DROP"), /not a UUID/);
  t.equal(comment('a\nb\r\nc'), '-- a b c', 'a comment cannot be broken out of');
});

t.test('any text round-trips through PostgreSQL (PGlite), 1,000 cases', async (t) => {
  const db = new PGlite();
  t.teardown(() => db.close());
  const texts = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom("'", "''", '\\', "\\'", "E'", '$$', '--', '/*', ';', '\r\n', '\u007f')).map((s) => s.replace(/\u0000/g, '')), { numRuns: 1000, seed: 7 });
  const sql = `SELECT ${texts.map((s, i) => `${quoteString(s)} AS c${i}`).join(',\n')};`;
  const r = await db.query<Record<string, string>>(sql);
  const got = texts.map((_, i) => r.rows[0]![`c${i}`]);
  t.same(got, texts);
  const json = await db.query<{ v: unknown }>(`SELECT ${quoteJsonb({ text: texts.slice(0, 50), n: new JsonNumber('12345678901234567890.5') })} AS v`);
  t.same((json.rows[0]!.v as { text: string[] }).text, texts.slice(0, 50));
});

t.test('timestamptz offsets agree with PostgreSQL, DST included', needsPg, async (t) => {
  const cases: [string, string][] = [];
  for (const zone of ['America/New_York', 'Europe/Lisbon', 'Australia/Sydney', 'Asia/Kolkata', 'UTC']) {
    for (const ts of ['2018-03-11 02:30:00', '2018-11-04 01:30:00.5', '2018-03-25 01:30:00', '2018-10-28 01:30:00', '2018-04-01 02:30:00', '2018-10-07 02:30:00.000001', '1900-01-01 00:00:00', '2024-02-29 23:59:59.999999']) cases.push([zone, ts]);
  }
  const sql = cases.map(([z, ts]) => `SELECT (timestamp '${ts}' AT TIME ZONE '${z}') = '${toTimestamptz(ts, z)}'::timestamptz;`).join('\n');
  const r = psql(['-At'], sql);
  t.equal(r.code, 0, r.stderr);
  t.same(r.stdout.trim().split('\n'), cases.map(() => 't'), `${cases.length} wall times in 5 zones read as PostgreSQL reads them`);
});
