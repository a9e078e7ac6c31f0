// Issue 27, item 6: the year of birth. One validity rule (1900 or later, and age 16 to 100 in the reference
// year), a found-and-rejected value said with why, the common phrasings, ±infinity and BC time_create said as
// they are, and the ASCII rules docs/mapping.md states.
import t from 'tap';
import type { Finding } from '../lib/findings.js';
import { yearOfBirth } from '../lib/transform/coaches.js';

const yob = (intro: string, tc: string | null = '2023-06-01 00:00:00'): { year: number | null; findings: string[] } => {
  const f: Finding[] = [];
  const year = yearOfBirth(intro, tc, 'tls_coach#1', f);
  return { year, findings: f.map((x) => `${x.severity} ${x.code}: ${x.message}`) };
};

t.test('a year found and rejected is said: which year, and why', async (t) => {
  t.same(yob('born in 1899'), {
    year: null,
    findings: [
      'warning coach.year_of_birth.rejected: the intro gives "born in 1899": 1899 is before 1900: year_of_birth is NULL',
    ],
  });
  t.same(yob('aged 12'), {
    year: null,
    findings: [
      'warning coach.year_of_birth.rejected: the intro gives "aged 12": age 12 is outside 16 to 100: year_of_birth is NULL',
    ],
  });
});

t.test(
  'one rule for years and ages: born 2010 for a coach created in 2022 is age 12, rejected like "aged 12"',
  async (t) => {
    t.same(yob('born in 2010', '2022-03-01 00:00:00'), {
      year: null,
      findings: [
        'warning coach.year_of_birth.rejected: the intro gives "born in 2010": 2010 is age 12 in 2022, the year of time_create (ages 16 to 100 are taken): year_of_birth is NULL',
      ],
    });
    t.equal(yob('born in 2006', '2022-03-01 00:00:00').year, 2006, 'age 16: taken');
    t.equal(yob('born in 1922', '2022-03-01 00:00:00').year, 1922, 'age 100: taken');
    t.equal(yob('born in 1921', '2022-03-01 00:00:00').year, null, 'age 101: rejected, as "aged 101" is');
    t.equal(yob('aged 101', '2022-03-01 00:00:00').year, null);
    t.same(
      yob('born in 2030, aged 40').year,
      1983,
      'a rejected year lets the next rule decide; nothing is said of it then',
    );
  },
);

t.test('common phrasings', async (t) => {
  const cases: [string, number][] = [
    ['Year of birth: 1992', 1992],
    ['b. 1969', 1969],
    ['Born: 12/03/1990', 1990],
    ['born on the 4th of July, 1976', 1976],
    ['Date of birth 01.02.1985', 1985],
    ['BORN IN 1985', 1985],
    ['birth year 1979', 1979],
    ['Birthyear: 1979', 1979],
  ];
  for (const [intro, year] of cases) t.same(yob(intro), { year, findings: [] }, intro);
  t.same(yob('Plan b.').findings, [
    'info coach.year_of_birth.not_found: no birth year or age found in the intro: year_of_birth is NULL',
  ]);
  t.equal(yob('born in the 1980s').year, null, 'a decade is not a year');
  t.equal(yob('the newborn 1985 model').year, null, '"newborn" is not "born"');
  t.equal(yob('web. 1985').year, null, '"b." starts a word');
});

t.test('NULL, infinite and BC time_create: said as they are, with the reference year', async (t) => {
  t.same(yob('aged 30', null).findings, [
    'warning coach.year_of_birth.no_reference: the intro gives an age ("aged 30") but time_create is NULL, so there is no reference year: year_of_birth is NULL',
  ]);
  t.same(yob('aged 30', 'infinity').findings, [
    'warning coach.year_of_birth.no_reference: the intro gives an age ("aged 30") but time_create is infinity, so there is no reference year: year_of_birth is NULL',
  ]);
  t.same(yob('aged 30', '-infinity').findings, [
    'warning coach.year_of_birth.no_reference: the intro gives an age ("aged 30") but time_create is -infinity, so there is no reference year: year_of_birth is NULL',
  ]);
  t.same(yob('born 2023', '1000-01-01 00:00:00 BC'), {
    year: null,
    findings: [
      'warning coach.year_of_birth.rejected: the intro gives "born 2023": 2023 is age -3022 in 1000 BC, the year of time_create (ages 16 to 100 are taken): year_of_birth is NULL',
    ],
  });
  t.same(yob('aged 30', '1000-01-01 00:00:00 BC'), {
    year: null,
    findings: [
      'warning coach.year_of_birth.rejected: the intro gives "aged 30": age 30 in 1000 BC, the year of time_create, is a birth in 1030 BC, before 1900: year_of_birth is NULL',
    ],
  });
  t.same(
    yob('born in 1985', 'infinity'),
    { year: 1985, findings: [] },
    'a year stated outright needs no reference year (1900 or later)',
  );
  t.equal(yob('aged 30', '0950-01-01 00:00:00').year, null, 'an early reference year: the birth would be before 1900');
});

t.test('the rules are ASCII rules, counted in code points (docs/mapping.md)', async (t) => {
  t.equal(yob('30\u00a0years old').year, null, 'a no-break space is not a space of the rules');
  t.equal(yob('30\tyears\nold').year, 1993, 'tab and newline are');
  t.equal(yob('\u0130aged 30').year, 1993, 'a non-ASCII letter is not a word character: "aged" starts a word after İ');
  t.equal(yob('ﬁaged 30').year, 1993, 'nor is a ligature');
  t.equal(yob('aged\u200b30').year, null, 'a zero-width space is neither a space nor nothing');
  t.equal(
    yob(`born ${'😀'.repeat(28)} 1985`).year,
    1985,
    '30 code points between "born" and the year (58 UTF-16 units) are allowed',
  );
  t.equal(yob(`born ${'😀'.repeat(29)} 1985`).year, null, '31 are not');
  t.equal(yob('ａｇｅｄ 30').year, null, 'fullwidth letters are not ASCII');
});
