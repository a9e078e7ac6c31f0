// The reader's one SQL tokenizer (lib/dump/sql-tokens.ts) and its three users: the statement scanner finds
// the same statement ends however the input is cut into chunks, the SQL lexer and the CREATE TABLE reader
// read comments and dollar quotes as the scanner (and psql) do, and an escape-heavy string costs linear work.
import fc from 'fast-check';
import t from 'tap';
import { SqlLexer } from '../lib/dump/sql-lexer.js';
import { StatementScanner } from '../lib/dump/statement-scanner.js';
import { parseCreateTable } from '../lib/legacy/create-table.js';
import { needsPg, psql, psqlOk } from './helpers/pg.js';
import { parseAll, resolver, rowsOf } from './helpers/parse.js';
import { FRAGMENTS } from './helpers/sql-fragments.js';

// a NUL is refused before anything else (INPUT_BINARY); a lone `-`, `/` and `*` reach every comment state
const PIECES = [...FRAGMENTS.filter((f) => f !== '\u0000'), '-', '/', '*'];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 80 }).map((a) => Buffer.from(a.join('')));

/**
 * The statement ends (`;` indexes) the scanner finds in src when its bytes arrive up to each cut in turn,
 * as the dump parser feeds it, and what the last statement is left inside of.
 */
function statementEnds(src: Buffer, cuts: readonly number[], standardConformingStrings: boolean): string[] {
  const scanner = new StatementScanner();
  scanner.standardConformingStrings = standardConformingStrings;
  const found: string[] = [];
  let start = 0;
  scanner.begin(0);
  for (const available of [...cuts, src.length]) {
    for (;;) {
      const at = scanner.scanMore(src, start, available);
      if (at === -1) break;
      found.push(String(at));
      start = at + 1;
      scanner.begin(start);
    }
  }
  found.push(scanner.describeOpen());
  return found;
}

t.test('the statement scanner finds the same ends however the bytes are cut into chunks', async (t) => {
  const cases = text.chain((src) =>
    fc.tuple(
      fc.constant(src),
      fc
        .uniqueArray(fc.integer({ min: 1, max: Math.max(1, src.length - 1) }), { maxLength: 8 })
        .map((a) => a.filter((x) => x < src.length).sort((x, y) => x - y)),
      fc.boolean(),
    ),
  );
  fc.assert(
    fc.property(cases, ([src, cuts, scs]) => {
      const whole = statementEnds(src, [], scs);
      const oneByOne = statementEnds(
        src,
        Array.from({ length: Math.max(0, src.length - 1) }, (_, i) => i + 1),
        scs,
      );
      t.same(statementEnds(src, cuts, scs), whole, `cut at ${cuts.join(',')}: ${JSON.stringify(src.toString())}`);
      t.same(oneByOne, whole, `one byte at a time: ${JSON.stringify(src.toString())}`);
    }),
    { numRuns: 500, seed: 30 },
  );
});

t.test('the SQL lexer skips nested /* */ comments, as the statement scanner and psql do', async (t) => {
  const lx = new SqlLexer(Buffer.from('/* a /* b */ c */ 7 /* d */;'), 0, 28, true);
  const v = lx.literal();
  t.same(v.kind === 'text' ? v.src.toString('utf8', v.start, v.end) : v.kind, '7', 'the value after the comment');
  t.ok(lx.eat(';'), 'then the ";", after the second comment');

  const dump =
    "SET standard_conforming_strings = on;\nINSERT INTO public.p (a, b) VALUES (1 /* x /* y */ z */, 'two');\n";
  t.same(rowsOf(parseAll(dump, { tables: resolver({ a: 'int4' }) })), [[1, 'two']], 'an INSERT with one');
});

t.test('psql reads a nested comment between values as one comment too', needsPg, async (t) => {
  t.equal(psqlOk(['-At', '-c', "SELECT 1 /* x /* y */ z */, 'two'"]).trim(), '1|two');
});

// a dollar-quote tag is any length in PostgreSQL: the CREATE TABLE reader once looked at 64 characters only
const TAG = 'q'.repeat(70);
const LONG_TAG_TABLE = `CREATE TABLE t (a text DEFAULT $${TAG}$it's, (b)$${TAG}$, b integer);`;

t.test('the CREATE TABLE reader reads a dollar quote with a tag of any length', async (t) => {
  t.same(
    parseCreateTable(LONG_TAG_TABLE).columns.map((c) => [c.name, c.pgType]),
    [
      ['a', 'text'],
      ['b', 'integer'],
    ],
  );
});

t.test('psql reads that CREATE TABLE the same way', needsPg, async (t) => {
  const out = psqlOk([
    '-At',
    '-c',
    `BEGIN; ${LONG_TAG_TABLE.replace('TABLE', 'TEMP TABLE')}`,
    '-c',
    "SELECT attname FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum; ROLLBACK",
  ]);
  t.match(out, /^a\nb\n/m);
});

t.test("an E'' string of many escapes: each byte is searched a bounded number of times", async (t) => {
  // Buffer.indexOf is how the tokenizer and the lexer cross strings; counting the bytes each call looks at
  // measures the work without a clock. Searching again from each escape to the far closing quote made it
  // quadratic (a few MB of escapes took minutes).
  const n = 20_000;
  const src = Buffer.from(`E'${'\\n'.repeat(n)}';`);
  const original = Buffer.prototype.indexOf;
  let looked = 0;
  const counting = function (this: Buffer, value: string | number | Uint8Array, from?: number): number {
    const at = original.call(this, value, from);
    looked += (at === -1 ? this.length : at + 1) - (from ?? 0);
    return at;
  };
  Buffer.prototype.indexOf = counting as typeof Buffer.prototype.indexOf;
  let end: number;
  let value: string;
  try {
    const scanner = new StatementScanner();
    scanner.begin(0);
    end = scanner.scanMore(src, 0, src.length);
    const lit = new SqlLexer(src, 0, src.length, true).literal();
    value = lit.kind === 'text' ? lit.src.toString('utf8', lit.start, lit.end) : '';
  } finally {
    Buffer.prototype.indexOf = original;
  }
  t.equal(end, src.length - 1, 'the scanner ends the statement at its ";"');
  t.equal(value, '\n'.repeat(n), 'the lexer reads every escape');
  t.ok(looked <= 8 * src.length, `bytes searched: ${looked}, for ${src.length} bytes of SQL (at most 8 per byte)`);
});

// Where psql ends a statement, so must the scanner (h/tokenizer's notes, checked with psql 15): a -- comment ends
// at CR too, and after `a$` an E begins no escape string (`$` continues the name a$e).
const SPLITS: readonly { readonly name: string; readonly sql: string; readonly ends: readonly string[] }[] = [
  { name: 'a -- comment ends at a CR', sql: 'SELECT 1 -- c\r; SELECT 2;\n', ends: ['14', '24'] },
  { name: "a$e'x\\' is a name and a plain string", sql: "SELECT 1 AS a$e'x\\'; SELECT 2;\n", ends: ['19', '29'] },
];

t.test('the statement scanner ends statements where psql ends them', async (t) => {
  for (const s of SPLITS) t.same(statementEnds(Buffer.from(s.sql), [], true).slice(0, 2), s.ends, s.name);
});

t.test('psql runs the second statement of each on its own', needsPg, async (t) => {
  for (const s of SPLITS) {
    const r = psql(['-At', '-v', 'ON_ERROR_STOP=0'], s.sql);
    t.match(r.stdout, /^2$/m, `${s.name}: psql printed the second statement's 2 (${r.stderr.trim()})`);
  }
});
