// Issue 27, items 1, 2 and 8: the winner among rows with one key follows one total order whatever the rows'
// order; an infinite time_create is a time like any other; an empty name is no name.
import fc from 'fast-check';
import t from 'tap';
import { sortFindings } from '../lib/findings.js';
import type { PromptRecord, SystemRecord, VariableRecord } from '../lib/legacy/records.js';
import { compareTimestampText, mapAppConfig } from '../lib/transform/app-config.js';
import { mapCoaches } from '../lib/transform/coaches.js';
import { dumpChecks } from '../lib/transform/dump-checks.js';
import { stringifyExactJson } from '../lib/transform/exact-json.js';
import { coach } from './helpers/records.js';

const coaches = mapCoaches(
  [coach({ id: 1, name: 'Daniel', sex: 'M' }), coach({ id: -5, name: 'Neg' })],
  { urlFor: () => null },
  'UTC',
).rows;
const variable = (id: number, name: string | null, tc: string | null): VariableRecord => ({
  id,
  name,
  value: `v${id}`,
  user: null,
  time_create: tc,
});
const run = (
  variables: readonly VariableRecord[],
  prompts: readonly PromptRecord[] = [],
  systems: readonly SystemRecord[] = [],
) => mapAppConfig({ prompts, variables, systems, coaches, defaultCoach: {}, sourceZone: 'UTC' });
/** The whole output as one text: rows in their order, findings sorted (as the pipeline sorts them), origins by key (a lookup table). */
const output = (r: ReturnType<typeof run>): string =>
  stringifyExactJson([r.rows as never, sortFindings(r.findings) as never, [...r.origins].sort() as never]);

t.test(
  'item 1: a duplicate key with an infinite time_create: no crash; infinity is the newest, -infinity the oldest',
  async (t) => {
    const r = run([variable(1, 'theme', 'infinity'), variable(2, 'theme', '2020-01-01 00:00:00')]);
    t.equal(r.rows.find((x) => x.key === 'var_theme')!.value, 'v1', 'infinity wins over 2020');
    t.match(r.findings.find((f) => f.code === 'config.key.duplicate')!.message, /dropped: tls_variable#2$/);
    const m = run([
      variable(1, 'theme', '-infinity'),
      variable(2, 'theme', '0044-03-15 12:00:00 BC'),
      variable(3, 'theme', null),
    ]);
    t.equal(m.rows.find((x) => x.key === 'var_theme')!.value, 'v2', '44 BC is newer than -infinity; NULL comes last');
    t.ok(compareTimestampText('-infinity', '4713-01-01 00:00:00 BC') < 0);
    t.ok(compareTimestampText('294276-01-01 00:00:00', 'infinity') < 0);
    t.ok(compareTimestampText('0001-01-01 00:00:00 BC', '0001-01-01 00:00:00') < 0, '1 BC before 1 AD');
    t.ok(compareTimestampText('0002-06-01 00:00:00 BC', '0001-01-01 00:00:00 BC') < 0, '2 BC before 1 BC');
    t.equal(compareTimestampText('2020-01-01 00:00:00.5', '2020-01-01 00:00:00.50'), 0, '.5 and .50 are one instant');
    t.ok(compareTimestampText('2020-01-01 00:00:00', '2020-01-01 00:00:00.000001') < 0);
  },
);

t.test("item 2: the issue's three rows give the 2022 row in every order", async (t) => {
  const rows = [
    variable(1, 'k', '2022-01-01 00:00:00'),
    variable(2, 'k', null),
    variable(3, 'k', '2021-01-01 00:00:00'),
  ];
  for (const order of [
    [0, 1, 2],
    [1, 2, 0],
    [2, 1, 0],
    [1, 0, 2],
    [0, 2, 1],
    [2, 0, 1],
  ]) {
    t.equal(
      run(order.map((i) => rows[i]!)).rows.find((x) => x.key === 'var_k')!.value,
      'v1',
      `order ${order.join(',')}`,
    );
  }
});

/** A time_create text of every kind: NULL, ±infinity, BC, AD, with and without a fraction. */
const timeText = fc.oneof(
  fc.constant(null),
  fc.constantFrom('infinity', '-infinity'),
  fc
    .record({
      y: fc.integer({ min: 1, max: 3000 }),
      mo: fc.integer({ min: 1, max: 2 }),
      frac: fc.constantFrom('', '.5', '.50', '.000001'),
      bc: fc.boolean(),
    })
    .map(({ y, mo, frac, bc }) => `${String(y).padStart(4, '0')}-0${mo}-01 00:00:00${frac}${bc ? ' BC' : ''}`),
);

t.test('item 2 (property): any order of the same rows gives the same output', async (t) => {
  const rowsArb = fc.uniqueArray(
    fc.record({ id: fc.integer({ min: -50, max: 50 }), name: fc.constantFrom('a', 'b', 'c', '', null), tc: timeText }),
    { selector: (r) => r.id, minLength: 1, maxLength: 9 },
  );
  fc.assert(
    fc.property(rowsArb, fc.func(fc.integer()), (rows, rank) => {
      const recs = rows.map((r) => variable(r.id, r.name, r.tc));
      const shuffled = [...recs].sort((a, b) => rank(a.id) - rank(b.id) || a.id - b.id);
      const a = output(run(recs));
      const b = output(run([...recs].reverse()));
      const c = output(run(shuffled));
      return a === b && a === c;
    }),
    { numRuns: 400, seed: 27 },
  );
  t.pass('400 generated row sets, each in three orders');
});

t.test('item 2 (property): the winner is the first row of the written order', async (t) => {
  // the doc's order, computed here independently: newest time first (±infinity as PostgreSQL orders them), NULL last,
  // then highest id
  const instant = (s: string): number => {
    if (s === 'infinity') return Infinity;
    if (s === '-infinity') return -Infinity;
    const m = /^(\d+)-(\d\d)-01 00:00:00(\.\d+)?( BC)?$/.exec(s)!;
    const year = m[4] === undefined ? Number(m[1]) : 1 - Number(m[1]);
    return (year * 12 + Number(m[2])) * 10 + Number(m[3] ?? 0) * 10;
  };
  const rowsArb = fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 30 }), tc: timeText }), {
    selector: (r) => r.id,
    minLength: 1,
    maxLength: 8,
  });
  fc.assert(
    fc.property(rowsArb, (rows) => {
      const best = [...rows].sort(
        (a, b) =>
          (a.tc === null ? 1 : 0) - (b.tc === null ? 1 : 0) ||
          (a.tc !== null && b.tc !== null ? instant(b.tc) - instant(a.tc) || 0 : 0) ||
          b.id - a.id,
      )[0]!;
      const r = run(rows.map((x) => variable(x.id, 'k', x.tc)));
      return r.origins.get('var_k') === `tls_variable#${best.id}`;
    }),
    { numRuns: 400, seed: 2027 },
  );
  t.pass('400 generated groups');
});

t.test('item 8: an empty name is skipped like a NULL one, with the same warning; no bare-prefix key', async (t) => {
  const r = run(
    [variable(1, '', '2020-01-01 00:00:00'), variable(2, null, null)],
    [{ id: 3, name: '', prompt: 'p', time_create: null }],
    [{ id: 4, name: '', value: '1', time_create: null }],
  );
  t.same(
    r.rows.map((x) => x.key),
    ['default_coach'],
    'no var_, prompt_ or system_ key',
  );
  t.same(
    sortFindings(r.findings).map((f) => [f.code, f.subject]),
    [
      ['config.name.missing', 'tls_prompt#3'],
      ['config.name.missing', 'tls_system#4'],
      ['config.name.missing', 'tls_variable#1'],
      ['config.name.missing', 'tls_variable#2'],
    ],
  );
  t.match(
    r.findings.find((f) => f.subject === 'tls_variable#1')!.message,
    /the name is empty, so there is no key: the row is skipped/,
  );
});

t.test('--default-coach takes a negative legacy id', async (t) => {
  const r = mapAppConfig({
    prompts: [],
    variables: [],
    systems: [],
    coaches,
    defaultCoach: { option: '-5' },
    sourceZone: 'UTC',
  });
  t.equal(r.defaultCoach?.legacy_id, -5);
  t.same(r.findings, []);
});

t.test(
  'item 8: the report\'s "duplicate config names" check counts no empty names, as the mapping skips them',
  async (t) => {
    const d = {
      coaches: [],
      categories: [],
      prompts: [],
      systems: [],
      images: [],
      imageCount: 0,
      variables: [variable(1, '', null), variable(2, '', null), variable(3, 'a', null), variable(4, 'a', null)],
    };
    const checks = new Map(dumpChecks(d as unknown as Parameters<typeof dumpChecks>[0]));
    t.equal(checks.get('duplicate config names'), 'tls_variable "a" ×2');
  },
);
