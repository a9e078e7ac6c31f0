// tls_coach → coaches: every rule of docs/mapping.md, and the ids.
import { spawnSync } from 'node:child_process';
import t from 'tap';
import type { Finding } from '../lib/findings.js';
import { mapCoaches, mapSex, slug, voiceId, yearOfBirth } from '../lib/transform/coaches.js';
import { rowTimestamptz } from '../lib/transform/timestamps.js';
import { categoryId, coachId, ID_NAMESPACE, uuidV5 } from '../lib/transform/uuid-v5.js';
import { needsPg, psql } from './helpers/pg.js';
import { coach } from './helpers/records.js';

const noImages = { urlFor: () => null };

// Python's uuid module is the independent implementation here; a machine without python3 skips it, saying so
// (the PostgreSQL check below is the other one).
const noPython =
  spawnSync('python3', ['--version']).status === 0
    ? false
    : "python3 is not installed (it checks our UUIDv5 against Python's uuid.uuid5)";
t.test("UUIDv5 ids agree with Python's uuid.uuid5 (an independent implementation)", { skip: noPython }, async (t) => {
  const names = ['coach:1', 'coach:42', 'category:7', 'category:-1', 'coach:2147483647', 'ünï/cödé'];
  const py = spawnSync('python3', [
    '-c',
    `import uuid,sys\nfor n in sys.argv[1:]: print(uuid.uuid5(uuid.UUID('${ID_NAMESPACE}'), n))`,
    ...names,
  ]);
  t.equal(py.status, 0, 'python3 ran');
  t.same(
    names.map((n) => uuidV5(n)),
    py.stdout.toString().trim().split('\n'),
  );
  t.equal(coachId(1), uuidV5('coach:1'));
  t.equal(categoryId(7), uuidV5('category:7'));
  t.not(coachId(1), categoryId(1), 'coach and category ids never collide');
});

t.test("UUIDv5 ids agree with PostgreSQL's uuid-ossp", needsPg, async (t) => {
  const r = psql([
    '-At',
    '-c',
    'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"',
    '-c',
    `SELECT uuid_generate_v5('${ID_NAMESPACE}', 'coach:1')::text, uuid_generate_v5('${ID_NAMESPACE}', 'category:30')::text`,
  ]);
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout.trim(), `${coachId(1)}|${categoryId(30)}`);
});

t.test('sex', async (t) => {
  const cases: [string | null, string | null][] = [
    ['M', 'male'],
    [' male ', 'male'],
    ['MAN', 'male'],
    ['f', 'female'],
    ['Female', 'female'],
    ['woman', 'female'],
    ['n', 'non_binary'],
    ['NB', 'non_binary'],
    ['non-binary', 'non_binary'],
    ['non_binary', 'non_binary'],
    ['nonbinary', 'non_binary'],
    ['Non Binary', 'non_binary'],
    ['o', 'other'],
    ['other', 'other'],
    ['X', 'other'],
    [null, null],
    ['', null],
    ['   ', null],
  ];
  for (const [raw, want] of cases) {
    const f: Finding[] = [];
    t.equal(mapSex(raw, 's', f), want, JSON.stringify(raw));
    t.same(f, [], `${JSON.stringify(raw)}: no finding`);
  }
  const f: Finding[] = [];
  t.equal(mapSex('Wizard', 'tls_coach#5', f), 'other');
  t.same(
    f.map((x) => [x.severity, x.code, x.subject]),
    [['warning', 'coach.sex.unknown', 'tls_coach#5']],
  );
});

t.test('year_of_birth', async (t) => {
  const yob = (intro: string | null, tc: string | null = '2023-06-01 00:00:00'): [number | null, string[]] => {
    const f: Finding[] = [];
    return [yearOfBirth(intro, tc, 'tls_coach#1', f), f.map((x) => `${x.severity} ${x.code}`)];
  };
  t.same(yob('I was born in 1985 in Porto'), [1985, []], 'rule 1: born … year');
  t.same(yob('Born: 1990'), [1990, []], 'rule 1, case-insensitive');
  t.same(
    yob('born a long long long long time ago in 1970'),
    [null, ['info coach.year_of_birth.not_found']],
    'rule 1: at most 30 code points between',
  );
  t.same(yob('Birth year: 1979.'), [1979, []], 'rule 1: birth year');
  t.same(yob('birthyear=2001', '2020-01-01 00:00:00'), [2001, []], 'rule 1: birth year without a space');
  t.same(yob('Aged: 41'), [1982, []], 'rule 2: aged, reference year 2023');
  t.same(yob('age=30'), [1993, []], 'rule 2: age=');
  t.same(yob('I am 34 years old'), [1989, []], 'rule 3');
  t.same(yob('a 25-year-old coach', '2020-01-01 00:00:00'), [1995, []], 'rule 3 with hyphens');
  t.same(yob('29 yrs old'), [1994, []], 'rule 3: yrs');
  t.same(
    yob('I am 230 years old'),
    [null, ['warning coach.year_of_birth.rejected']],
    'an age outside 16..100 is not valid, and said',
  );
  t.same(yob('aged 12'), [null, ['warning coach.year_of_birth.rejected']], 'too young');
  t.same(yob('born in 2030, aged 40'), [1983, []], 'a year after the reference year is not valid: the next rule wins');
  t.same(yob('born in 1899'), [null, ['warning coach.year_of_birth.rejected']], 'before 1900 is not valid, and said');
  t.same(
    yob('I am 34 years old', '2010-01-01 00:00:00'),
    [1976, []],
    "the reference year is time_create's, never today",
  );
  t.same(
    yob('I am 34 years old', null),
    [null, ['warning coach.year_of_birth.no_reference']],
    'age but no time_create',
  );
  t.same(yob('born in 1985', null), [1985, []], 'a year needs no reference');
  t.same(yob(null), [null, ['info coach.year_of_birth.not_found']]);
  t.same(yob('the newborn 1985 model'), [null, ['info coach.year_of_birth.not_found']], '\\b: "newborn" is not "born"');
});

t.test('voice_id and slug', async (t) => {
  t.equal(voiceId('Daniel', 'male', 1), 'daniel_m', "the contract's example");
  t.equal(voiceId('Ana María', 'female', 2), 'ana_maria_f', 'combining marks dropped');
  t.equal(voiceId('Zoë Ñandú', 'other', 6), 'zoe_nandu_x');
  t.equal(voiceId('Sam', null, 4), 'sam_x', 'NULL sex → x');
  t.equal(voiceId('Alex', 'non_binary', 9), 'alex_nb');
  t.equal(voiceId('李小龙 🐉', 'non_binary', 3), 'coach_3_nb', 'an empty slug becomes coach_<legacy id>');
  t.equal(slug('  --Hello,  World!--  '), 'hello_world');
  t.equal(slug('ﬁve²'), 'five2', 'NFKD folds compatibility characters');
  t.equal(slug("Robert'); DROP TABLE coaches; --"), 'robert_drop_table_coaches');
});

t.test('mapCoaches: rows, text verbatim, ids, timestamps, names', async (t) => {
  const urls = { urlFor: (id: number | null) => (id === null ? null : `url:${id}`) };
  const text = ' Tabs\there \\N \r\n 日本 ';
  const r = mapCoaches(
    [
      coach({
        id: 2,
        name: text,
        description: '',
        intro: null,
        prompt: text,
        sex: 'F',
        image_id: 5,
        image30_id: 6,
        image45_id: null,
        image60_id: 8,
        time_create: '2021-02-03 04:05:06.000001',
      }),
      coach({ id: 1, time_create: null }),
    ],
    urls,
    'UTC',
  );
  t.same(
    r.rows.map((x) => x.legacy_id),
    [1, 2],
    'sorted by legacy id',
  );
  const c = r.rows[1]!;
  t.equal(c.id, coachId(2));
  t.equal(c.name, text, 'name verbatim: no trimming');
  t.equal(c.prompt, text);
  t.equal(c.description, '', 'empty stays empty');
  t.equal(c.intro, null, 'NULL stays NULL');
  t.same([c.photo_url, c.photo_30_url, c.photo_45_url, c.photo_60_url], ['url:5', 'url:6', null, 'url:8']);
  t.equal(c.created_at, '2021-02-03 04:05:06.000001+00:00', 'microseconds kept, explicit offset');
  t.equal(c.updated_at, c.created_at, 'updated_at = created_at at insert');
  t.same(c.voice_settings, {});
  t.equal(c.is_active, true);
  t.equal(r.rows[0]!.created_at, null, 'NULL time_create: left to the default');
  const bad = mapCoaches([coach({ id: 3, name: null }), coach({ id: 4, name: '  ' })], noImages, 'UTC');
  t.same(
    bad.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.subject]),
    [
      ['coach.name.missing', 'tls_coach#3'],
      ['coach.name.missing', 'tls_coach#4'],
    ],
  );
});

t.test('a time_create no timestamptz holds, once read in the source zone: an error naming the row', async (t) => {
  const r = mapCoaches(
    [
      coach({ id: 7, name: 'Far', time_create: '294276-12-31 23:00:00' }),
      coach({ id: 8, name: 'Near', time_create: '294276-12-31 12:00:00' }),
    ],
    noImages,
    'Pacific/Honolulu',
  );
  t.same(
    r.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.subject]),
    [['timestamp.out_of_range', 'tls_coach#7']],
  );
  t.match(
    r.findings[0]!.message,
    /^time_create: 294276-12-31 23:00:00 in Pacific\/Honolulu \(UTC-10:00\) is outside the instants PostgreSQL's timestamptz holds$/,
  );
  t.equal(r.rows[1]!.created_at, '294276-12-31 12:00:00-10:00', 'the year 294276 itself is fine');
  // only the range makes a finding: text that is no timestamp at all (the reader refuses it first) still throws
  const findings: Finding[] = [];
  t.throws(() => rowTimestamptz('yesterday', 'Pacific/Honolulu', 'tls_coach#9', 'time_create', findings), {
    code: 'VALUE_TIMESTAMP',
    message: /not a timestamp/,
  });
  t.same(findings, []);
});
