// Property: whatever PostgreSQL's COPY TO (and pg_dump --inserts) would write for random text and bytes,
// the reader decodes back identically, however the input is cut into chunks (and whether or not the chunks
// share one buffer that is overwritten after each push). 10,000 cases per property
// (FC_RUNS raises it; FC_SEED replays a failure).
import fc from 'fast-check';
import t from 'tap';
import { norm, parseAll, resolver, rowsOf } from './helpers/parse.js';
import { copyByteaEscape, copyByteaHex, copyText, sqlEscapeLiteral, sqlLiteral } from './helpers/pg-encode.js';

const RUNS = Number(process.env['FC_RUNS'] ?? 10_000);
const SEED = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : 20261121;

// Text PostgreSQL can hold: any Unicode code point except NUL.
const pgText = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\u0000', '')); // text holds no NUL in PostgreSQL
const awkward = fc.constantFrom(
  '\\',
  '\\N',
  '\\.',
  '\t',
  '\n',
  '\r',
  '\r\n',
  "'",
  "''",
  '"',
  ';',
  '--',
  '$$',
  "E'",
  '\u0001',
  '🙂',
  '日本',
  '',
);
const text = fc.oneof(
  { weight: 3, arbitrary: pgText },
  { weight: 2, arbitrary: fc.array(fc.oneof(awkward, pgText), { maxLength: 6 }).map((a) => a.join('')) },
);
const row = fc.record({
  id: fc.integer({ min: -2147483648, max: 2147483647 }),
  txt: fc.option(text, { nil: null }),
  bin: fc.option(
    fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
    { nil: null },
  ),
  flag: fc.option(fc.boolean(), { nil: null }),
  big: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
});
type Row = typeof row extends fc.Arbitrary<infer R> ? R : never;

const types = resolver({ id: 'int4', txt: 'text', bin: 'bytea', flag: 'bool', big: 'int8' }, [
  'id',
  'txt',
  'bin',
  'flag',
  'big',
]);
const expected = (rows: Row[]): unknown[][] =>
  rows.map((r) => [r.id, r.txt, r.bin, r.flag, r.big.toString()].map(norm));
const bool = (b: boolean | null, copy: boolean): string =>
  b === null ? (copy ? '\\N' : 'NULL') : copy ? (b ? 't' : 'f') : b ? 'true' : 'false';

function copyDumpOf(rows: Row[], escapeBytea: boolean, eol: string): string {
  const lines = rows.map((r) =>
    [
      String(r.id),
      copyText(r.txt),
      escapeBytea ? copyByteaEscape(r.bin) : copyByteaHex(r.bin),
      bool(r.flag, true),
      r.big.toString(),
    ].join('\t'),
  );
  return `COPY public.p (id, txt, bin, flag, big) FROM stdin;${eol}${lines.map((l) => l + eol).join('')}\\.${eol}`;
}

function insertDumpOf(rows: Row[], standard: boolean): string {
  const lit = standard ? sqlLiteral : sqlEscapeLiteral;
  const tuples = rows.map(
    (r) =>
      `(${r.id}, ${lit(r.txt)}, ${r.bin === null ? 'NULL' : lit('\\x' + r.bin.toString('hex'))}, ${bool(r.flag, false)}, ${r.big})`,
  );
  const head = "SET client_encoding = 'UTF8';\n" + (standard ? '' : 'SET standard_conforming_strings = off;\n');
  return tuples.length === 0 ? head : `${head}INSERT INTO public.p VALUES\n\t${tuples.join(',\n\t')};\n`;
}

const cutsFor = (len: number): fc.Arbitrary<number[]> =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, len - 1) }), { maxLength: 6 })
    .map((a) => a.filter((x) => x < len).sort((x, y) => x - y));

t.test('COPY text: random rows round-trip, any chunking', async (t) => {
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 5 }),
      fc.boolean(),
      fc.constantFrom('\n', '\r\n'),
      fc.integer({ min: 0, max: 1 << 20 }),
      fc.boolean(),
      (rows, escapeBytea, eol, seed, reuse) => {
        const dump = Buffer.from(copyDumpOf(rows, escapeBytea, eol));
        const cuts = fc.sample(cutsFor(dump.length), { numRuns: 1, seed })[0]!;
        const got = rowsOf(parseAll(dump, { cuts, tables: types, reuse }));
        t.strictSame(got, expected(rows));
        return true;
      },
    ),
    { numRuns: RUNS, seed: SEED },
  );
  t.pass(`${RUNS} cases`);
});

t.test('INSERT forms: random rows round-trip, standard and E-strings', async (t) => {
  fc.assert(
    fc.property(
      fc.array(row, { maxLength: 5 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 1 << 20 }),
      fc.boolean(),
      (rows, standard, seed, reuse) => {
        const dump = Buffer.from(insertDumpOf(rows, standard));
        const cuts = fc.sample(cutsFor(dump.length), { numRuns: 1, seed })[0]!;
        const got = rowsOf(parseAll(dump, { cuts, tables: types, reuse }));
        t.strictSame(got, expected(rows));
        return true;
      },
    ),
    { numRuns: RUNS, seed: SEED + 1 },
  );
  t.pass(`${RUNS} cases`);
});
