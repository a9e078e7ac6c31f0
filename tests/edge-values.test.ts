// Edge values through the whole transform and into PostgreSQL: the integers at both ends of their range as ids
// and sort orders (a negative literal must survive the casts verify.sql puts after it), and names blank or not
// as PostgreSQL sees whitespace. PGlite always; a real server through psql with DATABASE_URL.
import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runTransform, type TransformResult } from '../lib/pipeline/transform.js';
import { MigrateError } from '../lib/errors.js';
import { writeMiniDump, type MiniDump } from './helpers/mini-dump.js';
import { dropDb, needsPg, psql, scratchDb } from './helpers/pg.js';

const MIN = -2147483648;
const MAX = 2147483647;

async function transform(dir: string, dump: MiniDump): Promise<TransformResult> {
  writeMiniDump(dir, dump);
  return runTransform({
    dump: [dir],
    out: join(dir, 'out'),
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
  });
}

const extremes: MiniDump = {
  tls_coach: [
    { id: MIN, name: 'Daniel', intro: 'born in 1980' },
    { id: MAX, name: '\uFEFF', intro: null },
    { id: -1, name: '\u00a0Ana\u00a0' },
  ],
  tls_category: [
    { id: MIN, name: 'Root', sort_order: MIN },
    { id: MAX, parent_id: MIN, name: 'Leaf', sort_order: MAX, max_questions: -7, followup_timer: MIN },
  ],
  tls_prompt: [{ id: MIN, name: 'welcome', prompt: 'hi' }],
  tls_variable: [{ id: MAX, name: 'limit', value: '-2147483648', user: true }],
};

t.test('ids and integers at both ends of their range: migrated, and verify.sql passes (PGlite)', async (t) => {
  const dir = t.testdir({});
  const r = await transform(dir, extremes);
  t.same(
    r.rows.coaches.map((c) => c.legacy_id).sort((a, b) => a - b),
    [MIN, -1, MAX],
  );
  const sql = (n: string): string => readFileSync(join(dir, 'out', n), 'utf8');
  t.match(sql('verify.sql'), /\(-2147483648\)::integer/, 'the negative literal that a cast follows is in parentheses');
  const db = new PGlite();
  t.teardown(() => db.close());
  await db.exec(readFileSync('schemas/target.sql', 'utf8'));
  await db.exec(sql('migration.sql'));
  await db.exec(sql('verify.sql'));
  const got = await db.query<{ legacy_id: number; sort_order: number }>(
    'SELECT legacy_id, sort_order FROM categories ORDER BY legacy_id',
  );
  t.same(
    got.rows.map((x) => [x.legacy_id, x.sort_order]),
    [
      [MIN, MIN],
      [MAX, MAX],
    ],
  );
  // read back as bytes: PGlite's client decodes results with a TextDecoder that drops a leading U+FEFF
  const names = await db.query<{ hex: string }>(
    "SELECT encode(convert_to(name, 'UTF8'), 'hex') AS hex FROM coaches ORDER BY legacy_id",
  );
  t.same(
    names.rows.map((x) => Buffer.from(x.hex, 'hex').toString('utf8')),
    ['Daniel', '\u00a0Ana\u00a0', '\uFEFF'],
    'U+FEFF and U+00A0 are characters to PostgreSQL, kept as they are',
  );
});

t.test('the same on a real PostgreSQL through psql', needsPg, async (t) => {
  const dir = t.testdir({});
  await transform(dir, extremes);
  const url = scratchDb('totalis_edge_values');
  t.teardown(() => dropDb('totalis_edge_values'));
  for (const f of ['schemas/target.sql', join(dir, 'out', 'migration.sql'), join(dir, 'out', 'verify.sql')]) {
    const r = psql(['-f', f], undefined, url);
    t.equal(r.code, 0, `${f}: ${r.stderr}`);
  }
});

t.test("a name of PostgreSQL's whitespace alone is blank; U+FEFF alone is not", async (t) => {
  const dir = t.testdir({});
  let e: unknown = null;
  try {
    await transform(dir, {
      tls_coach: [
        { id: 1, name: 'Daniel' },
        { id: 2, name: ' \t\r\n\v\f ' },
      ],
      tls_category: [
        { id: 1, name: '\uFEFF' },
        { id: 2, name: '\t' },
      ],
    });
  } catch (x) {
    e = x;
  }
  t.ok(e instanceof MigrateError && e.code === 'FINDINGS_BLOCK', 'blank names block the run');
  const text = (e as Error).message;
  t.match(text, /coach\.name\.missing tls_coach#2/);
  t.match(text, /category\.name\.missing tls_category#2/);
  t.notMatch(text, /tls_category#1\b/, 'U+FEFF is a name');
});
