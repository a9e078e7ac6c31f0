// Issue 27, item 9 (values passed through unchecked) and item 11's sort_order counts: colours, a negative
// followup_timer and infinite or BC times each get a finding; the report's checks count what the findings say.
import fc from 'fast-check';
import t from 'tap';
import { sortFindings, type Finding } from '../lib/findings.js';
import type { CategoryRecord } from '../lib/legacy/records.js';
import { mapAppConfig } from '../lib/transform/app-config.js';
import { mapCategories } from '../lib/transform/categories.js';
import { mapCoaches } from '../lib/transform/coaches.js';
import { dumpChecks } from '../lib/transform/dump-checks.js';
import { cat, coach } from './helpers/records.js';

const noImages = { urlFor: () => null };
const codes = (fs: readonly Finding[]): string[] => sortFindings(fs).map((f) => `${f.code} ${f.subject}: ${f.message}`);

t.test('colours that are no hex colour: a warning each; NULL, empty and the hex forms: none', async (t) => {
  const recs = [
    cat(1, null, { primary_color: '#GGGGGG', secondary_color: 'rgb(1,2,3)' }),
    cat(2, null, { primary_color: '#abc', secondary_color: '#A1B2C3' }),
    cat(3, null, { primary_color: '#FF112233', secondary_color: '' }),
    cat(4, null, { primary_color: 'red', secondary_color: '#12345' }),
  ];
  t.same(
    codes(mapCategories(recs, noImages, { breakCycles: false, sourceZone: 'UTC' }).findings).filter((c) =>
      c.startsWith('category.color'),
    ),
    [
      'category.color.invalid tls_category#1: primary_color "#GGGGGG" is not a hex colour (#RGB, #RRGGBB or #AARRGGBB): migrated as it is',
      'category.color.invalid tls_category#1: secondary_color "rgb(1,2,3)" is not a hex colour (#RGB, #RRGGBB or #AARRGGBB): migrated as it is',
      'category.color.invalid tls_category#4: primary_color "red" is not a hex colour (#RGB, #RRGGBB or #AARRGGBB): migrated as it is',
      'category.color.invalid tls_category#4: secondary_color "#12345" is not a hex colour (#RGB, #RRGGBB or #AARRGGBB): migrated as it is',
    ],
  );
  t.equal(
    mapCategories(recs, noImages, { breakCycles: false, sourceZone: 'UTC' }).rows.find((r) => r.legacy_id === 1)!
      .primary_color,
    '#GGGGGG',
    'still verbatim',
  );
});

t.test('a negative followup_timer: a warning; zero and positive: none', async (t) => {
  const r = mapCategories(
    [
      cat(1, null, { followup_timer: -30 }),
      cat(2, null, { followup_timer: 0 }),
      cat(3, null, { followup_timer: -2147483648 }),
    ],
    noImages,
    { breakCycles: false, sourceZone: 'UTC' },
  );
  t.same(
    codes(r.findings).filter((c) => c.startsWith('category.followup')),
    [
      'category.followup_timer.negative tls_category#1: followup_timer -30 is negative: migrated as it is',
      'category.followup_timer.negative tls_category#3: followup_timer -2147483648 is negative: migrated as it is',
    ],
  );
});

t.test('infinite and BC time_create: a warning for coaches, categories and config rows', async (t) => {
  const coaches = mapCoaches(
    [
      coach({ id: 1, name: 'Daniel', time_create: 'infinity' }),
      coach({ id: 2, name: 'B', time_create: '0044-03-15 12:00:00 BC' }),
    ],
    noImages,
    'UTC',
  );
  t.same(
    codes(coaches.findings).filter((c) => c.startsWith('timestamp')),
    [
      'timestamp.bc tls_coach#2: time_create 0044-03-15 12:00:00 BC is before the Common Era: migrated as it is, but no date the app can show',
      'timestamp.infinite tls_coach#1: time_create is infinity: migrated as it is, but no date the app can show',
    ],
  );
  const cats = mapCategories([cat(1, null, { time_create: '-infinity' })], noImages, {
    breakCycles: false,
    sourceZone: 'Europe/Lisbon',
  });
  t.same(codes(cats.findings), [
    'timestamp.infinite tls_category#1: time_create is -infinity: migrated as it is, but no date the app can show',
  ]);
  t.equal(cats.rows[0]!.created_at, '-infinity');
  const config = mapAppConfig({
    prompts: [{ id: 1, name: 'p', prompt: 'x', time_create: 'infinity' }],
    variables: [],
    systems: [],
    coaches: coaches.rows,
    defaultCoach: {},
    sourceZone: 'UTC',
  });
  t.same(codes(config.findings), [
    'timestamp.infinite tls_prompt#1: time_create is infinity: migrated as it is, but no date the app can show',
  ]);
});

/** Generated hierarchies: parents among the ids, missing ones, self-parents and cycles; sort orders with ties and gaps. */
const categoriesArb = fc
  .uniqueArray(
    fc.record({
      id: fc.integer({ min: 1, max: 25 }),
      parent: fc.option(fc.integer({ min: 1, max: 27 }), { nil: null }),
      sort: fc.option(fc.integer({ min: -2, max: 4 }), { nil: null }),
      colour: fc.constantFrom(null, '', '#fff', '#GGGGGG'),
      timer: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
    }),
    { selector: (c) => c.id, maxLength: 14 },
  )
  .map((list) =>
    list.map((c): CategoryRecord =>
      cat(c.id, c.parent, { sort_order: c.sort, primary_color: c.colour, followup_timer: c.timer }),
    ),
  );

t.test('(property) any order of the same categories gives the same rows and findings', async (t) => {
  fc.assert(
    fc.property(categoriesArb, fc.boolean(), (recs, breakCycles) => {
      const opts = { breakCycles, sourceZone: 'UTC' };
      const a = mapCategories(recs, noImages, opts);
      const b = mapCategories([...recs].reverse(), noImages, opts);
      return (
        JSON.stringify([a.rows, a.tree, sortFindings(a.findings)]) ===
        JSON.stringify([b.rows, b.tree, sortFindings(b.findings)])
      );
    }),
    { numRuns: 300, seed: 9 },
  );
  t.pass('300 generated hierarchies, forwards and backwards');
});

t.test(
  "(property) the report's sort_order counts are the numbers of sort_order findings, cycles broken or not",
  async (t) => {
    const empty = { coaches: [], prompts: [], variables: [], systems: [], images: [], imageCount: 0 };
    fc.assert(
      fc.property(categoriesArb, fc.boolean(), (recs, breakCycles) => {
        const findings = mapCategories(recs, noImages, { breakCycles, sourceZone: 'UTC' }).findings;
        const [, result] = dumpChecks(
          { ...empty, categories: recs } as unknown as Parameters<typeof dumpChecks>[0],
          breakCycles,
        ).find(([label]) => label.startsWith('sort_order among siblings'))!;
        const n = (code: string): number => findings.filter((f) => f.code === code).length;
        return (
          result ===
          `${n('category.sort_order.gap')} sibling groups with gaps, ${n('category.sort_order.duplicate')} with duplicates`
        );
      }),
      { numRuns: 500, seed: 11 },
    );
    t.pass('500 generated hierarchies');
  },
);
