// tls_category → categories and the config tables → app_config: every rule of docs/mapping.md.
import t from 'tap';
import { sortFindings } from '../lib/findings.js';
import type { PromptRecord, SystemRecord, VariableRecord } from '../lib/legacy/records.js';
import { configValue, mapAppConfig } from '../lib/transform/app-config.js';
import { findCycles, mapCategories } from '../lib/transform/categories.js';
import { mapCoaches } from '../lib/transform/coaches.js';
import { stringifyExactJson, parseExactJson } from '../lib/transform/exact-json.js';
import { JsonNumber, type JsonValue } from '../lib/transform/target-rows.js';
import { categoryId, coachId } from '../lib/transform/uuid-v5.js';
import { cat, coach } from './helpers/records.js';

const noImages = { urlFor: () => null };
const opts = { breakCycles: false, sourceZone: 'UTC' };

t.test('hierarchy: parents first, depth-first, siblings by sort_order then legacy id', async (t) => {
  const r = mapCategories(
    [
      cat(1, 7),
      cat(7, 3, { sort_order: 2 }),
      cat(3, 10, { sort_order: 1 }),
      cat(10, null, { sort_order: 1 }),
      cat(12, 3, { sort_order: 2 }),
      cat(20, null, { sort_order: -5 }),
      cat(2, null, { sort_order: 1 }),
    ],
    noImages,
    opts,
  );
  t.same(
    r.tree.map((n) => [n.legacyId, n.depth]),
    [
      [20, 0],
      [2, 0],
      [10, 0],
      [3, 1],
      [7, 2],
      [1, 3],
      [12, 2],
    ],
  );
  t.same(
    r.rows.map((x) => x.legacy_id),
    [20, 2, 10, 3, 7, 1, 12],
  );
  t.equal(r.rows.find((x) => x.legacy_id === 1)!.parent_id, categoryId(7));
  t.equal(r.rows.find((x) => x.legacy_id === 20)!.sort_order, -5, 'negative kept');
  t.same(
    sortFindings(r.findings).map((f) => [f.severity, f.code, f.subject]),
    [
      ['info', 'category.sort_order.duplicate', 'tls_category (roots)'],
      ['info', 'category.sort_order.duplicate', 'tls_category#3'],
      ['info', 'category.sort_order.gap', 'tls_category (roots)'],
    ],
  );
  t.match(r.findings.find((f) => f.code === 'category.sort_order.gap')!.message, /gaps among the roots \(-5, 1\)/);
});

t.test('defaults, verbatim fields, icons', async (t) => {
  const urls = { urlFor: (id: number | null) => (id === null ? null : `icon:${id}`) };
  const r = mapCategories(
    [
      cat(5, null, {
        name: ' Spaced ',
        icon_id: 3,
        icon_id_secondary: 4,
        followup_timer: 0,
        max_questions: -1,
        scope: '',
        guidelines_file_text: 'a\tb',
        time_create: '2022-01-10 08:05:00.5',
      }),
    ],
    urls,
    opts,
  );
  const c = r.rows[0]!;
  t.same(
    [c.name, c.sort_order, c.show_checkin_history, c.checkin_enabled, c.followup_chat_enabled],
    [' Spaced ', 0, false, true, false],
    'NULL booleans → false, true, false; NULL sort_order → 0',
  );
  t.same(
    [c.icon_url, c.icon_secondary_url, c.followup_timer, c.max_questions, c.scope, c.guidelines_file_text],
    ['icon:3', 'icon:4', 0, -1, '', 'a\tb'],
  );
  t.equal(c.created_at, '2022-01-10 08:05:00.5+00:00');
  t.equal(c.is_active, true);
  const b = mapCategories(
    [cat(6, null, { show_checkin_history: true, checkin_enabled: false, followup_chat_enabled: true })],
    noImages,
    opts,
  ).rows[0]!;
  t.same(
    [b.show_checkin_history, b.checkin_enabled, b.followup_chat_enabled],
    [true, false, true],
    'given booleans kept',
  );
});

t.test('a parent not in the dump makes a root, with a warning', async (t) => {
  const r = mapCategories([cat(1, 99), cat(2, 1)], noImages, opts);
  t.equal(r.rows[0]!.parent_id, null);
  t.same(
    r.findings.map((f) => [f.severity, f.code, f.subject]),
    [['warning', 'category.parent.missing', 'tls_category#1']],
  );
});

t.test('cycles: an error naming every member; --break-cycles makes the smallest id a root', async (t) => {
  t.same(
    findCycles(
      new Map([
        [1, 2],
        [2, 3],
        [3, 1],
        [4, 4],
        [5, 1],
        [6, null],
      ]),
    ),
    [[1, 2, 3], [4]],
  );
  const recs = [cat(5, 9), cat(9, 7), cat(7, 5), cat(8, 8), cat(1, null), cat(2, 9)];
  const r = mapCategories(recs, noImages, opts);
  const errors = r.findings.filter((f) => f.severity === 'error');
  t.same(
    errors.map((f) => f.code),
    ['category.cycle', 'category.cycle'],
  );
  t.match(errors[0]!.message, /tls_category#5, tls_category#7, tls_category#9/);
  t.match(errors[1]!.message, /tls_category#8; fix the data or run with --break-cycles/, 'a self-parent is a cycle');
  const b = mapCategories(recs, noImages, { ...opts, breakCycles: true });
  t.same(
    b.findings.filter((f) => f.severity === 'warning').map((f) => [f.code, f.subject]),
    [
      ['category.cycle.broken', 'tls_category#5'],
      ['category.cycle.broken', 'tls_category#8'],
    ],
  );
  t.same(
    b.tree.map((n) => [n.legacyId, n.depth]),
    [
      [1, 0],
      [5, 0],
      [7, 1],
      [9, 2],
      [2, 3],
      [8, 0],
    ],
    '5 and 8 became roots; 7 → 9 → 2 hang below 5',
  );
  t.same(
    r.tree.filter((n) => n.depth < 0).map((n) => n.legacyId),
    [2, 5, 7, 8, 9],
    'unbroken: the cycles and what hangs below them are unreachable',
  );
  t.equal(b.rows.find((x) => x.legacy_id === 5)!.parent_id, null);
});

t.test('NULL or blank names are errors', async (t) => {
  const r = mapCategories([cat(1, null, { name: null }), cat(2, null, { name: '\t' })], noImages, opts);
  t.same(
    r.findings.filter((f) => f.severity === 'error').map((f) => f.subject),
    ['tls_category#1', 'tls_category#2'],
  );
});

const prompt = (
  id: number,
  name: string | null,
  text: string | null,
  tc: string | null = '2023-01-01 00:00:00',
): PromptRecord => ({ id, name, prompt: text, time_create: tc });
const variable = (
  id: number,
  name: string | null,
  value: string | null,
  user: boolean | null = null,
): VariableRecord => ({ id, name, value, user, time_create: '2023-01-01 00:00:00' });
const system = (id: number, name: string | null, value: string | null): SystemRecord => ({
  id,
  name,
  value,
  time_create: null,
});
const daniel = mapCoaches(
  [coach({ id: 1, name: 'Daniel', sex: 'M' }), coach({ id: 2, name: 'Ana' })],
  noImages,
  'UTC',
).rows;
const json = (v: JsonValue): string => stringifyExactJson(v);

t.test('config values: JSON where the trimmed text is JSON, else the exact text', async (t) => {
  const cases: [string, string][] = [
    ['3', '3'],
    [' 3.50 ', '3.50'],
    ['12345678901234567890123', '12345678901234567890123'],
    ['-1e-7', '-1e-7'],
    ['true', 'true'],
    [' false ', 'false'],
    ['{"a": [1, 2.10], "b": {"c": null}}', '{"a":[1,2.10],"b":{"c":null}}'],
    ['[]', '[]'],
    ['null', '"null"'],
    ['"quoted"', '"\\"quoted\\""'],
    ['hello', '"hello"'],
    ['', '""'],
    ['01', '"01"'],
    ['1.', '"1."'],
    ['{bad', '"{bad"'],
    ['TRUE', '"TRUE"'],
    [' x ', '" x "'],
  ];
  for (const [text, want] of cases) t.equal(json(configValue(text)), want, JSON.stringify(text));
  t.equal(parseExactJson('[1,]'), undefined);
  t.equal(parseExactJson('{"a":1} x'), undefined);
  t.same(parseExactJson('"\\u00e9\\n"'), 'é\n');
  t.equal(
    stringifyExactJson({ a: [new JsonNumber('1.0'), { b: 'x' }], c: [] }, '  '),
    '{\n  "a": [\n    1.0,\n    {\n      "b": "x"\n    }\n  ],\n  "c": []\n}',
  );
});

t.test('app_config rows', async (t) => {
  const r = mapAppConfig({
    prompts: [
      prompt(1, 'hello', 'Hi\nthere'),
      prompt(2, 'dup', 'old', '2022-01-01 00:00:00'),
      prompt(3, 'dup', 'new', '2023-01-01 00:00:00'),
      prompt(4, null, 'x'),
      prompt(5, 'sp ace', null),
      prompt(6, 'tie', 'a'),
      prompt(7, 'tie', 'b'),
      prompt(8, 'nul', 'c', null),
      prompt(9, 'nul', 'd', '2024-01-01 00:00:00'),
    ],
    variables: [variable(1, 'n', ' 42 ', true), variable(2, 'f', 'false', false), variable(3, 'u', 'text', null)],
    systems: [system(1, 'obj', '{"k": 1}')],
    coaches: daniel,
    defaultCoach: {},
    sourceZone: 'UTC',
  });
  const byKey = Object.fromEntries(r.rows.map((x) => [x.key, x]));
  t.same(
    r.rows.map((x) => x.key),
    [
      'default_coach',
      'prompt_dup',
      'prompt_hello',
      'prompt_nul',
      'prompt_sp ace',
      'prompt_tie',
      'system_obj',
      'var_f',
      'var_n',
      'var_u',
    ],
    'sorted by key',
  );
  t.same(byKey['prompt_hello']!.value, 'Hi\nthere', 'a prompt is its text as a JSON string');
  t.equal(byKey['prompt_hello']!.description, 'Prompt: hello');
  t.equal(byKey['prompt_hello']!.is_public, false);
  t.equal(byKey['prompt_dup']!.value, 'new', 'the newest time_create wins');
  t.equal(byKey['prompt_tie']!.value, 'b', 'a tie: the highest legacy id wins');
  t.equal(byKey['prompt_nul']!.value, 'd', 'a NULL time_create: the highest legacy id wins');
  t.equal(byKey['prompt_sp ace']!.value, null, 'NULL text → JSON null');
  t.equal(json(byKey['var_n']!.value), '42');
  t.same(
    [byKey['var_n']!.is_public, byKey['var_f']!.is_public, byKey['var_u']!.is_public],
    [true, false, false],
    'is_public = the "user" flag, NULL → false',
  );
  t.equal(byKey['var_n']!.description, 'Variable: n');
  t.equal(byKey['system_obj']!.description, 'System: obj');
  t.equal(byKey['system_obj']!.created_at, null);
  t.equal(json(byKey['default_coach']!.value), `{"default_coach_id":"${coachId(1)}","legacy_id":1,"name":"Daniel"}`);
  t.equal(byKey['default_coach']!.description, 'Default coach for new users');
  t.same(
    r.findings.map((f) => [f.severity, f.code, f.subject]),
    [
      ['warning', 'config.name.missing', 'tls_prompt#4'],
      ['warning', 'config.key.characters', 'tls_prompt#5'],
      ['warning', 'config.value.null', 'tls_prompt#5'],
      ['warning', 'config.key.duplicate', 'tls_prompt#3'],
      ['warning', 'config.key.duplicate', 'tls_prompt#7'],
      ['warning', 'config.key.duplicate', 'tls_prompt#9'],
    ],
  );
  t.match(r.findings.find((f) => f.subject === 'tls_prompt#3')!.message, /dropped: tls_prompt#2$/);
});

t.test('the default coach', async (t) => {
  const pick = (coaches: typeof daniel, option?: string) => {
    const r = mapAppConfig({
      prompts: [],
      variables: [],
      systems: [],
      coaches,
      defaultCoach: option === undefined ? {} : { option },
      sourceZone: 'UTC',
    });
    return { id: r.defaultCoach?.legacy_id ?? null, findings: r.findings.map((f) => `${f.severity} ${f.code}`) };
  };
  const several = mapCoaches(
    [coach({ id: 9, name: ' daniel ' }), coach({ id: 4, name: 'DANIEL' }), coach({ id: 5, name: 'Ana' })],
    noImages,
    'UTC',
  ).rows;
  t.same(pick(daniel), { id: 1, findings: [] }, 'named Daniel');
  t.same(
    pick(several),
    { id: 4, findings: ['warning config.default_coach.several'] },
    'trimmed, case-insensitive; several → the lowest legacy id',
  );
  t.same(pick(several, 'ana'), { id: 5, findings: [] }, '--default-coach NAME');
  t.same(pick(several, '9'), { id: 9, findings: [] }, '--default-coach LEGACY_ID');
  t.same(pick(several, '77'), { id: null, findings: ['error config.default_coach.missing'] });
  t.same(
    pick(mapCoaches([coach({ id: 1, name: 'Ana' })], noImages, 'UTC').rows),
    { id: null, findings: ['error config.default_coach.missing'] },
    'no Daniel: an error',
  );
});
