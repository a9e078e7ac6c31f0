// Issue 27, item 7: voice_id. A collision is a warning naming both coaches; the slug folds by our own table,
// never by the runtime's Unicode (String.prototype.normalize), with a case per script.
import fc from 'fast-check';
import t from 'tap';
import { sortFindings } from '../lib/findings.js';
import { mapCoaches } from '../lib/transform/coaches.js';
import { slug } from '../lib/transform/slug.js';
import { coach } from './helpers/records.js';

const noImages = { urlFor: () => null };

t.test('"Daniel" and "Dániel" get one voice_id: a warning naming both', async (t) => {
  const r = mapCoaches(
    [
      coach({ id: 7, name: 'Dániel', sex: 'm' }),
      coach({ id: 2, name: 'Daniel', sex: 'M' }),
      coach({ id: 3, name: 'Daniel', sex: 'f' }),
    ],
    noImages,
    'UTC',
  );
  t.same(
    r.rows.map((x) => x.voice_id),
    ['daniel_m', 'daniel_f', 'daniel_m'],
  );
  t.same(
    r.findings.filter((f) => f.code === 'coach.voice_id.duplicate'),
    [
      {
        severity: 'warning',
        code: 'coach.voice_id.duplicate',
        subject: 'tls_coach#2',
        message: '2 coaches get the voice_id "daniel_m": tls_coach#2 ("Daniel"), tls_coach#7 ("Dániel"); kept as it is',
      },
    ],
    'daniel_f is another voice_id',
  );
});

t.test('(property) any order of the same coaches gives the same rows and findings', async (t) => {
  const name = fc.constantFrom('Daniel', 'Dániel', 'DANIEL', 'Ana', 'Anà', '李', '', null);
  const arb = fc.uniqueArray(
    fc.record({ id: fc.integer({ min: -20, max: 20 }), name, sex: fc.constantFrom('m', 'f', null) }),
    { selector: (c) => c.id, maxLength: 8 },
  );
  fc.assert(
    fc.property(arb, (list) => {
      const recs = list.map((c) => coach({ id: c.id, name: c.name, sex: c.sex }));
      const a = mapCoaches(recs, noImages, 'UTC');
      const b = mapCoaches([...recs].reverse(), noImages, 'UTC');
      return JSON.stringify([a.rows, sortFindings(a.findings)]) === JSON.stringify([b.rows, sortFindings(b.findings)]);
    }),
    { numRuns: 300, seed: 7 },
  );
  t.pass('300 generated coach lists, forwards and backwards');
});

t.test('the slug never asks the runtime to normalize', async (t) => {
  const original = Object.getOwnPropertyDescriptor(String.prototype, 'normalize')!;
  Object.defineProperty(String.prototype, 'normalize', {
    value: () => {
      throw new Error('normalize called');
    },
    configurable: true,
    writable: true,
  });
  try {
    t.equal(slug('Dániel Ñandú'), 'daniel_nandu');
  } finally {
    Object.defineProperty(String.prototype, 'normalize', original);
  }
});

t.test('one case per script: what the table folds, what it drops, what separates', async (t) => {
  const cases: [string, string, string][] = [
    ['Latin-1', 'Zoë Ñandú Ångström', 'zoe_nandu_angstrom'],
    ['Latin Extended-A', 'Dvořák Łukasz Œuvre', 'dvorak_ukasz_uvre'], // Ł and Œ have no decomposition: separators
    ['Latin Extended-B and IPA', 'ǅemal Ǆ ǈ', 'dzemal_dz_lj'],
    ['Latin Extended Additional (Vietnamese)', 'Nguyễn Thị Ánh', 'nguyen_thi_anh'],
    ['combining marks, decomposed input', 'Da\u0301niel', 'daniel'],
    ['dotted capital I', 'İstanbul', 'istanbul'],
    ['Greek', 'Δανιήλ', ''],
    ['Cyrillic', 'Даниил Ёж', ''],
    ['Han', '李小龙', ''],
    ['Arabic', 'دانيال', ''],
    ['Hebrew with points', 'דָּנִיֵּאל', ''],
    ['Devanagari', 'दानिएल', ''],
    ['fullwidth Latin', 'Ｄａｎｉｅｌ１', 'daniel1'],
    ['ligatures and superscripts', 'ﬁve² ﬀ', 'five2_ff'],
    ['vulgar fraction', 'Ann ½', 'ann_1_2'],
    ['mathematical alphanumerics (astral)', '𝐃𝐚𝐧 𝟗', 'dan_9'],
    ['circled and parenthesised', 'Ⓓan ⑴', 'dan_1'],
    ['Roman numeral', 'Louis Ⅻ', 'louis_xii'],
    ['Unicode 16 outlined letters (U+1CCD6, U+1CCF0)', '\u{1CCD6}\u{1CCF0}', 'a0'],
    ['emoji and a lone surrogate', 'Sam 🐉\ud800x', 'sam_x'],
    ['Kelvin sign and long s', '\u212Aim ſ', 'kim_s'],
  ];
  for (const [script, name, want] of cases) t.equal(slug(name), want, script);
});
