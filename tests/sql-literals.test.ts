// The one audited place that writes SQL literals: whatever the text, PostgreSQL reads back exactly it.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import t, { type Test } from 'tap';
import { comment, quoteIdent, quoteJsonb, quoteString, quoteUuid } from '../lib/sql/literals.js';
import { JsonNumber } from '../lib/transform/target-rows.js';
import { checkTimeZone, toTimestamptz } from '../lib/transform/timestamps.js';
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

// PostgreSQL's timestamps run to 294276, JavaScript's dates to 275760: far-future offsets from the zone's last
// rule; PGlite (always) and a real server (with DATABASE_URL) must agree on each instant and on what is out of
// range.
const FAR = ['America/New_York', 'Australia/Sydney', 'Pacific/Honolulu', 'Asia/Tokyo', 'Europe/Lisbon'].flatMap((zone) =>
  ['275760-09-13 12:00:00', '290000-07-04 12:00:00', '294276-01-15 03:00:00', '294276-06-30 12:30:00.5', '294276-12-31 11:00:00', '294276-12-31 23:00:00', '4714-11-24 05:00:00 BC', '4713-01-01 00:00:00 BC'].map((ts) => [zone, ts] as const),
).concat([
  // either side of the last and the first instant
  ['America/New_York', '294276-12-31 18:59:59.999999'], ['America/New_York', '294276-12-31 19:00:00'],
  ['Asia/Tokyo', '4714-11-24 09:18:59 BC'], ['Asia/Tokyo', '4714-11-24 09:18:58.999999 BC'],
]);

async function farFuture(t: Test, run: (sql: string) => Promise<string | null>): Promise<void> {
  for (const [zone, ts] of FAR) {
    const pgSays = await run(`SELECT (timestamp '${ts}' AT TIME ZONE '${zone}')::text`);
    let ours: string;
    try {
      ours = toTimestamptz(ts, zone);
    } catch (e) {
      t.equal(pgSays, null, `${ts} in ${zone}: we refuse it (${(e as Error).message}), and so does PostgreSQL`);
      continue;
    }
    t.not(pgSays, null, `${ts} in ${zone}: PostgreSQL takes it too`);
    if (pgSays !== null) t.equal(await run(`SELECT ('${ours}'::timestamptz = (timestamp '${ts}' AT TIME ZONE '${zone}'))::text`), 'true', `${ts} in ${zone} → ${ours}`);
  }
}

t.test("timestamps beyond JavaScript's dates, and out of timestamptz range: as PostgreSQL (PGlite)", async (t) => {
  const db = new PGlite();
  t.teardown(() => db.close());
  await farFuture(t, (sql) => db.query<{ text: string }>(sql).then((r) => Object.values(r.rows[0]!)[0] as string, () => null));
});

t.test("timestamps beyond JavaScript's dates, and out of timestamptz range: as PostgreSQL (server)", needsPg, async (t) => {
  await farFuture(t, async (sql) => {
    const r = psql(['-At', '-c', sql]);
    return r.code === 0 ? r.stdout.trim() : null;
  });
});

t.test('--source-timezone: IANA names and UTC pass, anything else is refused by name', async (t) => {
  for (const zone of ['UTC', 'Etc/UTC', 'utc', 'Europe/Lisbon', 'America/New_York']) t.doesNotThrow(() => checkTimeZone(zone), zone);
  // (a string as `message` matches as a part of the message)
  for (const zone of ['Mars/Olympus', 'UTC+1', '']) t.throws(() => checkTimeZone(zone), { code: 'OPTION_INVALID', message: `--source-timezone ${JSON.stringify(zone)} is not a time zone name` }, JSON.stringify(zone));
  // the two names the shortcut takes read the same, and a spelling it does not take reaches the same answer
  for (const zone of ['UTC', 'Etc/UTC']) t.equal(toTimestamptz('2023-03-14 09:26:53.5', zone), '2023-03-14 09:26:53.5+00:00', zone);
  t.equal(toTimestamptz('2023-03-14 09:26:53.5', 'utc'), '2023-03-14 09:26:53.5+00:00', 'another spelling of UTC goes the long way, to the same answer');
});
