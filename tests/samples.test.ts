// The committed samples: read them, check them against what was put into the database, and check that
// the COPY, INSERT and gzipped forms give the very same records however the bytes are chunked.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { DumpParser } from '../lib/dump/dump-parser.js';
import type { DumpEvent } from '../lib/dump/events.js';
import { readLegacyDump, type LegacyDump } from '../lib/legacy/read-legacy.js';
import { LegacySchema, LEGACY_TABLES } from '../lib/legacy/schema.js';
import { childEnv } from './helpers/cli.js';
import { norm } from './helpers/parse.js';
import { DATABASE_URL, dropDb, needsPg, psqlOk, scratchDb } from './helpers/pg.js';

const recordsOf = (d: LegacyDump): Record<string, unknown[]> => ({
  tls_coach: d.coaches.map(normRec),
  tls_category: d.categories.map(normRec),
  tls_prompt: d.prompts.map(normRec),
  tls_variable: d.variables.map(normRec),
  tls_system: d.systems.map(normRec),
  tls_image: d.images.map(normRec),
});
function normRec(r: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, norm(v)]));
}

t.test('the samples read as expected', async (t) => {
  const d = await readLegacyDump(['samples']);
  t.same(
    d.files.map((f) => f.name),
    ['categories.sql', 'coaches_with_images.sql', 'config_data.sql', 'totalis_schema.sql'],
  );
  for (const f of d.files) {
    t.match(f.pgDumpVersion, /^15\.\d+/, `${f.name} was made by pg_dump 15`);
    t.equal(f.encoding, 'UTF8');
    t.equal(f.restrictKey, true, `${f.name} had a restrict key`);
  }
  t.same(
    [d.coaches.length, d.categories.length, d.prompts.length, d.variables.length, d.systems.length, d.images.length],
    [6, 10, 5, 8, 4, 14],
  );
  t.same(d.findings, [], 'the schema dump matches the built-in schema');
  const daniel = d.coaches.find((c) => c.name === 'Daniel')!;
  t.equal(daniel.time_create, '2023-03-14 09:26:53.589793', 'microseconds kept');
  t.equal(daniel.prompt, 'You are Daniel, a warm coach.\n\tKeep answers short.\nNever say "\\N" or "\\." out loud.');
  const li = d.coaches.find((c) => c.id === 3)!;
  t.equal(li.name, '李小龙 🐉');
  t.equal(li.description, 'Tabs\there, CR\rthere, CRLF\r\nand a backslash \\ too');
  t.equal(d.coaches.find((c) => c.id === 4)!.description, '', 'empty string, not NULL');
  t.equal(d.coaches.find((c) => c.id === 6)!.description, null, 'NULL, not empty');
  const big = d.categories.find((c) => c.id === 30)!.guidelines_file_text!;
  t.equal(Buffer.byteLength(big), 1_000_000, 'the 1 MB text');
  const magic = (id: number): string =>
    d.images
      .find((i) => i.id === id)!
      .data!.subarray(0, 4)
      .toString('hex');
  t.equal(magic(1), 'ffd8ffe0', 'JPEG');
  t.equal(magic(2), '89504e47', 'PNG');
  t.equal(magic(3), '47494638', 'GIF');
  t.equal(magic(4), '52494646', 'WebP (RIFF)');
  t.equal(d.images.find((i) => i.id === 5)!.data!.toString('utf8', 0, 4), '<svg');
  t.equal(d.images.find((i) => i.id === 12)!.data!.length, 0, 'empty bytea');
  t.equal(d.images.find((i) => i.id === 23)!.data, null, 'NULL bytea');
  t.same(
    d.files.find((f) => f.name === 'coaches_with_images.sql')!.setvals.map((s) => [s.sequence, s.value, s.table]),
    [
      ['public.tls_coach_id_seq', '6', 'tls_coach'],
      ['public.tls_image_id_seq', '23', 'tls_image'],
    ],
    'setval lines kept with their table',
  );
});

t.test('COPY, INSERT and gzip forms give the same records', async (t) => {
  const copy = recordsOf(await readLegacyDump(['samples']));
  const inserts = await readLegacyDump(['samples/inserts']);
  const gzip = await readLegacyDump(['samples/gzip']);
  t.same(recordsOf(inserts), copy, 'the --inserts / --column-inserts / --rows-per-insert forms');
  t.same(recordsOf(gzip), copy, 'gzipped');
  t.ok(gzip.files.every((f) => f.gzip));
  t.same(
    inserts.findings.map((f) => [f.code, f.subject]).sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    [
      'config_data.sql:tls_prompt',
      'config_data.sql:tls_system',
      'config_data.sql:tls_variable',
      'coaches_with_images.sql:tls_coach',
      'coaches_with_images.sql:tls_image',
    ]
      .map((s) => ['dump.columns.positional', s.replace('.sql', '.sql.gz')])
      .sort((a, b) => (a[1]! < b[1]! ? -1 : 1)),
    '--inserts and --rows-per-insert name no columns: mapped by the schema order, and said so; --column-inserts are mapped by name',
  );
});

t.test('every chunk boundary gives the same events', async (t) => {
  const schema = new LegacySchema();
  const run = (buf: Buffer, cuts: number[]): string => {
    const p = new DumpParser({ file: 'x', tables: schema });
    const out: DumpEvent[] = [];
    let prev = 0;
    for (const c of [...cuts, buf.length]) {
      p.push(buf.subarray(prev, c), out);
      prev = c;
    }
    p.end(out);
    return JSON.stringify(out.map((e) => (e.kind === 'row' ? { ...e, values: e.values.map(norm) } : e)));
  };
  for (const name of ['samples/config_data.sql', 'samples/coaches_with_images.sql']) {
    const buf = readFileSync(name);
    const whole = run(buf, []);
    let same = 0;
    for (let cut = 1; cut < buf.length; cut++) if (run(buf, [cut]) === whole) same++;
    t.equal(same, buf.length - 1, `${name}: split at each of ${buf.length - 1} offsets`);
    const bytes = Array.from({ length: buf.length - 1 }, (_, i) => i + 1);
    t.equal(run(buf, bytes), whole, `${name}: one byte at a time`);
  }
});

t.test('the samples hold what was put into the database', needsPg, async (t) => {
  // Rebuild the legacy database from samples/source (as make-samples.sh does) and compare every value.
  const db = 'totalis_samples_check';
  const url = scratchDb(db);
  t.teardown(() => dropDb(db));
  const tmp = t.testdir({});
  const { execFileSync } = await import('node:child_process');
  execFileSync('node', ['samples/source/make-images.mjs', tmp], { env: childEnv() });
  // as make-samples.sh loads them: the foreign keys' checks skipped for the one broken reference the seed keeps
  psqlOk(
    [
      '-f',
      'samples/source/legacy-schema.sql',
      '-c',
      'SET session_replication_role = replica',
      '-f',
      'samples/source/seed.sql',
      '-f',
      `${tmp}/images.sql`,
    ],
    undefined,
    url,
  );
  const ours = recordsOf(await readLegacyDump(['samples']));
  for (const table of LEGACY_TABLES) {
    // bytea as hex:…, everything else as PostgreSQL's own text output (timestamps keep their digits)
    const json = psqlOk(
      [
        '-At',
        '-c',
        `SELECT coalesce(json_agg(r ORDER BY (r->>'id')::int), '[]') FROM (SELECT json_object_agg(k, CASE WHEN k = 'data' AND v IS NOT NULL THEN to_json('hex:' || encode(decode(substr(v #>> '{}', 3), 'hex'), 'hex')) ELSE v END) AS r FROM ${table} t, json_each(row_to_json(t)) AS e(k, v) GROUP BY t.id) s`,
      ],
      undefined,
      url,
    );
    const theirs = (JSON.parse(json) as Record<string, unknown>[]).map((r) => {
      for (const [k, v] of Object.entries(r))
        if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) && k === 'time_create') r[k] = v.replace('T', ' ');
      return r;
    });
    const mine = ([...ours[table]!] as Record<string, unknown>[]).sort(
      (a, b) => (a['id'] as number) - (b['id'] as number),
    );
    t.same(mine, theirs, `${table}: every value as PostgreSQL holds it`);
  }
  void DATABASE_URL;
});
