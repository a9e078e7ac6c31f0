// JSON that PostgreSQL's jsonb refuses is found by the transform, not by the migration at apply time: each
// verdict of jsonbRefusal() against PGlite's own (and a real server's when DATABASE_URL is set), edge cases and
// random numbers near numeric's limits; a "__proto__" key kept as a key; and a dump holding such values
// transforms with a warning into a migration.sql that applies.
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { join } from 'node:path';
import pg from 'pg';
import t, { type Test } from 'tap';
import { pgliteTarget } from '../lib/db/target-db.js';
import { runTransform } from '../lib/pipeline/transform.js';
import { configValue, mapAppConfig } from '../lib/transform/app-config.js';
import { parseExactJson, stringifyExactJson } from '../lib/transform/exact-json.js';
import { jsonbRefusal } from '../lib/transform/jsonb.js';
import { DATABASE_URL } from './helpers/pg.js';
import { writeMiniDump } from './helpers/mini-dump.js';

const zeros = (n: number): string => '0'.repeat(n);
const edges = [
  '{"__proto__": 1, "b": 2}',
  '{"a": "\\u0000"}',
  '{"\\u0000": 1}',
  '"x\\u0000y"',
  '["\\ud800"]',
  '["\\udc00"]',
  '["\\ud83d\\ude00"]',
  '["\\ude00\\ud83d"]',
  '1e131071',
  '1e131072',
  '9.9e131071',
  '0.1e131072',
  '0.0001e131075',
  '10e131070',
  '1e-16383',
  '1e-16384',
  '0e-16383',
  '0e-16384',
  '0e999999',
  '0e1073741822',
  '0e1073741823',
  '1e-1073741823',
  '-0',
  '1E+2',
  `1.${zeros(16383)}`,
  `1.${zeros(16384)}`,
  `0.${zeros(16382)}1`,
  `0.${zeros(16383)}1`,
  `1${zeros(131071)}`,
  `1${zeros(131072)}`,
  `0.${zeros(20)}1e16363`,
  '123456789012345678901234567890e-16353',
  '[1, {"k": [true, null, "\\u0000"]}]',
];

/** PostgreSQL's verdict on `text` as jsonb: null when it takes it, else its message. */
type Judge = (text: string) => Promise<string | null>;

/** PostgreSQL 15 refuses a zero with an exponent of INT_MAX/2 or more; later versions (PGlite) take it. We
 * refuse it (the stricter verdict: the migration applies on either). */
const ONLY_15_REFUSES = new Set(['0e1073741823']);

async function check(t: Test, judge: Judge, where: string, version15: boolean): Promise<void> {
  for (const text of edges) {
    const v = parseExactJson(text);
    t.not(v, undefined, `${text.slice(0, 30)} is JSON`);
    const pgSays = await judge(text);
    const label = `${where}: ${text.length > 40 ? text.slice(0, 40) + '…' : text}: PostgreSQL says ${pgSays ?? 'yes'}`;
    if (ONLY_15_REFUSES.has(text) && !version15) t.ok(jsonbRefusal(v!) !== null && pgSays === null, label);
    else t.equal(jsonbRefusal(v!) !== null, pgSays !== null, label);
  }
  // random numbers near numeric's limits: digits before and after the point, and an exponent
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: 40 }),
      fc.nat({ max: 40 }),
      fc.integer({ min: 0, max: 3 }),
      fc.oneof(
        fc.integer({ min: 131020, max: 131080 }),
        fc.integer({ min: -16420, max: -16330 }),
        fc.integer({ min: -5, max: 5 }),
      ),
      async (intLen, fracLen, lead, exp) => {
        const int = intLen === 0 ? '0' : '1' + '7'.repeat(intLen - 1);
        const frac =
          fracLen === 0
            ? ''
            : '.' + zeros(Math.min(lead, fracLen - 1)) + '3'.repeat(fracLen - Math.min(lead, fracLen - 1));
        const text = `${int}${frac}e${exp}`;
        const pgSays = await judge(text);
        return (jsonbRefusal(parseExactJson(text)!) !== null) === (pgSays !== null);
      },
    ),
    { numRuns: 300, seed: 6 },
  );
}

t.test('jsonbRefusal decides as PostgreSQL does (PGlite)', async (t) => {
  const db = await PGlite.create();
  try {
    await check(
      t,
      async (text) =>
        db.query('SELECT $1::text::jsonb', [text]).then(
          () => null,
          (e: Error) => e.message,
        ),
      'PGlite',
      false,
    );
  } finally {
    await db.close();
  }
});

t.test(
  'jsonbRefusal decides as PostgreSQL does (server)',
  { skip: DATABASE_URL === undefined || DATABASE_URL === '' ? 'DATABASE_URL is not set' : false },
  async (t) => {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await check(
        t,
        async (text) =>
          client.query('SELECT $1::text::jsonb', [text]).then(
            () => null,
            (e: Error) => e.message,
          ),
        'server',
        (await client.query('SHOW server_version_num')).rows[0].server_version_num < 160000,
      );
    } finally {
      await client.end();
    }
  },
);

t.test('a "__proto__" key is a key like any other', async (t) => {
  t.equal(stringifyExactJson(parseExactJson('{"__proto__": 1, "b": 2}')!), '{"__proto__":1,"b":2}');
  t.equal(stringifyExactJson(parseExactJson('{"__proto__": {"x": [1]}}')!), '{"__proto__":{"x":[1]}}');
  t.equal(stringifyExactJson(configValue(' {"__proto__": 5} ')), '{"__proto__":5}');
});

t.test('config values jsonb refuses: the exact text, a JSON string, with a warning', async (t) => {
  const text = '{"a": "\\u0000"}';
  const r = mapAppConfig({
    prompts: [],
    variables: [{ id: 3, name: 'v', value: text, user: null, time_create: null }],
    systems: [{ id: 4, name: 's', value: '1e999999', time_create: null }],
    coaches: [],
    defaultCoach: { option: 'nobody' },
    sourceZone: 'UTC',
  });
  const byKey = Object.fromEntries(r.rows.map((x) => [x.key, x]));
  t.equal(byKey['var_v']!.value, text);
  t.equal(byKey['system_s']!.value, '1e999999');
  const found = r.findings.filter((f) => f.code === 'config.value.jsonb');
  t.same(
    found.map((f) => [f.severity, f.subject]),
    [
      ['warning', 'tls_variable#3'],
      ['warning', 'tls_system#4'],
    ],
  );
  t.match(found[0]!.message, /unsupported Unicode escape sequence/);
  t.match(found[1]!.message, /value overflows numeric format/);
});

t.test('end to end: such a dump transforms and its migration.sql applies', async (t) => {
  const dir = t.testdir({ dump: {} });
  const values = ['{"a": "\\u0000"}', '["\\ud800"]', '1e131072', '{"__proto__": 1, "b": 2}'];
  writeMiniDump(join(dir, 'dump'), {
    tls_variable: values.map((value, i) => ({ id: i + 1, name: `v${i}`, value, user: false })),
  });
  const out = join(dir, 'out');
  const r = await runTransform({
    dump: [join(dir, 'dump')],
    out,
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
  });
  t.equal(r.findings.filter((f) => f.code === 'config.value.jsonb').length, 3);
  const db = await pgliteTarget();
  try {
    await db.applyFile('schemas/target.sql', 'target.sql');
    await db.applyFile(join(out, 'migration.sql'), 'migration.sql');
    await db.applyFile(join(out, 'verify.sql'), 'verify.sql');
    t.equal(await db.scalar("SELECT value #>> '{}' FROM app_config WHERE key = 'var_v0'"), values[0]);
    t.equal(await db.scalar("SELECT value::text FROM app_config WHERE key = 'var_v3'"), '{"b": 2, "__proto__": 1}');
  } finally {
    await db.close();
  }
});
