// Random rows into a real PostgreSQL, dumped by the real pg_dump (COPY, --inserts, --column-inserts,
// --rows-per-insert, bytea_output=escape), read back by the reader, compared value by value with what
// PostgreSQL itself returns for those rows.
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { DumpParser } from '../lib/dump/dump-parser.js';
import type { DumpEvent } from '../lib/dump/events.js';
import { norm, resolver } from './helpers/parse.js';
import { copyByteaHex, copyText } from './helpers/pg-encode.js';
import { dropDb, needsPg, psqlOk, scratchDb } from './helpers/pg.js';

const ROWS = Number(process.env['ROUNDTRIP_ROWS'] ?? 400);
const COLS = ['id', 'txt', 'bin', 'flag', 'num', 'big', 'ts', 'note'];
const types = resolver(
  { id: 'int4', txt: 'text', bin: 'bytea', flag: 'bool', num: 'numeric', big: 'int8', ts: 'timestamp', note: 'text' },
  COLS,
);

t.test('pg_dump output of random rows reads back exactly', needsPg, async (t) => {
  const db = 'totalis_roundtrip';
  const url = scratchDb(db);
  t.teardown(() => dropDb(db));
  psqlOk(
    [
      '-c',
      'CREATE TABLE rt (id int PRIMARY KEY, txt text, bin bytea, flag boolean, num numeric, big bigint, ts timestamp, "note" text)',
    ],
    undefined,
    url,
  );

  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('\\', '\\N', '\\.', '\t\n\r', "'", '', '🙂', 'a\\b'),
  );
  const rows = fc.sample(
    fc.record({
      txt: fc.option(
        text.map((s) => s.replaceAll('\u0000', '')),
        { nil: null },
      ),
      bin: fc.option(
        fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
        { nil: null },
      ),
      flag: fc.option(fc.boolean(), { nil: null }),
      num: fc.option(
        fc
          .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat({ max: 12 }))
          .map(([n, s]) => (s === 0 ? n.toString() : `${n}e-${s}`)),
        { nil: null },
      ),
      big: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      ts: fc.option(
        fc
          .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
          .map((d) => d.toISOString().replace('T', ' ').replace('Z', '') + '123'),
        { nil: null },
      ),
    }),
    { numRuns: ROWS, seed: 42 },
  );
  const input =
    rows
      .map((r, i) =>
        [
          String(i + 1),
          copyText(r.txt),
          copyByteaHex(r.bin),
          r.flag === null ? '\\N' : r.flag ? 't' : 'f',
          r.num ?? '\\N',
          r.big.toString(),
          r.ts ?? '\\N',
          copyText(`row ${i + 1}`),
        ].join('\t'),
      )
      .join('\n') + '\n';
  psqlOk(['-c', '\\copy rt from pstdin'], input, url);

  // What PostgreSQL holds, in id order: text as the hex of its UTF-8 bytes (psql's printing drops
  // noncharacters such as U+10FFFE, so printed text is not a faithful oracle), bytea as hex.
  const truth = JSON.parse(
    psqlOk(
      [
        '-At',
        '-c',
        `SELECT json_agg(json_build_array(id, encode(convert_to(txt, 'UTF8'), 'hex'), CASE WHEN bin IS NULL THEN NULL ELSE 'hex:' || encode(bin, 'hex') END, flag, num::text, big::text, ts::text, encode(convert_to(note, 'UTF8'), 'hex')) ORDER BY id) FROM rt`,
      ],
      undefined,
      url,
    ),
  ) as unknown[][];

  const read = (dump: Buffer, chunk: number): unknown[][] => {
    const p = new DumpParser({ file: 'rt.sql', tables: types });
    const out: DumpEvent[] = [];
    for (let i = 0; i < dump.length; i += chunk) p.push(dump.subarray(i, i + chunk), out);
    p.end(out);
    const hexText = (v: unknown): unknown => (typeof v === 'string' ? Buffer.from(v, 'utf8').toString('hex') : v);
    return out
      .flatMap((e) =>
        e.kind === 'row' ? [e.values.map(norm).map((v, i) => (i === 1 || i === 7 ? hexText(v) : v))] : [],
      )
      .sort((a, b) => (a[0] as number) - (b[0] as number));
  };
  const forms: [string, string[], Record<string, string>][] = [
    ['COPY', [], {}],
    ['COPY, bytea_output=escape', [], { PGOPTIONS: '-c bytea_output=escape' }],
    ['--inserts', ['--inserts'], {}],
    ['--column-inserts', ['--column-inserts'], {}],
    ['--rows-per-insert=7', ['--rows-per-insert=7'], {}],
  ];
  for (const [name, args, env] of forms) {
    const r = spawnSync('pg_dump', ['--data-only', '-t', 'rt', ...args, url], {
      env: { ...process.env, ...env },
      maxBuffer: 1 << 30,
    });
    t.equal(r.status, 0, `pg_dump ${name}`);
    const dump = r.stdout;
    if (name.includes('escape')) t.match(dump.toString(), /\\\\\d{3}/, 'the dump really uses the escape format');
    t.same(read(dump, 1 << 16), truth, `${name}: ${truth.length} rows, every value`);
    t.same(read(dump, 97), truth, `${name}: in 97-byte chunks`);
  }
});
