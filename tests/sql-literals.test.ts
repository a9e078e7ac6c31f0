// The one audited place that writes SQL literals: whatever the text, PostgreSQL reads back exactly it.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import t, { type Test } from 'tap';
import {
  comment,
  quoteIdent,
  quoteJsonb,
  quoteJsonbPart,
  quoteString,
  quoteStringPart,
  quoteUuid,
} from '../lib/sql/literals.js';
import { LazyText, LONG_TEXT, partsInclude, partsText, SLICE, slicesOf } from '../lib/text-parts.js';
import { stringifyExactJson, stringifyExactJsonParts } from '../lib/transform/exact-json.js';
import { JsonNumber } from '../lib/transform/target-rows.js';
import type { Finding } from '../lib/findings.js';
import { checkTimeZone, rowTimestamptz, toTimestamptz } from '../lib/transform/timestamps.js';
import { needsPg, psql } from './helpers/pg.js';

t.test('forms', async (t) => {
  t.equal(quoteString("it's"), "'it''s'");
  t.equal(quoteString('a\\b'), "'a\\b'", 'a backslash is just a backslash (standard_conforming_strings)');
  t.equal(quoteString('two\nlines'), "'two\nlines'", 'newlines stay real newlines');
  t.equal(
    quoteString("tab\there \\ 'q' \u0001"),
    "E'tab\\there \\\\ ''q'' \\x01'",
    'E-form only with other control characters',
  );
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
  const texts = fc.sample(
    fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom("'", "''", '\\', "\\'", "E'", '$$', '--', '/*', ';', '\r\n', '\u007f'),
      )
      .map((s) => s.replaceAll('\u0000', '')),
    { numRuns: 1000, seed: 7 },
  );
  const sql = `SELECT ${texts.map((s, i) => `${quoteString(s)} AS c${i}`).join(',\n')};`;
  const r = await db.query<Record<string, string>>(sql);
  const got = texts.map((_, i) => r.rows[0]![`c${i}`]);
  t.same(got, texts);
  const json = await db.query<{ v: unknown }>(
    `SELECT ${quoteJsonb({ text: texts.slice(0, 50), n: new JsonNumber('12345678901234567890.5') })} AS v`,
  );
  t.same((json.rows[0]!.v as { text: string[] }).text, texts.slice(0, 50));
});

t.test('timestamptz offsets agree with PostgreSQL, DST included', needsPg, async (t) => {
  const cases: [string, string][] = [];
  for (const zone of ['America/New_York', 'Europe/Lisbon', 'Australia/Sydney', 'Asia/Kolkata', 'UTC']) {
    for (const ts of [
      '2018-03-11 02:30:00',
      '2018-11-04 01:30:00.5',
      '2018-03-25 01:30:00',
      '2018-10-28 01:30:00',
      '2018-04-01 02:30:00',
      '2018-10-07 02:30:00.000001',
      '1900-01-01 00:00:00',
      '2024-02-29 23:59:59.999999',
    ])
      cases.push([zone, ts]);
  }
  const sql = cases
    .map(([z, ts]) => `SELECT (timestamp '${ts}' AT TIME ZONE '${z}') = '${toTimestamptz(ts, z)}'::timestamptz;`)
    .join('\n');
  const r = psql(['-At'], sql);
  t.equal(r.code, 0, r.stderr);
  t.same(
    r.stdout.trim().split('\n'),
    cases.map(() => 't'),
    `${cases.length} wall times in 5 zones read as PostgreSQL reads them`,
  );
});

// PostgreSQL's timestamps run to 294276, JavaScript's dates to 275760: far-future offsets from the zone's last
// rule; PGlite (always) and a real server (with DATABASE_URL) must agree on each instant and on what is out of
// range.
const FAR = ['America/New_York', 'Australia/Sydney', 'Pacific/Honolulu', 'Asia/Tokyo', 'Europe/Lisbon']
  .flatMap((zone) =>
    [
      '275760-09-13 12:00:00',
      '290000-07-04 12:00:00',
      '294276-01-15 03:00:00',
      '294276-06-30 12:30:00.5',
      '294276-12-31 11:00:00',
      '294276-12-31 23:00:00',
      '4714-11-24 05:00:00 BC',
      '4713-01-01 00:00:00 BC',
    ].map((ts) => [zone, ts] as const),
  )
  .concat([
    // either side of the last and the first instant
    ['America/New_York', '294276-12-31 18:59:59.999999'],
    ['America/New_York', '294276-12-31 19:00:00'],
    ['Asia/Tokyo', '4714-11-24 09:18:59 BC'],
    ['Asia/Tokyo', '4714-11-24 09:18:58.999999 BC'],
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
    if (pgSays !== null)
      t.equal(
        await run(`SELECT ('${ours}'::timestamptz = (timestamp '${ts}' AT TIME ZONE '${zone}'))::text`),
        'true',
        `${ts} in ${zone} → ${ours}`,
      );
  }
}

t.test("timestamps beyond JavaScript's dates, and out of timestamptz range: as PostgreSQL (PGlite)", async (t) => {
  const db = new PGlite();
  t.teardown(() => db.close());
  await farFuture(t, (sql) =>
    db.query<{ text: string }>(sql).then(
      (r) => Object.values(r.rows[0]!)[0] as string,
      () => null,
    ),
  );
});

t.test(
  "timestamps beyond JavaScript's dates, and out of timestamptz range: as PostgreSQL (server)",
  needsPg,
  async (t) => {
    await farFuture(t, async (sql) => {
      const r = psql(['-At', '-c', sql]);
      return r.code === 0 ? r.stdout.trim() : null;
    });
  },
);

// Every timestamp PostgreSQL accepts converts to the instant its AT TIME ZONE gives: zones with DST, odd and
// half-hour offsets, a date-line jump; the years 1, 99 (Date.UTC reads 0-99 as 1900-1999), 1000, the Gregorian
// switch, 1900, BC, and the ends of the range. Where Node's ICU and PostgreSQL's tz data differ (before 1970
// only), the transform warns (timestamp.before_1970); this asserts that no difference is from 1970 on.
const ZONES = [
  'America/New_York',
  'Europe/Amsterdam',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
  'Europe/Lisbon',
  'Africa/Monrovia',
  'Pacific/Kiritimati',
  'Europe/Dublin',
  'America/Sao_Paulo',
];
const STAMPS = [
  '0001-01-01 00:00:00',
  '0050-06-15 12:00:00',
  '0099-12-31 23:59:59.999999',
  '1000-03-01 00:00:00',
  '1582-10-04 12:00:00',
  '1582-10-15 12:00:00',
  '1899-12-31 23:59:59',
  '1900-01-01 00:00:00',
  '1937-06-01 12:00:00',
  '1969-12-31 23:59:59',
  '0044-03-15 12:00:00 BC',
  '0001-12-31 23:00:00 BC',
  '4713-01-01 00:00:00 BC',
  '1970-01-01 00:00:00',
  '2018-03-11 02:30:00',
  '2018-11-04 01:30:00',
  '2100-06-30 12:00:00',
  '294276-12-30 12:00:00',
];

async function edgeYears(t: Test, agree: (sql: string) => Promise<string[]>): Promise<void> {
  const cases = ZONES.flatMap((zone) => STAMPS.map((ts) => [zone, ts] as const));
  const ours = cases.map(([zone, ts]) => toTimestamptz(ts, zone));
  const same = await agree(
    cases
      .map(([zone, ts], i) => `SELECT ('${ours[i]}'::timestamptz = (timestamp '${ts}' AT TIME ZONE '${zone}'))::text;`)
      .join('\n'),
  );
  const differ = cases.filter((_, i) => same[i] !== 'true').map(([zone, ts]) => `${zone} ${ts}`);
  t.equal(same.length, cases.length, `${cases.length} answers`);
  t.same(
    differ.filter((d) => !/ BC$/.test(d) && Number(/ (\d+)-/.exec(d)![1]) >= 1970),
    [],
    `${cases.length - differ.length} of ${cases.length} the same instant; none differs from 1970 on`,
  );
  t.same(
    differ.filter((d) => !d.startsWith('Europe/Amsterdam')),
    [],
    `the differences are all Europe/Amsterdam's history before 1970 (${differ.length}), which the transform warns about`,
  );
}

t.test('timestamps in any year, in zones with odd offsets: the instant PostgreSQL gives (PGlite)', async (t) => {
  const db = new PGlite();
  t.teardown(() => db.close());
  await edgeYears(t, async (sql) => {
    const out: string[] = [];
    for (const q of sql.split('\n')) out.push(Object.values((await db.query(q)).rows[0] as object)[0] as string);
    return out;
  });
});

t.test(
  'timestamps in any year, in zones with odd offsets: the instant PostgreSQL gives (server)',
  needsPg,
  async (t) => {
    await edgeYears(t, async (sql) => {
      const r = psql(['-At'], sql);
      t.equal(r.code, 0, r.stderr);
      return r.stdout.trim().split('\n');
    });
  },
);

t.test(
  'a converted timestamp before 1970 is a warning naming the row and column; UTC and later years are not',
  async (t) => {
    const findings: Finding[] = [];
    t.equal(
      rowTimestamptz('0050-06-15 12:00:00', 'America/New_York', 'tls_coach#7', 'time_create', findings),
      '0050-06-15 12:00:00-04:56:02',
    );
    t.equal(
      rowTimestamptz('1937-06-01 12:00:00', 'Europe/Amsterdam', 'tls_category#3', 'time_create', findings),
      '1937-06-01 12:00:00+01:00',
    );
    rowTimestamptz('0044-03-15 12:00:00 BC', 'Asia/Kolkata', 'tls_prompt#1', 'time_create', findings);
    rowTimestamptz('1970-01-01 00:00:00', 'Europe/Amsterdam', 'tls_prompt#2', 'time_create', findings);
    rowTimestamptz('1937-06-01 12:00:00', 'UTC', 'tls_prompt#3', 'time_create', findings);
    t.same(
      findings.map((f) => [f.severity, f.code, f.subject]),
      [
        ['warning', 'timestamp.before_1970', 'tls_coach#7'],
        ['warning', 'timestamp.before_1970', 'tls_category#3'],
        ['warning', 'timestamp.bc', 'tls_prompt#1'],
        ['warning', 'timestamp.before_1970', 'tls_prompt#1'],
      ],
    );
    t.match(
      findings[1]!.message,
      /time_create 1937-06-01 12:00:00 in Europe\/Amsterdam became 1937-06-01 12:00:00\+01:00/,
    );
  },
);

// Long values are quoted and escaped a slice at a time (text-parts.ts): the text must be exactly what quoting the
// whole would give, with a surrogate pair, a quote, a backslash, a control character or DEL at every boundary.
t.test('a long value quoted in slices is the same text as quoted whole', async (t) => {
  const edge = ['🙂', "'", '\\', '\t', '\u007f', '"', '\n', 'é'];
  for (const e of edge) {
    const s = ('a'.repeat(SLICE - 1) + e).repeat(Math.ceil(LONG_TEXT / SLICE) + 1);
    t.equal(partsText([quoteStringPart(s)]), quoteString(s), `text, ${JSON.stringify(e)} at each boundary`);
    t.equal(partsText([quoteJsonbPart(s)]), quoteJsonb(s), `jsonb, ${JSON.stringify(e)} at each boundary`);
    t.equal(
      partsText(stringifyExactJsonParts({ k: [s, true], m: s }, '  ')),
      stringifyExactJson({ k: [s, true], m: s }, '  '),
      `JSON, ${JSON.stringify(e)} at each boundary`,
    );
    t.equal([...slicesOf(s)].join(''), s);
  }
  const db = new PGlite();
  t.teardown(() => db.close());
  const s = ('x'.repeat(SLICE - 1) + "🙂'\t\\").repeat(40);
  const r = await db.query<{ t: string; j: string }>(
    `SELECT encode(convert_to(${partsText([quoteStringPart(s)])}, 'UTF8'), 'hex') AS t, encode(convert_to(${partsText([quoteJsonbPart(s)])} #>> '{}', 'UTF8'), 'hex') AS j`,
  );
  t.equal(Buffer.from(r.rows[0]!.t, 'hex').toString('utf8'), s, 'PostgreSQL reads the text back exactly');
  t.equal(Buffer.from(r.rows[0]!.j, 'hex').toString('utf8'), s, 'and the jsonb string');
  t.ok(
    partsInclude(['ab$ver', new LazyText(() => ['if', 'y$c'])], '$verify$'),
    'a needle across parts and slices is found',
  );
  t.notOk(partsInclude(['ab$ver', new LazyText(() => ['ifx', 'y$c'])], '$verify$'));
});

t.test('--source-timezone: IANA names and UTC pass, anything else is refused by name', async (t) => {
  for (const zone of ['UTC', 'Etc/UTC', 'utc', 'Europe/Lisbon', 'America/New_York'])
    t.doesNotThrow(() => checkTimeZone(zone), zone);
  // (a string as `message` matches as a part of the message)
  for (const zone of ['Mars/Olympus', 'UTC+1', ''])
    t.throws(
      () => checkTimeZone(zone),
      { code: 'OPTION_INVALID', message: `--source-timezone ${JSON.stringify(zone)} is not a time zone name` },
      JSON.stringify(zone),
    );
  // the two names the shortcut takes read the same, and a spelling it does not take reaches the same answer
  for (const zone of ['UTC', 'Etc/UTC'])
    t.equal(toTimestamptz('2023-03-14 09:26:53.5', zone), '2023-03-14 09:26:53.5+00:00', zone);
  t.equal(
    toTimestamptz('2023-03-14 09:26:53.5', 'utc'),
    '2023-03-14 09:26:53.5+00:00',
    'another spelling of UTC goes the long way, to the same answer',
  );
});
